#include "adapters/telegram/telegram_html.hpp"

#include <catch2/catch.hpp>

using namespace slabot::telegram;

TEST_CASE("telegram html: the four special characters are escaped", "[telegram][html]") {
  CHECK(escape_html("a < b && c > \"d\" 'e'") == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; 'e'");
  CHECK(escape_html("&amp;") == "&amp;amp;");
  CHECK(escape_html("数据库") == "数据库");
}

TEST_CASE("telegram html: lengths count UTF-16 code units", "[telegram][html]") {
  CHECK(utf16_length("") == 0);
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("数据") == 2);        // 3 bytes each, 1 unit each
  CHECK(utf16_length("\U0001F525") == 2);  // outside the BMP: a surrogate pair
  CHECK(utf16_length("\xff\xfe") == 2);    // invalid bytes count one each
  CHECK(utf16_length("\xE6\x95") == 2);    // a truncated sequence too
}

TEST_CASE("telegram html: truncation keeps characters whole", "[telegram][html]") {
  CHECK(truncate_utf16("abc", 3) == "abc");
  CHECK(truncate_utf16("abcd", 3) == "ab\u2026");
  CHECK(truncate_utf16("数据库服务", 4) == "数据库\u2026");
  // 3 units: one emoji (2) fits before the ellipsis; the second would need 2 more.
  CHECK(truncate_utf16("\U0001F525\U0001F525\U0001F525", 3) == "\U0001F525\u2026");
  CHECK(truncate_utf16("\U0001F525\U0001F525", 2) == "\u2026");
  CHECK(truncate_utf16("abc", 0) == "");
}
