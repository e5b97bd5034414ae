#pragma once
// The call that opens Lark's (Feishu's) long connection, without a network: the request, and its
// answer read into the socket's URL and what the session needs of it. Frames: lark_ws_frames.hpp.
//
// From Lark's SDK (larksuite/oapi-sdk-go ws/client.go getConnURL and connect, ws/model.go,
// ws/const.go; docs/stream-protocols.md 5.1):
//   POST <open platform domain>/callback/ws/endpoint  {"AppID":"cli_...","AppSecret":"..."}
//   -> {"code":0,"msg":"ok","data":{"URL":"wss://...?device_id=..&service_id=..",
//       "ClientConfig":{"ReconnectCount","ReconnectInterval","ReconnectNonce","PingInterval"}}}
//   code 1 (system busy) and 1000040343 (internal error) are Lark's trouble: try again; any other
//   non-zero code (514 auth failed, 403 forbidden, 1000040350 too many connections, ...) is the
//   client's, which the SDK does not retry. An HTTP status other than 200 is Lark's trouble.
//   The URL's service_id goes into every ping; device_id names the connection in logs.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "adapters/http_types.hpp"

namespace slabot {

// Feishu's open platform; Lark's (larksuite) is https://open.larksuite.com.
inline constexpr const char* lark_open_platform = "https://open.feishu.cn";
inline constexpr const char* lark_endpoint_path = "/callback/ws/endpoint";

// The endpoint call on `base` (the open platform's domain, no trailing slash).
OutboundRequest lark_endpoint_request(const std::string& base, const std::string& app_id,
                                      const std::string& app_secret);

struct LarkEndpoint {
  std::string url;  // wss://..., used as given
  std::int32_t service_id = 0;
  std::string device_id;                           // "" when the URL has none
  std::optional<std::chrono::seconds> ping_every;  // ClientConfig.PingInterval, when it says
};
struct LarkEndpointRefused {
  bool credentials = false;  // Lark refused the app (a client error code): the SDK stops there
  std::string reason;        // the status or code and Lark's msg, never a secret
};
std::variant<LarkEndpoint, LarkEndpointRefused> read_lark_endpoint(const HttpResponse& answer);

}  // namespace slabot
