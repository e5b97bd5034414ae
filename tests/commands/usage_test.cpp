#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <sstream>
#include <string>
#include <vector>

#include "commands/usage.hpp"

using namespace slabot;

namespace {

constexpr std::array kAllVerbs{
    Verb::open,         Verb::ack,    Verb::assign,     Verb::escalate,  Verb::sev,        Verb::note, Verb::resolve,
    Verb::close,        Verb::reopen, Verb::show,       Verb::list,      Verb::sla,        Verb::duty, Verb::oncall,
    Verb::outbox,       Verb::whoami, Verb::help,       Verb::report,    Verb::package,    Verb::ctg,  Verb::done,
    Verb::entitlements, Verb::rate,   Verb::engagement, Verb::milestone, Verb::deliverable};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("usage lines show how each command is typed") {
  CHECK(usage_of(Verb::ack) == "/ack <id>");
  CHECK(usage_of(Verb::open) == "/open <sev> <title> [for:<customer>]");
  CHECK(usage_of(Verb::assign) == "/assign <id> <person>");
  CHECK(usage_of(Verb::list) == "/list [open|mine|all] [sevN] [tenant]");
  CHECK(usage_of(Verb::help) == "/help [command]");
  for (const Verb verb : kAllVerbs) {
    INFO("verb: " << verb_name(verb));
    CHECK(usage_of(verb).starts_with("/" + std::string(verb_name(verb))));
    CHECK(usage_of(verb).find('\n') == std::string_view::npos);
  }
}

TEST_CASE("every verb has its own name and a one-line summary") {
  std::vector<std::string_view> names;
  for (const Verb verb : kAllVerbs) {
    INFO("verb: " << verb_name(verb));
    CHECK_FALSE(summary_of(verb).empty());
    CHECK(summary_of(verb).find('\n') == std::string_view::npos);
    CHECK(summary_of(verb).size() < 80);
    for (const auto name : names) CHECK(name != verb_name(verb));
    names.push_back(verb_name(verb));
  }
  CHECK(verb_name(Verb::ack) == "ack");
  CHECK(verb_name(Verb::whoami) == "whoami");
}

TEST_CASE("help text lists every command once, with usage and summary") {
  const std::vector<std::string> lines = lines_of(help_text());
  REQUIRE(lines.size() == kAllVerbs.size() + 1);  // a heading, then one line per command
  CHECK(lines[0].find("/ticket") != std::string::npos);
  for (const Verb verb : kAllVerbs) {
    INFO("verb: " << verb_name(verb));
    const std::string expected = std::string(usage_of(verb)) + " - " + std::string(summary_of(verb));
    CHECK(help_line(verb) == expected);
    int found = 0;
    for (const auto& line : lines) found += line == expected ? 1 : 0;
    CHECK(found == 1);
  }
}

TEST_CASE("help text is plain ASCII with the same separator as one command's help") {
  const std::string text = help_text();
  CHECK(std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
  CHECK(text.find(" - ") != std::string::npos);
  CHECK(help_line(Verb::ack) == "/ack <id> - Acknowledge a ticket and stop its response clock");
  CHECK(help_line(Verb::assign) == "/assign <id> <person> - Assign a ticket to a support engineer (me: yourself)");
}

TEST_CASE("verb names are found case-insensitively, aliases too") {
  for (const Verb verb : kAllVerbs) {
    INFO("verb: " << verb_name(verb));
    CHECK(verb_from_name(verb_name(verb)) == verb);
  }
  CHECK(verb_from_name("ACK") == Verb::ack);
  CHECK(verb_from_name("WhoAmI") == Verb::whoami);
  CHECK(verb_from_name("acknowledge") == Verb::ack);
  CHECK(verb_from_name("Severity") == Verb::sev);
  CHECK(verb_from_name("comment") == Verb::note);
}

TEST_CASE("anything else is not a verb") {
  CHECK_FALSE(verb_from_name("").has_value());
  CHECK_FALSE(verb_from_name("ticket").has_value());
  CHECK_FALSE(verb_from_name("frobnicate").has_value());
  CHECK_FALSE(verb_from_name("/ack").has_value());
  CHECK_FALSE(verb_from_name("ack ").has_value());
  CHECK_FALSE(verb_from_name("acks").has_value());
}
