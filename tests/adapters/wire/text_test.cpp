#include "adapters/wire/text.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("wire text: truncation never splits a UTF-8 sequence", "[wire]") {
  CHECK(truncate_utf8("abcdef", 10) == "abcdef");
  CHECK(truncate_utf8("abcdef", 3) == "abc");
  CHECK(truncate_utf8("ab\u4f60\u597d", 3) == "ab");  // 你 is 3 bytes
  CHECK(truncate_utf8("ab\u4f60\u597d", 5) == "ab\u4f60");
  CHECK(truncate_utf8("ab\u4f60\u597d", 4) == "ab");
  CHECK(truncate_utf8("a\U0001F600", 4) == "a");  // a 4-byte emoji that does not fit whole
  CHECK(truncate_utf8("", 0).empty());
}

TEST_CASE("wire text: a log message is shortened on a character boundary and marked", "[wire]") {
  CHECK(shorten_for_log("errmsg", 6) == "errmsg");
  CHECK(shorten_for_log("errmsg!", 6) == "errmsg...");
  // The last character that fits whole is kept.
  CHECK(shorten_for_log("ab\u4f60\u597d", 5) == "ab\u4f60...");
  CHECK(shorten_for_log("ab\u4f60\u597d", 4) == "ab...");
}

TEST_CASE("wire text: blanks clients put around mentions are trimmed at both ends", "[wire]") {
  CHECK(trim_blanks(" \t\r\n\f\vhi\v ") == "hi");
  CHECK(trim_blanks("\u00A0\u2005\u3000 hi there\u2005\u3000") == "hi there");
  CHECK(trim_blanks("a\u2005b") == "a\u2005b");  // only the ends
  CHECK(trim_blanks("\u2005\u3000").empty());
  CHECK(trim_blanks("\u4f60").size() == 3);  // a CJK character is not a blank
}

TEST_CASE("wire text: strict UTF-8", "[wire]") {
  CHECK(valid_utf8("plain ascii"));
  CHECK(valid_utf8("\u4f60\u597d \U0001F600"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(valid_utf8("ab\xE4\xBD"));        // cut short
  CHECK_FALSE(valid_utf8("\x80"));              // a lone continuation byte
}
