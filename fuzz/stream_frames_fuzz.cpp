// The frames a stream gateway sends (adapters/dingtalk/dingtalk_stream_frames.hpp,
// adapters/slack/socket_mode_frames.hpp, adapters/mattermost/mattermost_websocket.hpp,
// adapters/lark/lark_ws_frames.hpp): anything the network hands the bot, read as a DingTalk frame,
// a Socket Mode frame, a Mattermost event, a Lark protobuf frame (and a pong's ClientConfig), and
// each platform's answer to its open call.
//
// Input: one frame's text or bytes (also the body of an open call's answer).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/dingtalk/dingtalk_stream_frames.hpp"
#include "adapters/lark/lark_ws_endpoint.hpp"
#include "adapters/lark/lark_ws_frames.hpp"
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

void check_lark(const std::string& input) {
  std::string error;
  const auto frame = FUZZ_NO_THROW(read_lark_frame(input, error));
  if (const auto every = FUZZ_NO_THROW(lark_ping_interval(input))) FUZZ_CHECK(every->count() > 0);
  if (!frame) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  // Written back and read again, it is the same frame.
  const auto again = read_lark_frame(FUZZ_NO_THROW(lark_frame_bytes(*frame)), error);
  FUZZ_CHECK(again && again->seq_id == frame->seq_id && again->log_id == frame->log_id &&
             again->service == frame->service && again->method == frame->method && again->headers == frame->headers &&
             again->payload == frame->payload);
  // The ack is the frame's own identity, with code 200.
  const auto ack = read_lark_frame(FUZZ_NO_THROW(lark_ack(*frame, std::chrono::milliseconds(3))), error);
  FUZZ_CHECK(ack && ack->seq_id == frame->seq_id && ack->log_id == frame->log_id && ack->service == frame->service &&
             ack->header("message_id") == frame->header("message_id") && ack->header("biz_rt") == "3");
  FUZZ_CHECK(parsed(ack->payload)["code"] == 200);
  // One frame alone completes only itself (whole), else waits or is dropped with a reason.
  LarkFragments fragments;
  const auto added = FUZZ_NO_THROW(fragments.add(*frame));
  FUZZ_CHECK(!added.payload || (*added.payload == frame->payload && added.error.empty()));
  FUZZ_CHECK(fragments.pending() == (added.payload || !added.error.empty() ? 0u : 1u));
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
    const auto lark = FUZZ_NO_THROW(read_lark_endpoint(answer));
    if (const auto* endpoint = std::get_if<LarkEndpoint>(&lark)) {
      FUZZ_CHECK(status == 200 && endpoint->url.starts_with("wss://"));
      FUZZ_CHECK(!endpoint->ping_every || endpoint->ping_every->count() > 0);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  check_dingtalk(input);
  check_socket_mode(input);
  check_mattermost(input);
  check_lark(input);
  check_open_answers(input);
  return 0;
}
