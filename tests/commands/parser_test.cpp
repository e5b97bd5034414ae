#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "commands/lexer.hpp"
#include "commands/parser.hpp"
#include "commands/usage.hpp"
#include "commands/utf8.hpp"

using namespace slabot;

namespace {

constexpr std::string_view kBot = "slabot";
const std::string kBadId = "ticket id must be a number like #12";

Command command_of(const std::string& text, std::string_view bot = kBot) {
  INFO("input: " << text);
  const ParseResult result = parse_command(text, bot);
  if (const auto* error = std::get_if<ParseError>(&result)) {
    INFO("error: " << error->message);
    FAIL("expected a command");
  }
  REQUIRE(std::holds_alternative<Command>(result));
  return std::get<Command>(result);
}

ParseError error_of(const std::string& text, std::string_view bot = kBot) {
  INFO("input: " << text);
  const ParseResult result = parse_command(text, bot);
  REQUIRE(std::holds_alternative<ParseError>(result));
  return std::get<ParseError>(result);
}

bool is_silent(const std::string& text, std::string_view bot = kBot) {
  return std::holds_alternative<NotACommand>(parse_command(text, bot));
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("the short form and the /ticket form give the same command") {
  for (const std::string text : {"/ack 12", "/ack #12", "/ticket ack 12", "/ticket ack #12"}) {
    const Command command = command_of(text);
    CHECK(command.verb == Verb::ack);
    CHECK(command.id == 12);
  }
}

TEST_CASE("command words match case-insensitively") {
  CHECK(command_of("/ACK 3").verb == Verb::ack);
  CHECK(command_of("/Ticket Resolve 3").verb == Verb::resolve);
  CHECK(command_of("/WhoAmI").verb == Verb::whoami);
}

TEST_CASE("aliases are accepted as commands") {
  CHECK(command_of("/acknowledge 4").verb == Verb::ack);
  const Command sev = command_of("/ticket severity 4 high");
  CHECK(sev.verb == Verb::sev);
  CHECK(sev.severity == 3);
}

TEST_CASE("a bare /ticket asks for help") {
  CHECK(command_of("/ticket").verb == Verb::help);
  CHECK(command_of("/ticket@slabot").verb == Verb::help);
  CHECK(command_of("/ticket").text.empty());
}

TEST_CASE("a Telegram @bot suffix must name this bot") {
  CHECK(command_of("/ack@slabot 12").id == 12);
  CHECK(command_of("/ack@SlaBot 12").id == 12);
  CHECK(command_of("/ticket@slabot ack 12").id == 12);
  CHECK(command_of("/ack@slabot 12", "@slabot").id == 12);  // handle given with its '@'
  CHECK(is_silent("/ack@otherbot 12"));
  CHECK(is_silent("/ticket@otherbot ack 12"));
  CHECK(is_silent("/frobnicate@otherbot"));  // someone else's command: not even an error
  CHECK(is_silent("/ack@ 12"));
  CHECK(is_silent("/ack@slabot 12", ""));
}

TEST_CASE("a full-width @ in the Telegram suffix works like '@'") {
  CHECK(command_of("/ack\uFF20slabot 12").id == 12);
  CHECK(command_of("/ack\uFF20SlaBot 12").id == 12);
  CHECK(command_of("/ticket\uFF20slabot ack 12").id == 12);
  CHECK(command_of("/ack\uFF20slabot 12", "\uFF20slabot").id == 12);
  CHECK(is_silent("/ack\uFF20otherbot 12"));
  CHECK(is_silent("/frobnicate\uFF20otherbot"));
  CHECK(is_silent("/ack\uFF20 12"));
}

TEST_CASE("leading @-mentions are stripped") {
  CHECK(command_of("@slabot /ack 12").id == 12);
  const Command command = command_of("@Slabot  /ticket ack #12");
  CHECK(command.verb == Verb::ack);
  CHECK(command.id == 12);
  CHECK(command_of("@slabot: /ack 7").id == 7);
  CHECK(command_of("@slabot, /ack 8").id == 8);
  CHECK(command_of("@slabot @SLABOT: /ack 8").id == 8);
  CHECK(command_of("\uFF20slabot /ack 9").id == 9);        // full-width @ from a CJK keyboard
  CHECK(command_of("\uFF20slabot\uFF1A /ack 9").id == 9);  // and its full-width colon
  CHECK(command_of("@slabot /ack 10", "@slabot").id == 10);
}

TEST_CASE("a message starting with a mention of someone else is not for the bot") {
  CHECK(is_silent("@otherbot /help"));
  CHECK(is_silent("@alice /ack 12"));
  CHECK(is_silent("@alice: /ack 12"));
  CHECK(is_silent("\uFF20alice /ack 12"));
  CHECK(is_silent("@alice @slabot /ack 8"));  // said to alice first
  CHECK(is_silent("@slabotx /ack 12"));       // a longer handle is another account
  CHECK(is_silent("@slabot:x /ack 12"));
  CHECK(is_silent("@slabot /ack 12", ""));  // no handle configured: no mention is ours
  CHECK(is_silent("@slabot /ack 12", "otherbot"));
}

TEST_CASE("extra whitespace, tabs, newlines and the ideographic space are tolerated") {
  CHECK(command_of("   /ack    12   ").id == 12);
  CHECK(command_of("\t/ack\t12\t").id == 12);
  CHECK(command_of("\n/ack\n12\n").id == 12);
  CHECK(command_of("\u3000/ack\u300012\u3000").id == 12);
  CHECK(command_of("@slabot\u3000/ticket\u3000ack\u3000#12").id == 12);
  CHECK(command_of("/ack\u00A012").id == 12);  // no-break space, as phones insert
}

TEST_CASE("ordinary chat is not a command and gets no answer") {
  CHECK(is_silent(""));
  CHECK(is_silent("   \u3000 "));
  CHECK(is_silent("hello team"));
  CHECK(is_silent("数据库宕机了"));
  CHECK(is_silent("@slabot hello"));
  CHECK(is_silent("@slabot"));
  CHECK(is_silent("please /ack 12"));
  CHECK(is_silent("/usr/bin/python crashed again"));
  CHECK(is_silent("/ 12"));
  CHECK(is_silent("// a comment"));
  CHECK(is_silent("/"));
  CHECK(is_silent("/3 of the nodes are down"));
  CHECK(is_silent(std::string(10000, 'x')));  // long chat is silence, not "message too long"
}

TEST_CASE("full-width slash and hash from CJK keyboards work") {
  const Command command = command_of(
      "\uFF0Fack \uFF03"
      "12");
  CHECK(command.verb == Verb::ack);
  CHECK(command.id == 12);
}

TEST_CASE("unknown commands point to /help") {
  const ParseError error = error_of("/frobnicate");
  CHECK(error.message == "unknown command /frobnicate");
  CHECK(error.usage == "/help");
  CHECK(error_of("/ticket frobnicate 12").message == "unknown command /ticket frobnicate");
  CHECK(error_of("/ticket frobnicate").usage == "/help");
  CHECK(error_of("/ack12").message == "unknown command /ack12");
}

TEST_CASE("an unknown command echoed back is clipped to one short line") {
  const ParseError error = error_of("/" + std::string(300, 'z'));
  CHECK(error.message.size() < 60);
  CHECK(error.message.ends_with("..."));
  const ParseError chinese = error_of("/ticket " + repeat("数", 100));
  CHECK(chinese.message == "unknown command /ticket " + repeat("数", 32) + "...");
}

TEST_CASE("ticket ids are positive integers, with or without #") {
  CHECK(command_of("/show 1").id == 1);
  CHECK(command_of("/show #42").id == 42);
  CHECK(command_of("/show #007").id == 7);
  CHECK(command_of("/show 9223372036854775807").id == 9223372036854775807);
  for (const std::string bad : {"#0", "0", "-3", "#-3", "+5", "abc", "12abc", "1.5", "#", "##12",
                                "99999999999999999999", "9223372036854775808", "\uFF10", "\uFF11.\uFF12", "\uFF0D3",
                                "\uFF03\uFF03"
                                "12",
                                "\uFF03"}) {
    INFO("id: " << bad);
    const ParseError error = error_of("/show " + bad);
    CHECK(error.message == kBadId);
    CHECK(error.usage == "/show <id>");
  }
}

TEST_CASE("full-width digits in ids are read as ASCII digits") {
  CHECK(command_of("/ack \uFF11\uFF12").id == 12);
  CHECK(command_of("/show \uFF03\uFF14\uFF12").id == 42);
  CHECK(command_of("/show #\uFF19").id == 9);
  CHECK(command_of("/show 1\uFF10\uFF10").id == 100);
  CHECK(command_of("\uFF0Fack \uFF03\uFF11\uFF12").id == 12);
  CHECK(command_of("/note \uFF15 ok").id == 5);
}

TEST_CASE("a missing id is named as such") {
  for (const std::string verb : {"ack", "assign", "escalate", "sev", "note", "resolve", "close", "reopen", "show"}) {
    INFO("verb: " << verb);
    const ParseError error = error_of("/" + verb);
    CHECK(error.message == "missing ticket id");
    CHECK(error.usage == std::string(usage_of(*verb_from_name(verb))));
  }
}

TEST_CASE("commands that take no more arguments refuse extra ones") {
  CHECK(error_of("/ack 12 13").message == "too many arguments");
  CHECK(error_of("/ack 12 13").usage == "/ack <id>");
  CHECK(command_of("/close 1 opened by mistake").text == "opened by mistake");  // close takes a reason
  CHECK(error_of("/show #1 #2").message == "too many arguments");
  CHECK(error_of("/sev 1 2 3").message == "too many arguments");
  CHECK(error_of("/sla acme globex").message == "sla takes one tenant");
  CHECK(error_of("/sla acme globex").usage == "/sla [tenant]");
  CHECK(error_of("/whoami really").message == "whoami takes no arguments");
  CHECK(command_of("/sla").verb == Verb::sla);
  CHECK(command_of("/whoami").verb == Verb::whoami);
}

TEST_CASE("open takes a severity in any of its spellings, then a title") {
  struct Case {
    std::string sev;
    int level;
  };
  for (const auto& [sev, level] : {Case{"1", 1}, Case{"sev2", 2}, Case{"SEV3", 3}, Case{"critical", 1},
                                   Case{"Urgent", 2}, Case{"high", 3}, Case{"medium", 4}, Case{"LOW", 5}}) {
    INFO("sev: " << sev);
    const Command command = command_of("/open " + sev + " DB down");
    CHECK(command.verb == Verb::open);
    CHECK(command.severity == level);
    CHECK(command.title == "DB down");
    CHECK(command.sub_customer.empty());
  }
}

TEST_CASE("open keeps Unicode titles byte for byte and collapses runs of spaces") {
  CHECK(command_of("/open 1 数据库宕机").title == "数据库宕机");
  CHECK(command_of("/open 2 支付 接口 超时 🔥🔥").title == "支付 接口 超时 🔥🔥");
  CHECK(command_of("/open 2 \U0001F468\u200D\U0001F4BB login fails").title == "\U0001F468\u200D\U0001F4BB login fails");
  CHECK(command_of("/open 3   DB    down\u3000\u3000now  ").title == "DB down now");
  CHECK(command_of("/ticket open sev1 数据库 宕机").title == "数据库 宕机");
}

TEST_CASE("open takes a for: label anywhere after the severity") {
  const Command last = command_of("/open 1 DB down for:acme");
  CHECK(last.title == "DB down");
  CHECK(last.sub_customer == "acme");
  const Command first = command_of("/open 1 for:acme DB down");
  CHECK(first.title == "DB down");
  CHECK(first.sub_customer == "acme");
  const Command middle = command_of("/open 1 DB for:acme down");
  CHECK(middle.title == "DB down");
  CHECK(middle.sub_customer == "acme");
  CHECK(command_of("/open 1 DB down FOR:Acme").sub_customer == "Acme");
  CHECK(command_of("/open 1 数据库宕机 for:大客户").sub_customer == "大客户");
}

TEST_CASE("quotes group words in titles and labels") {
  const Command command = command_of("/open 1 \"DB down\" for:\"Big Co\"");
  CHECK(command.title == "DB down");
  CHECK(command.sub_customer == "Big Co");
  CHECK(command_of("/open 1 \"DB   down\"").title == "DB   down");  // quoted spacing is kept
  CHECK(command_of("/open 1 \"多 空格\" 了").title == "多 空格 了");
  // A quoted "for:" is title text, not a label.
  const Command literal = command_of("/open 1 \"for:x\" broken");
  CHECK(literal.title == "for:x broken");
  CHECK(literal.sub_customer.empty());
}

TEST_CASE("typographic quotes from phones work like straight ones") {
  const Command command = command_of("/open 1 \u201CDB down\u201D for:\u201CBig Co\u201D");
  CHECK(command.title == "DB down");
  CHECK(command.sub_customer == "Big Co");
  CHECK(command_of("/open 1 \u201D数据库 宕机\u201D").title == "数据库 宕机");
  CHECK(command_of("/open 1 \u201CDB down\"").title == "DB down");
}

TEST_CASE("a quote inside a word is an ordinary character") {
  CHECK(command_of("/open 3 5\" screen broken").title == "5\" screen broken");
  CHECK(command_of("/open 3 5\u201D screen broken").title == "5\u201D screen broken");
  CHECK(command_of("/open 3 5\u201C screen broken").title == "5\u201C screen broken");
  CHECK(command_of("/open 3 x\"y z\"").title == "x\"y z\"");
  CHECK(command_of("/open 3 6\" and 7\" racks").title == "6\" and 7\" racks");
  // A quote that closes a group stays special, and a group still opens at a word's start.
  CHECK(command_of("/open 3 5\" screen \"is  broken\"").title == "5\" screen is  broken");
  const Command label = command_of("/open 3 5\" screen for:\"Big Co\"");
  CHECK(label.title == "5\" screen");
  CHECK(label.sub_customer == "Big Co");
  // Only right after for: does a quote in a word open a group.
  const Command not_label = command_of("/open 3 xfor:\"Big Co\"");
  CHECK(not_label.title == "xfor:\"Big Co\"");
  CHECK(not_label.sub_customer.empty());
  CHECK(command_of("/list mine\"").tenant == "mine\"");  // not the scope: a word the service looks up
}

TEST_CASE("an unterminated quote is an error") {
  for (const std::string text :
       {"/open 1 \"DB down", "/open 1 DB for:\"Big Co", "/open 1 \u201CDB down", "/assign 3 \"alice", "/list \"mine"}) {
    INFO("input: " << text);
    const ParseError error = error_of(text);
    CHECK(error.message == "unterminated quote");
  }
  CHECK(error_of("/open 1 \"DB down").usage == std::string(usage_of(Verb::open)));
  CHECK(error_of("/ticket \"open 1").usage == "/help");
}

TEST_CASE("open refuses a bad severity, a missing title and over-long text") {
  CHECK(error_of("/open").message == "missing severity");
  CHECK(error_of("/open 6 DB down").message.starts_with("severity must be"));
  CHECK(error_of("/open sev0 DB down").message.starts_with("severity must be"));
  CHECK(error_of("/open DB down").message.starts_with("severity must be"));
  CHECK(error_of("/open 1").message == "missing title");
  CHECK(error_of("/open 1 for:acme").message == "missing title");
  CHECK(error_of("/open 1 \"\"").message == "missing title");
  CHECK(error_of("/open 1").usage == "/open <sev> <title> [for:<customer>]");
}

TEST_CASE("titles are capped at 200 code points, not bytes") {
  CHECK(command_of("/open 1 " + std::string(200, 'a')).title.size() == 200);
  CHECK(error_of("/open 1 " + std::string(201, 'a')).message == "title is longer than 200 characters");
  // 200 Chinese characters are 600 bytes and still fit.
  CHECK(command_of("/open 1 " + repeat("宕", 200)).title == repeat("宕", 200));
  CHECK(error_of("/open 1 " + repeat("宕", 201)).message == "title is longer than 200 characters");
  CHECK(command_of("/open 1 " + repeat("🔥", 200)).title == repeat("🔥", 200));
}

TEST_CASE("the for: label is checked") {
  CHECK(command_of("/open 1 x for:" + std::string(64, 'c')).sub_customer.size() == 64);
  CHECK(error_of("/open 1 x for:" + std::string(65, 'c')).message == "customer name is longer than 64 characters");
  CHECK(command_of("/open 1 x for:" + repeat("客", 64)).sub_customer == repeat("客", 64));
  CHECK(error_of("/open 1 x for:").message == "missing customer name after for:");
  CHECK(error_of("/open 1 x for:\"\"").message == "missing customer name after for:");
  CHECK(error_of("/open 1 x for:a for:b").message == "only one for: label per ticket");
}

TEST_CASE("assign takes one person, with or without @") {
  const Command command = command_of("/assign 12 @alice");
  CHECK(command.verb == Verb::assign);
  CHECK(command.id == 12);
  CHECK(command.person == "alice");
  CHECK(command_of("/assign #12 bob").person == "bob");
  CHECK(command_of("/ticket assign 12 \"Alice Wu\"").person == "Alice Wu");
  CHECK(command_of("/assign 12 王工").person == "王工");
  CHECK(command_of("/assign 12 \uFF20王工").person == "王工");
  CHECK(error_of("/assign 12").message == "missing person to assign");
  CHECK(error_of("/assign 12 @").message == "missing person to assign");
  CHECK(error_of("/assign 12 \"\"").message == "missing person to assign");
  CHECK(error_of("/assign 12 @alice @bob").message == "assign takes exactly one person");
  CHECK(error_of("/assign 12 \"Alice Wu\" bob").message == "assign takes exactly one person");
  CHECK(error_of("/assign 12 @alice @bob").usage == "/assign <id> <person>");
}

TEST_CASE("assign takes the rest of the line as the person, spaces and all") {
  const Command command = command_of("/assign 1 @Wei Zhang");
  CHECK(command.id == 1);
  CHECK(command.person == "Wei Zhang");
  CHECK(command_of("/assign 1 Wei Zhang").person == "Wei Zhang");
  CHECK(command_of("/assign 1   @Wei  Zhang   ").person == "Wei  Zhang");  // inner spaces as typed
  CHECK(command_of("/ticket assign #1 Mary Ann O'Neil").person == "Mary Ann O'Neil");
  CHECK(command_of("/assign 1 @\"Wei Zhang\"").person == "Wei Zhang");
  CHECK(command_of("/assign 1 \"@Wei Zhang\"").person == "Wei Zhang");
  CHECK(command_of("/assign 1 \u201C Wei Zhang \u201D").person == "Wei Zhang");
  CHECK(command_of("/assign 1 王 工\u3000").person == "王 工");
  CHECK(command_of("/assign 1 Wei 5\" Zhang").person == "Wei 5\" Zhang");
  CHECK(command_of("/assign 1 wei@example.com").person == "wei@example.com");
}

TEST_CASE("escalate, resolve and reopen take an optional free text") {
  for (const auto& [name, verb] : {std::pair{"escalate", Verb::escalate}, std::pair{"resolve", Verb::resolve},
                                   std::pair{"reopen", Verb::reopen}}) {
    INFO("verb: " << name);
    const Command bare = command_of(std::string("/") + name + " 12");
    CHECK(bare.verb == verb);
    CHECK(bare.id == 12);
    CHECK(bare.text.empty());
    const Command with_text = command_of(std::string("/") + name + " #12   customer still   down  ");
    CHECK(with_text.text == "customer still   down");
  }
}

TEST_CASE("note requires text and keeps it as typed") {
  const Command command = command_of("/note 5 restarted the primary, 主库已恢复 ✅");
  CHECK(command.verb == Verb::note);
  CHECK(command.id == 5);
  CHECK(command.text == "restarted the primary, 主库已恢复 ✅");
  CHECK(command_of("/note 5 line one, line two").text == "line one, line two");
  CHECK(error_of("/note 5").message == "missing note text");
  CHECK(error_of("/note 5 \u3000 ").message == "missing note text");
  CHECK(error_of("/note 5").usage == "/note <id> <text>");
}

TEST_CASE("line breaks and tabs in free text and titles become single spaces") {
  CHECK(command_of("/note 5 line one\nline two").text == "line one line two");
  CHECK(command_of("/note 5 line one\r\n\r\nline two").text == "line one line two");
  CHECK(command_of("/note 5 a\tb\t\tc").text == "a b c");
  CHECK(command_of("/note 5 a  \n  b").text == "a     b");  // only the run of breaks is folded
  CHECK(command_of("/note 5 \"quoted\nacross lines\"").text == "quoted across lines");
  CHECK(command_of("/note 5\n\nsaid on the next line\n").text == "said on the next line");
  for (const auto& [name, verb] : {std::pair{"escalate", Verb::escalate}, std::pair{"resolve", Verb::resolve},
                                   std::pair{"reopen", Verb::reopen}}) {
    INFO("verb: " << name);
    CHECK(command_of(std::string("/") + name + " 12 first\r\nsecond").text == "first second");
  }
  CHECK(command_of("/open 1 \"DB\ndown\"").title == "DB down");
  CHECK(command_of("/open 1 \"DB\r\n\tdown\"").title == "DB down");
  CHECK(command_of("/open 1 DB\ndown\tnow").title == "DB down now");
  CHECK(command_of("/open 1 x for:\"Big\r\nCo\"").sub_customer == "Big Co");
  CHECK(command_of("/assign 1 Wei\nZhang").person == "Wei Zhang");
}

TEST_CASE("other control characters are refused") {
  using namespace std::string_literals;
  for (const std::string& bad :
       {"\x01"s, "\0"s, "\x1B[31m"s, "\v"s, "\f"s, "\x1F"s, "\x7F"s, "\u0080"s, "\u0085"s, "\u009F"s}) {
    INFO("control: " << static_cast<int>(static_cast<unsigned char>(bad[0])));
    const ParseError error = error_of("/note 5 before" + bad + "after");
    CHECK(error.message == "control characters are not allowed");
    CHECK(error.usage == "/note <id> <text>");
  }
  CHECK(error_of("/open 1 DB\x07"
                 "down")
            .usage == std::string(usage_of(Verb::open)));
  CHECK(error_of("/ack 1\x7F").usage == "/ack <id>");
  CHECK(error_of("/ticket note 5 x\x01").usage == "/note <id> <text>");
  CHECK(error_of("/ticket comment 5 x\x01").usage == "/note <id> <text>");
  CHECK(error_of("/ticket \x01").usage == "/help");
  CHECK(error_of("/ticket\t\x01").usage == "/help");
  CHECK(error_of("/frobnicate \x01").usage == "/help");
  CHECK(error_of("/frobnicate \x01").message == "control characters are not allowed");
  CHECK(error_of("@slabot /ack 1 \u0085").usage == "/ack <id>");
  // The characters next to them are fine: U+00A0 follows U+009F, and U+200D joins emoji.
  CHECK(command_of("/note 5 a\u00A0b\u00A1c").text == "a\u00A0b\u00A1c");
  // Chat that is not a command stays silent whatever it holds.
  CHECK(is_silent("hello\x01"));
  CHECK(is_silent("/ack@otherbot 1\x01"));
}

TEST_CASE("quotes inside free text are what someone said") {
  CHECK(command_of("/note 5 he said \"reboot it\" twice").text == "he said \"reboot it\" twice");
  CHECK(command_of("/note 5 6\" rack is full").text == "6\" rack is full");           // no unterminated-quote error
  CHECK(command_of("/resolve 5 \"fixed by failover\"").text == "fixed by failover");  // one pair grouping it all
  CHECK(command_of("/note 5 \u201C已处理\u201D").text == "已处理");
  CHECK(command_of("/note 5 \"a\" and \"b\"").text == "\"a\" and \"b\"");
}

TEST_CASE("sev takes an id and a level") {
  const Command command = command_of("/sev 12 2");
  CHECK(command.verb == Verb::sev);
  CHECK(command.id == 12);
  CHECK(command.severity == 2);
  CHECK(command_of("/sev #12 critical").severity == 1);
  CHECK(command_of("/ticket sev 12 SEV5").severity == 5);
  CHECK(error_of("/sev 12").message == "missing severity");
  CHECK(error_of("/sev 12 9").message.starts_with("severity must be"));
  CHECK(error_of("/sev 12 9").usage == "/sev <id> <level>");
}

TEST_CASE("list defaults to open tickets of any severity") {
  const Command command = command_of("/list");
  CHECK(command.verb == Verb::list);
  CHECK(command.scope == ListScope::open);
  CHECK(command.severity == 0);
}

TEST_CASE("list takes a scope and a severity in either order") {
  CHECK(command_of("/list mine").scope == ListScope::mine);
  CHECK(command_of("/list ALL").scope == ListScope::all);
  CHECK(command_of("/list open").scope == ListScope::open);
  const Command both = command_of("/list all sev1");
  CHECK(both.scope == ListScope::all);
  CHECK(both.severity == 1);
  const Command reversed = command_of("/ticket list sev2 mine");
  CHECK(reversed.scope == ListScope::mine);
  CHECK(reversed.severity == 2);
  const Command by_name = command_of("/list critical");
  CHECK(by_name.scope == ListScope::open);
  CHECK(by_name.severity == 1);
}

TEST_CASE("list refuses ambiguous and repeated filters") {
  CHECK(error_of("/list 2").message == "write a list severity as sevN or a name, like sev2");
  CHECK(error_of("/list mine 2").message == "write a list severity as sevN or a name, like sev2");
  CHECK(command_of("/list closed").tenant == "closed");  // a tenant filter: the service says there is none
  CHECK(error_of("/list mine all").message == "list takes one of open, mine or all");
  CHECK(error_of("/list sev1 sev2").message == "list takes one severity");
  CHECK(error_of("/list mine sev1 x y").message == "list takes one tenant");
  const Command filtered = command_of("/list mine sev1 acme");
  CHECK(filtered.scope == ListScope::mine);
  CHECK(filtered.severity == 1);
  CHECK(filtered.tenant == "acme");
  CHECK(error_of("/list 2").usage == "/list [open|mine|all] [sevN] [tenant]");
}

TEST_CASE("help takes an optional, known command as its topic") {
  const Command plain = command_of("/help");
  CHECK(plain.verb == Verb::help);
  CHECK(plain.text.empty());
  CHECK(command_of("/help ack").text == "ack");
  CHECK(command_of("/help /OPEN").text == "open");
  CHECK(command_of("/help acknowledge").text == "ack");
  CHECK(command_of("/ticket help list").text == "list");
  const ParseError unknown = error_of("/help frobnicate");
  CHECK(unknown.message == "unknown command /frobnicate");
  CHECK(unknown.usage == "/help [command]");
  CHECK(error_of("/help ack sev").message == "too many arguments");
}

TEST_CASE("outbox lists, or retries one message by its number") {
  const Command list = command_of("/outbox");
  CHECK(list.verb == Verb::outbox);
  CHECK(list.message_id == 0);
  CHECK(command_of("/outbox retry 12").message_id == 12);
  CHECK(command_of("/outbox RETRY #12").message_id == 12);
  CHECK(error_of("/outbox retry").message == "missing message number");
  CHECK(error_of("/outbox retry twelve").message == "message number must be a number like 12, as /outbox lists it");
  CHECK(error_of("/outbox resend 12").message == "unknown outbox action resend");
  CHECK(error_of("/outbox retry 12 13").message == "too many arguments");
  CHECK(error_of("/outbox retry").usage == "/outbox [retry <n>]");
}

TEST_CASE("commands longer than 4096 bytes are refused") {
  const std::string head = "/note 1 ";
  const std::string fits = head + std::string(kMaxCommandBytes - head.size(), 'n');
  REQUIRE(fits.size() == 4096);
  CHECK(command_of(fits).text.size() == 4096 - head.size());
  const ParseError error = error_of(fits + "n");
  CHECK(error.message == "message too long");
  CHECK(error.usage == "/help");
  CHECK(is_silent("/ack@otherbot " + std::string(5000, 'x')));  // still not ours
}

TEST_CASE("malformed UTF-8 in a command is refused") {
  CHECK(error_of("/open 1 bad \xFF byte").message == "message is not valid UTF-8");
  CHECK(error_of("/note 1 cut \xE6\x95").message == "message is not valid UTF-8");
  CHECK(error_of("/note 1 overlong \xC0\xAF").message == "message is not valid UTF-8");
  CHECK(error_of("/note 1 surrogate \xED\xA0\x80").message == "message is not valid UTF-8");
}

TEST_CASE("every error is one short line with the right usage") {
  for (const std::string& text : std::vector<std::string>{"/frobnicate",
                                                          "/ack",
                                                          "/ack x",
                                                          "/ack 1 2",
                                                          "/open",
                                                          "/open 9 x",
                                                          "/open 1",
                                                          "/open 1 \"x",
                                                          "/assign 1",
                                                          "/assign 1 @a @b",
                                                          "/sev 1",
                                                          "/note 1",
                                                          "/list 3",
                                                          "/list a b",
                                                          "/sla x y",
                                                          "/help nope",
                                                          "/note 1 a\x01\nb",
                                                          "/ticket \x1B",
                                                          "/open 1 " + std::string(300, 'a'),
                                                          "/" + std::string(5000, 'a')}) {
    INFO("input: " << text.substr(0, 40));
    const ParseError error = error_of(text);
    CHECK_FALSE(error.message.empty());
    CHECK(error.message.find('\n') == std::string::npos);
    CHECK(error.usage.find('\n') == std::string::npos);
    CHECK_FALSE(error.message.ends_with("."));
    CHECK(((error.message[0] >= 'a' && error.message[0] <= 'z')));
    CHECK(error.usage.starts_with("/"));
  }
}

// The helpers the parser is built from, on their own.

TEST_CASE("ASCII case folding leaves every other byte alone") {
  CHECK(utf8::iequals("ACK", "ack"));
  CHECK(utf8::iequals("For:", "fOR:"));
  CHECK_FALSE(utf8::iequals("ack", "acks"));
  CHECK_FALSE(utf8::iequals("\u00C9", "\u00E9"));  // É and é: not ASCII, so not folded
  CHECK(utf8::iequals("数据", "数据"));
  CHECK(utf8::istarts_with("FOR:acme", "for:"));
  CHECK_FALSE(utf8::istarts_with("fo", "for:"));
  CHECK(utf8::ascii_lower('Q') == 'q');
  CHECK(utf8::ascii_lower('@') == '@');
}

TEST_CASE("UTF-8 helpers count and cut by code point") {
  CHECK(utf8::valid("数据库 \U0001F525"));
  CHECK_FALSE(utf8::valid("\xC0\xAF"));
  CHECK(utf8::code_points("数据库") == 3);
  CHECK(utf8::code_points("\U0001F525x") == 2);
  CHECK(utf8::clip("数据库", 2) == "数据...");
  CHECK(utf8::clip("数据库", 3) == "数据库");
}

TEST_CASE("the lexer groups quotes only at a word's start or after for:") {
  lex::Lexer lexer("  \"DB down\" 5\" for:\u201CBig Co\u201D x\"y  ");
  const auto first = lexer.next();
  REQUIRE(first);
  CHECK(first->text == "DB down");
  CHECK(first->first_quote == 0);
  const auto second = lexer.next();
  REQUIRE(second);
  CHECK(second->text == "5\"");
  CHECK(second->first_quote == std::string::npos);
  const auto third = lexer.next();
  REQUIRE(third);
  CHECK(third->text == "for:Big Co");
  CHECK(third->first_quote == 4);
  CHECK(lexer.rest() == "x\"y");
  const auto fourth = lexer.next();
  REQUIRE(fourth);
  CHECK(fourth->text == "x\"y");
  CHECK_FALSE(lexer.next());
  CHECK_FALSE(lexer.failed());

  lex::Lexer open("\"never closed");
  CHECK(open.next()->text == "never closed");
  CHECK(open.failed());
}

TEST_CASE("the lexer's character classes") {
  CHECK(lex::fold_line_breaks("a\r\n\tb\nc ") == "a b c ");
  CHECK(lex::fold_line_breaks("\u3000x\u00A0") == "\u3000x\u00A0");
  CHECK_FALSE(lex::has_control_characters("tab\tline\r\nbreak \u00A0\u00FF"));
  CHECK(lex::has_control_characters("\x7F"));
  CHECK(lex::has_control_characters("\u0080"));
  CHECK(lex::has_control_characters(std::string_view("\0", 1)));
  CHECK(lex::trim("\u3000 x y\u00A0\n") == "x y");
  CHECK(lex::at_sign_at("\uFF20bot") == 3);
  CHECK(lex::quote_at("\u201Dx") == 3);
  CHECK(lex::word_length("ab\u3000cd") == 2);
}

TEST_CASE("/duty asks, or goes on or off, for oneself or one named person") {
  CHECK_FALSE(command_of("/duty").duty_on.has_value());
  CHECK(command_of("/duty on").duty_on == true);
  CHECK(command_of("/duty OFF").duty_on == false);
  CHECK(command_of("/duty on").person.empty());
  CHECK(command_of("/duty on @bob").person == "bob");
  CHECK(command_of("/duty off \"Wei Zhang\"").person == "Wei Zhang");
  CHECK(error_of("/duty maybe").message == "say on or off, not maybe");
  CHECK(error_of("/duty on @bob @erin").message == "duty takes exactly one person");
  CHECK(error_of("/duty on @bob @erin").usage == "/duty [on|off] [person]");
  CHECK(command_of("/oncall").verb == Verb::oncall);
  CHECK(command_of("/oncall acme").tenant == "acme");
  CHECK(error_of("/oncall acme globex").message == "oncall takes one tenant");
}
