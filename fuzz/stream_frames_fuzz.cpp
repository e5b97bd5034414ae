// The frames a stream gateway sends (adapters/dingtalk/dingtalk_stream_frames.hpp,
// adapters/slack/socket_mode_frames.hpp, adapters/mattermost/mattermost_websocket.hpp): anything
// the network hands the bot, read as a DingTalk frame, a Socket Mode frame, a Mattermost event,
// and each platform's answer to its open call.
//
// Input: one frame's text (also the body of an open call's answer).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/dingtalk/dingtalk_stream_frames.hpp"
#include "adapters/mattermost/mattermost_websocket.hpp"
#include "adapters/slack/form_body.hpp"
#include "adapters/slack/socket_mode_frames.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

json parsed(const std::string& text) { return json::parse(text, nullptr, /*allow_exceptions=*/false); }

void check_dingtalk(const std::string& input) {
  std::string error;
  const auto frame = FUZZ_NO_THROW(read_dingtalk_frame(input, error));
  if (!frame) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(!frame->type.empty() && !frame->message_id.empty());
  // Every answer is JSON under the frame's own messageId, whatever the frame held.
  for (const std::string& answer : {dingtalk_ack(*frame), dingtalk_pong(*frame)}) {
    const json body = parsed(answer);
    FUZZ_CHECK(body.is_object() && body["code"] == 200);
    FUZZ_CHECK(body["headers"]["messageId"] == frame->message_id);
  }
  FUZZ_CHECK(parsed(dingtalk_pong(*frame))["data"] == frame->data);
  FUZZ_CHECK(dingtalk_robot_callback(*frame).body == frame->data);
}

void check_socket_mode(const std::string& input) {
  std::string error;
  const auto frame = FUZZ_NO_THROW(read_socket_mode_frame(input, error));
  if (!frame) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(!frame->type.empty());
  FUZZ_CHECK(parsed(frame->payload).is_object());
  FUZZ_CHECK(parsed(socket_mode_ack(frame->envelope_id))["envelope_id"] == frame->envelope_id);
  // A slash command's payload becomes a form whose every text field reads back as it was.
  const HttpRequest request = FUZZ_NO_THROW(slash_command_request(*frame));
  const auto form = parse_form(request.body);
  FUZZ_CHECK(form.has_value());
  const json payload = parsed(frame->payload);
  for (const auto& [name, value] : payload.items()) {
    if (value.is_string()) FUZZ_CHECK(form_field(*form, name) == value.get<std::string>());
  }
}

void check_mattermost(const std::string& input) {
  std::string error;
  const auto frame = FUZZ_NO_THROW(read_mattermost_frame(input, error));
  if (!frame) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  if (!frame->post) return;
  FUZZ_CHECK(frame->event == "posted" && !frame->post->id.empty());
  // The bot never answers itself, nor a system post; anything else is a message under the post's id.
  const MattermostBot bot{frame->post->user_id.empty() ? "bot" : frame->post->user_id, "slabot"};
  FUZZ_CHECK(!FUZZ_NO_THROW(mattermost_message_of(*frame->post, bot)));
  const auto message = FUZZ_NO_THROW(mattermost_message_of(*frame->post, MattermostBot{"\x01not-a-user", "slabot"}));
  if (message) {
    FUZZ_CHECK(message->event_id == frame->post->id && message->chat_id == frame->post->channel_id);
    FUZZ_CHECK(frame->post->type.empty() && !message->chat_id.empty() && !message->user_id.empty());
  }
}

void check_open_answers(const std::string& input) {
  for (const int status : {200, 401, 503}) {
    const HttpResponse answer{status, {}, input};
    const auto dingtalk = FUZZ_NO_THROW(dingtalk_socket_url(answer));
    if (const auto* url = std::get_if<std::string>(&dingtalk)) {
      FUZZ_CHECK(status == 200 && url->starts_with("wss://") && url->find("ticket=") != std::string::npos);
    }
    const auto slack = FUZZ_NO_THROW(slack_socket_url(answer));
    if (const auto* url = std::get_if<std::string>(&slack)) FUZZ_CHECK(status == 200 && url->starts_with("wss://"));
    const auto mattermost = FUZZ_NO_THROW(mattermost_bot_of(answer));
    if (const auto* bot = std::get_if<MattermostBot>(&mattermost)) FUZZ_CHECK(status == 200 && !bot->user_id.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_dingtalk(input);
  check_socket_mode(input);
  check_mattermost(input);
  check_open_answers(input);
  return 0;
}
