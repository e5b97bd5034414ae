#include "adapters/slack/form_body.hpp"

#include "adapters/slack/slash_command.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("form bodies decode '+', %XX and keep the first of a repeated name", "[slack]") {
  const auto form = parse_form("a=1+2&b=%2Fticket%20ack&a=3&empty=&bare&&c=%E4%BD%A0");
  REQUIRE(form);
  CHECK(form_field(*form, "a") == "1 2");
  CHECK(form_field(*form, "b") == "/ticket ack");
  CHECK(form_field(*form, "empty").empty());
  CHECK(form->contains("bare"));
  CHECK(form_field(*form, "c") == "\xE4\xBD\xA0");
  CHECK(form_field(*form, "missing").empty());
  REQUIRE(parse_form(""));
  CHECK(parse_form("")->empty());
}

TEST_CASE("form bodies with broken escapes or bytes that are not UTF-8 are refused", "[slack]") {
  for (const char* body : {"a=%", "a=%4", "a=%G1", "%ZZ=1", "a=%C3%28", "a=%ED%A0%80", "a=%C0%AF", "a=%F4%90%80%80"}) {
    CAPTURE(body);
    CHECK_FALSE(parse_form(body));
  }
}

TEST_CASE("a slash command needs a /command, a channel and a user", "[slack]") {
  const auto form = parse_form("command=%2Fticket&text=ack+12&channel_id=C1&user_id=U1&trigger_id=t1&response_url=r1");
  REQUIRE(form);
  const auto command = slash_command_from(*form);
  REQUIRE(std::holds_alternative<SlashCommand>(command));
  const auto& slash = std::get<SlashCommand>(command);
  CHECK(slash.command_line() == "/ticket ack 12");
  CHECK(slash.event_id() == "t1");
  SlashCommand without_trigger = slash;
  without_trigger.trigger_id.clear();
  CHECK(without_trigger.event_id() == "r1");  // response_url is unique per invocation too

  for (const char* body : {"command=%2F&channel_id=C1&user_id=U1", "command=ticket&channel_id=C1&user_id=U1",
                           "command=%2Fticket&user_id=U1", "command=%2Fticket&channel_id=C1"}) {
    CAPTURE(body);
    const auto bad = slash_command_from(*parse_form(body));
    REQUIRE(std::holds_alternative<Rejected>(bad));
    CHECK(std::get<Rejected>(bad).status == 400);
  }
}
