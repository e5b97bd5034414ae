#pragma once
// DingTalk Stream mode's wire format, without a network: the open call's body and answer, the
// frames the gateway pushes over the WebSocket and the frames that answer them. The session that
// drives them is bot/stream/dingtalk_stream_session.
//
// From DingTalk's published protocol ("Stream 模式" on open.dingtalk.com, and its reference
// SDKs open-dingtalk/dingtalk-stream-sdk-go client/client.go, payload/data_frame.go):
//   open:   POST https://api.dingtalk.com/v1.0/gateway/connections/open
//           {"clientId","clientSecret","subscriptions":[{"type":"CALLBACK","topic":
//           "/v1.0/im/bot/messages/get"}],"ua"} -> {"endpoint":"wss://...","ticket":"..."};
//           the socket is endpoint + "?ticket=" + ticket (a ticket is good for one connection).
//   push:   {"specVersion","type":"SYSTEM"|"EVENT"|"CALLBACK","headers":{"messageId","topic",
//           "contentType","time",...},"data":"<JSON text>"}
//   answer: {"code":200,"headers":{"contentType":"application/json","messageId"},"message":"OK",
//           "data":"..."}: every CALLBACK and EVENT, or DingTalk pushes it again; SYSTEM "ping"
//           is answered with its own data; SYSTEM "disconnect" announces the socket's end.
// A robot message (CALLBACK topic /v1.0/im/bot/messages/get) carries in `data` the same JSON
// body an HTTP-mode robot callback has, so the DingTalk adapter's parse() reads it.
#include <optional>
#include <string>
#include <variant>

#include "adapters/http_types.hpp"

namespace slabot {

inline constexpr const char* dingtalk_open_api = "https://api.dingtalk.com";
inline constexpr const char* dingtalk_open_path = "/v1.0/gateway/connections/open";
inline constexpr const char* dingtalk_robot_topic = "/v1.0/im/bot/messages/get";

// The open call's JSON body.
std::string dingtalk_open_body(const std::string& client_id, const std::string& client_secret,
                               const std::string& user_agent);

// The open call's answer read: the socket's URL (endpoint?ticket=...), or what was wrong.
struct DingTalkOpenRefused {
  bool credentials = false;  // the platform refused the app (401/403, or an auth error code)
  std::string reason;        // for the log: the status and DingTalk's code/message, never a secret
};
std::variant<std::string, DingTalkOpenRefused> dingtalk_socket_url(const HttpResponse& answer);

struct DingTalkFrame {
  std::string type;  // SYSTEM, EVENT, CALLBACK
  std::string topic;
  std::string message_id;
  std::string time;  // the push's time, unix ms as DingTalk wrote it ("" when absent)
  std::string data;
};
// nullopt with `error` set when `text` is not a frame (not JSON, no type or messageId).
std::optional<DingTalkFrame> read_dingtalk_frame(const std::string& text, std::string& error);

// The answer to a CALLBACK or EVENT: code 200 "OK" with data {"response":null} (the bot answers
// through the session webhook, not here).
std::string dingtalk_ack(const DingTalkFrame& frame);
// The answer to SYSTEM ping: its own data back, under its messageId.
std::string dingtalk_pong(const DingTalkFrame& frame);

// A robot message as the HTTP-mode callback the adapter parses: the body is the frame's data,
// the timestamp header the push's time (DingTalk's clock, which the session webhook's expiry is
// measured against).
HttpRequest dingtalk_robot_callback(const DingTalkFrame& frame);

}  // namespace slabot
