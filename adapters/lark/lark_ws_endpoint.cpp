#include "adapters/lark/lark_ws_endpoint.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "adapters/lark/lark_ws_frames.hpp"
#include "adapters/wire.hpp"

namespace slabot {
namespace {

using nlohmann::json;

// Lark's codes for its own trouble (ws/const.go SystemBusy, InternalError): the next attempt may work.
constexpr std::int64_t system_busy = 1;
constexpr std::int64_t internal_error = 1000040343;

// The query parameter's value in `url`, "" when absent (Lark's values are plain ids: no decoding).
std::string query_value(const std::string& url, const std::string& name) {
  const auto query = url.find('?');
  if (query == std::string::npos) return "";
  std::size_t at = query + 1;
  while (at < url.size()) {
    const auto end = std::min(url.find('&', at), url.size());
    const std::string pair = url.substr(at, end - at);
    if (pair.starts_with(name + "=")) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

std::string said(const json& body) {
  const auto msg = body.find("msg");
  return msg != body.end() && msg->is_string() && !msg->get_ref<const std::string&>().empty()
             ? " " + msg->get<std::string>()
             : "";
}

}  // namespace

OutboundRequest lark_endpoint_request(const std::string& base, const std::string& app_id,
                                      const std::string& app_secret) {
  OutboundRequest request;
  request.method = "POST";
  request.url = base + lark_endpoint_path;
  request.headers["Content-Type"] = "application/json";
  request.headers["locale"] = "zh";  // as the SDK sends it
  // Capitalised keys, as the SDK's BootstrapRequest has them.
  request.body = dump_json({{"AppID", app_id}, {"AppSecret", app_secret}});
  return request;
}

std::variant<LarkEndpoint, LarkEndpointRefused> read_lark_endpoint(const HttpResponse& answer) {
  if (answer.status == 0) return LarkEndpointRefused{false, "no answer: " + answer.body};
  const json body = parse_json(answer.body);
  if (answer.status != 200) {
    return LarkEndpointRefused{false, "HTTP " + std::to_string(answer.status) + (body.is_object() ? said(body) : "")};
  }
  if (!body.is_object()) return LarkEndpointRefused{false, "the endpoint answer is not a JSON object"};
  const auto code = body.find("code");
  if (code == body.end() || !code->is_number_integer()) {
    return LarkEndpointRefused{false, "the endpoint answer has no code"};
  }
  const auto value = code->get<std::int64_t>();
  if (value != 0) {
    const bool lark_trouble = value == system_busy || value == internal_error;
    return LarkEndpointRefused{!lark_trouble, "Lark code " + std::to_string(value) + said(body)};
  }
  const auto data = body.find("data");
  if (data == body.end() || !data->is_object()) return LarkEndpointRefused{false, "the endpoint answer has no data"};
  LarkEndpoint endpoint;
  if (const auto url = data->find("URL"); url != data->end() && url->is_string())
    endpoint.url = url->get<std::string>();
  if (!endpoint.url.starts_with("wss://")) return LarkEndpointRefused{false, "the endpoint answer has no wss:// URL"};
  const std::string service = query_value(endpoint.url, "service_id");
  const auto [end, error] = std::from_chars(service.data(), service.data() + service.size(), endpoint.service_id);
  // As the SDK's ParseInt: a missing or bad service_id pings service 0.
  if (error != std::errc() || end != service.data() + service.size()) endpoint.service_id = 0;
  endpoint.device_id = query_value(endpoint.url, "device_id");
  if (const auto config = data->find("ClientConfig"); config != data->end() && config->is_object()) {
    endpoint.ping_every = lark_ping_interval(config->dump());
  }
  return endpoint;
}

}  // namespace slabot
