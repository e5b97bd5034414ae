// Invisible characters in what partners type: removed once, before anything is stored or said.
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "commands/clean_text.hpp"
#include "commands/parser.hpp"
#include "commands/usage.hpp"

using namespace slabot;

namespace {

struct Case {
  std::string name;
  std::string typed;
  std::string kept;
};

Command command_of(const std::string& text) {
  INFO("input: " << text);
  const ParseResult result = parse_command(text, "slabot");
  if (const auto* error = std::get_if<ParseError>(&result)) FAIL("expected a command, got: " << error->message);
  return std::get<Command>(result);
}

}  // namespace

TEST_CASE("clean text: each bidi control and invisible format character is removed") {
  const std::vector<Case> cases{
      {"LRE U+202A", "abc\u202Atxt", "abctxt"},
      {"RLE U+202B", "abc\u202Btxt", "abctxt"},
      {"PDF U+202C", "abc\u202Ctxt", "abctxt"},
      {"LRO U+202D", "abc\u202Dtxt", "abctxt"},
      {"RLO U+202E", "abc\u202Etxt.exe", "abctxt.exe"},
      {"LRI U+2066", "abc\u2066txt", "abctxt"},
      {"RLI U+2067", "abc\u2067txt", "abctxt"},
      {"FSI U+2068", "abc\u2068txt", "abctxt"},
      {"PDI U+2069", "abc\u2069txt", "abctxt"},
      {"LRM U+200E", "abc\u200Etxt", "abctxt"},
      {"RLM U+200F", "abc\u200Ftxt", "abctxt"},
      {"ALM U+061C", "abc\u061Ctxt", "abctxt"},
      {"ZWSP U+200B", "DB\u200Bdown", "DBdown"},
      {"ZWNJ U+200C", "DB\u200Cdown", "DBdown"},
      {"ZWJ U+200D between letters", "DB\u200Ddown", "DBdown"},
      {"word joiner U+2060", "@\u2060all", "@all"},
      {"function application U+2061", "a\u2061b", "ab"},
      {"invisible times U+2062", "a\u2062b", "ab"},
      {"invisible separator U+2063", "a\u2063b", "ab"},
      {"invisible plus U+2064", "a\u2064b", "ab"},
      {"BOM U+FEFF", "\uFEFFtitle", "title"},
      {"soft hyphen U+00AD", "data\u00ADbase", "database"},
      {"Mongolian vowel separator U+180E", "a\u180Eb", "ab"},
      {"combining grapheme joiner U+034F", "a\u034Fb", "ab"},
      {"deprecated format U+206A..U+206F", "a\u206A\u206Fb", "ab"},
      {"interlinear annotation U+FFF9..U+FFFB", "a\uFFF9b\uFFFAc\uFFFB", "abc"},
      {"shorthand format U+1BCA0", "a\U0001BCA0b", "ab"},
      {"musical format U+1D173", "a\U0001D173b", "ab"},
      {"language tag U+E0001", "a\U000E0001b", "ab"},
      {"tags smuggling text", "ok\U000E0069\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065", "ok"},
      {"several in a row", "\u202E\u2066\u200B\uFEFFx", "x"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(text::without_invisible(c.typed) == c.kept);
  }
}

TEST_CASE("clean text: what is visible, or part of an emoji, passes unchanged") {
  const std::vector<std::string> unchanged{
      "数据库连接池耗尽，订单服务超时",              // Chinese title
      "データベース障害",                            // Japanese
      "שרת נפל",                                     // Hebrew: direction comes from the letters
      "خادم معطل",                                   // Arabic
      "\U0001F468\u200D\U0001F469\u200D\U0001F467",  // family: ZWJ between emoji
      "\U0001F469\U0001F3FD\u200D\U0001F4BB",        // technologist, skin tone, ZWJ
      "\U0001F3F3\uFE0F\u200D\U0001F308",            // rainbow flag: ZWJ after VS16
      "\u2764\uFE0F\u200D\U0001F525",                // heart on fire
      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",  // England flag
      "café \u00A0 \u3000 x",                                                    // no-break and ideographic spaces
      "\uFE0F",                                                                  // a lone variation selector is a mark
      "\u0600\u0661",                                                            // Arabic number sign shows itself
      "",
  };
  for (const std::string& s : unchanged) {
    INFO("text: " << s);
    CHECK(text::without_invisible(s) == s);
  }
}

TEST_CASE("clean text: a ZWJ is kept only between two emoji") {
  // Decision: U+200D is how emoji sequences are written, and between two emoji it can only join
  // pictures; anywhere else it is an invisible character like the others.
  CHECK(text::without_invisible("\U0001F468\u200D") == "\U0001F468");
  CHECK(text::without_invisible("\u200D\U0001F468") == "\U0001F468");
  CHECK(text::without_invisible("a\u200D\U0001F468") == "a\U0001F468");
  CHECK(text::without_invisible("\U0001F468\u200Da") == "\U0001F468a");
  CHECK(text::without_invisible("\U0001F468\u200D\u200D\U0001F469") == "\U0001F468\u200D\U0001F469");
  // Flag tags belong after the black flag only; a stray or over-long run is dropped.
  CHECK(text::without_invisible("\U0001F3F4\U000E0067\U000E0062") == "\U0001F3F4");
  CHECK(text::without_invisible("\U0001F3F4\U000E007F") == "\U0001F3F4");
}

TEST_CASE("clean text: line and paragraph separators become a space") {
  CHECK(text::without_invisible("first\u2028second\u2029third") == "first second third");
}

TEST_CASE("clean text: a display name is one line of well-formed UTF-8") {
  CHECK(text::clean_name("Pat\u202E") == "Pat");
  CHECK(text::clean_name("  Wei\tZhang\r\n") == "Wei Zhang");
  CHECK(text::clean_name("bad \xFF byte") == "bad \uFFFD byte");
  CHECK(text::clean_name("cut \xE6\x95") == "cut \uFFFD\uFFFD");
  CHECK(text::clean_name("esc\x1B[31m\u0085") == "esc [31m");
  CHECK(text::clean_name("王小明") == "王小明");
  CHECK(text::clean_name("\u200B") == "");
}

TEST_CASE("commands: titles, labels, notes, reasons and summaries lose their invisible characters") {
  CHECK(command_of("/open 2 abc\u202Etxt.exe").title == "abctxt.exe");
  CHECK(command_of("/open 2 \u2066DB\u2069 down for:Big\u200BCo").title == "DB down");
  CHECK(command_of("/open 2 \u2066DB\u2069 down for:Big\u200BCo").sub_customer == "BigCo");
  CHECK(command_of("/open 2 数据库连接池耗尽").title == "数据库连接池耗尽");
  CHECK(command_of("/open 2 family \U0001F468\u200D\U0001F469\u200D\U0001F467").title ==
        "family \U0001F468\u200D\U0001F469\u200D\U0001F467");
  CHECK(command_of("/note 5 see \u202Eecnetnes").text == "see ecnetnes");
  CHECK(command_of("/escalate 5 \uFEFFurgent").text == "urgent");
  CHECK(command_of("/resolve 5 fixed\u00AD it").text == "fixed it");
  CHECK(command_of("/reopen 5 still\u2028broken").text == "still broken");
  CHECK(command_of("/assign 5 @\u200BErin").person == "Erin");
}

TEST_CASE("commands: a title of nothing but invisible characters is a missing title") {
  for (const char* title : {"\u202E", "\u200B\u200B", "\u2066\u2069", "\uFEFF \u200D"}) {
    const ParseResult result = parse_command(std::string("/open 2 ") + title, "slabot");
    REQUIRE(std::holds_alternative<ParseError>(result));
    CHECK(std::get<ParseError>(result).message == "missing title");
    CHECK(std::get<ParseError>(result).usage == std::string(usage_of(Verb::open)));
  }
  const ParseResult label = parse_command("/open 2 DB down for:\u200B", "slabot");
  REQUIRE(std::holds_alternative<ParseError>(label));
  CHECK(std::get<ParseError>(label).message == "missing customer name after for:");
  const ParseResult note = parse_command("/note 5 \u202E", "slabot");
  REQUIRE(std::holds_alternative<ParseError>(note));
  CHECK(std::get<ParseError>(note).message == "missing note text");
}

TEST_CASE("commands: invalid UTF-8 is refused, never stored, whatever field it is in") {
  for (const char* text :
       {"/open 2 bad \xFF", "/open 2 x for:\xC0\xAF", "/note 5 \xED\xA0\x80", "/resolve 5 cut \xE6\x95"}) {
    const ParseResult result = parse_command(text, "slabot");
    REQUIRE(std::holds_alternative<ParseError>(result));
    CHECK(std::get<ParseError>(result).message == "message is not valid UTF-8");
  }
}
