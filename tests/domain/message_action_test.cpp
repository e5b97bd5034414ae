// Buttons on the bot's messages: the value a platform carries back, and the command a tap runs.
#include <catch2/catch.hpp>

#include "domain/message_action.hpp"

using namespace slabot;

TEST_CASE("an action's value reads back as the same action", "[message_action]") {
  for (const auto kind : {ActionKind::ack, ActionKind::escalate, ActionKind::assign_to_me}) {
    const MessageAction action{kind, 12};
    const auto value = action_value(action);
    CHECK(value.size() <= 64);  // Telegram's callback_data limit
    CHECK(parse_action_value(value) == action);
  }
  CHECK(action_value({ActionKind::ack, 12}) == "ack:12");
  CHECK(action_value({ActionKind::assign_to_me, 7}) == "assign:7");
}

TEST_CASE("a tap runs the command a person would type", "[message_action]") {
  CHECK(tap_command({ActionKind::ack, 12}) == "/ack 12");
  CHECK(tap_command({ActionKind::escalate, 3}) == "/escalate 3");
  CHECK(tap_command({ActionKind::assign_to_me, 12}) == "/assign 12 me");
  CHECK(action_label(ActionKind::ack) == "Acknowledge");
  CHECK(action_label(ActionKind::assign_to_me) == "Assign to me");
}

TEST_CASE("a value from outside that is not exactly an action names none", "[message_action]") {
  for (const char* bad : {"", "ack", "ack:", ":12", "ack:0", "ack:012", "ack:-1", "ack:+1", "ack:1x", "ack: 1", "ACK:1",
                          "close:1", "ack:12:3", "ack:1234567890123456789"}) {
    INFO(bad);
    CHECK_FALSE(parse_action_value(bad));
  }
}
