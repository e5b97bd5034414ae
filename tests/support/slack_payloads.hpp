#pragma once
// A tap on one of the bot's Slack buttons as Slack posts it to the Interactivity Request URL: a
// block_actions payload shaped like the example in Slack's "Interaction payloads" reference.
#include <nlohmann/json.hpp>

#include <string>

namespace slabot::testing {

struct SlackTap {
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string value;  // the button's value, "ack:12"
  std::string response_url;
  std::string trigger_id;
  std::string message_ts = "1700000000.000100";
  std::string message_text = "#12 breached";  // the tapped message, as Slack gives it back
};

inline nlohmann::json block_actions(const SlackTap& tap) {
  return {
      {"type", "block_actions"},
      {"team", {{"id", "T0001"}, {"domain", "example"}}},
      {"user", {{"id", tap.user_id}, {"username", tap.user_name}, {"name", tap.user_name}, {"team_id", "T0001"}}},
      {"api_app_id", "A123456"},
      {"container",
       {{"type", "message"}, {"message_ts", tap.message_ts}, {"channel_id", tap.channel_id}, {"is_ephemeral", false}}},
      {"trigger_id", tap.trigger_id},
      {"channel", {{"id", tap.channel_id}, {"name", "acme-7x24"}}},
      {"message", {{"type", "message"}, {"ts", tap.message_ts}, {"text", tap.message_text}}},
      {"response_url", tap.response_url},
      {"actions", nlohmann::json::array({{{"action_id", "ack"},
                                          {"block_id", "slabot"},
                                          {"text", {{"type", "plain_text"}, {"text", "Acknowledge"}}},
                                          {"value", tap.value},
                                          {"type", "button"},
                                          {"action_ts", "1700000001.000200"}}})}};
}

}  // namespace slabot::testing
