#include "adapters/generic/generic_adapter.hpp"

#include <charconv>
#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

constexpr const char* timestamp_header = "x-slabot-timestamp";
constexpr const char* signature_header = "x-slabot-signature";
constexpr std::string_view signature_prefix = "sha256=";

// A required string member; `allow_empty` for the text, which may legitimately be empty.
std::optional<std::string> string_field(const nlohmann::json& body, const char* name, bool allow_empty) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_string()) return std::nullopt;
  auto value = found->get<std::string>();
  if (value.empty() && !allow_empty) return std::nullopt;
  return value;
}

// The optional "mentions": [{"user_id": "u2", "user_name": "Wei"}, ...]; nullopt when malformed.
std::optional<std::vector<Mention>> mentions_field(const nlohmann::json& body) {
  std::vector<Mention> out;
  const auto found = body.find("mentions");
  if (found == body.end() || found->is_null()) return out;
  if (!found->is_array()) return std::nullopt;
  for (const auto& item : *found) {
    if (!item.is_object()) return std::nullopt;
    auto user_id = string_field(item, "user_id", false);
    if (!user_id) return std::nullopt;
    std::string name;
    if (const auto n = item.find("user_name"); n != item.end() && !n->is_null()) {
      if (!n->is_string()) return std::nullopt;
      name = n->get<std::string>();
    }
    out.push_back({std::move(*user_id), std::move(name)});
  }
  return out;
}

}  // namespace

GenericAdapter::GenericAdapter(const Connection& connection)
    : secret_(required_secret(connection, "generic", "secret")), outbound_url_(connection.outbound_url) {}

std::string GenericAdapter::signature(const std::string& timestamp, const std::string& body) const {
  return std::string(signature_prefix) + hex_encode(hmac_sha256(secret_, timestamp + "." + body));
}

VerifyResult GenericAdapter::verify(const HttpRequest& request, Timestamp now) const {
  const std::string& timestamp = request.header(timestamp_header);
  const std::string& signature = request.header(signature_header);
  if (timestamp.empty() || signature.empty()) {
    return Rejected{401, "missing X-Slabot-Timestamp or X-Slabot-Signature"};
  }
  const auto seconds = parse_unix_seconds(timestamp);
  if (!seconds) return Rejected{401, "X-Slabot-Timestamp is not unix seconds"};
  const Duration skew = now - from_unix_ms(*seconds * 1000);
  if (skew > replay_window || skew < -replay_window) {
    return Rejected{401, "X-Slabot-Timestamp outside the 5 minute window"};
  }
  const std::string_view sent(signature);
  if (!sent.starts_with(signature_prefix)) return Rejected{401, "signature lacks sha256="};
  const auto sent_mac = hex_decode(sent.substr(signature_prefix.size()));
  if (!sent_mac) return Rejected{401, "signature is not hex"};
  // The timestamp is signed exactly as received, so the comparison is over the raw bytes.
  const std::string expected = hmac_sha256(secret_, timestamp + "." + request.body);
  if (!constant_time_equal(*sent_mac, expected)) return Rejected{401, "signature mismatch"};
  return Verified{};
}

ParseOutcome GenericAdapter::parse(const HttpRequest& request) const {
  const auto body = parse_json(request.body);
  if (body.is_discarded() || !body.is_object()) return Rejected{400, "body is not a JSON object"};

  auto event_id = string_field(body, "event_id", false);
  auto chat_id = string_field(body, "chat_id", false);
  auto user_id = string_field(body, "user_id", false);
  auto text = string_field(body, "text", true);
  if (!event_id || !chat_id || !user_id || !text) {
    return Rejected{400, "event_id, chat_id, user_id (non-empty strings) and text are required"};
  }
  std::string user_name = *user_id;
  if (const auto found = body.find("user_name"); found != body.end() && !found->is_null()) {
    if (!found->is_string()) return Rejected{400, "user_name must be a string"};
    if (!found->get_ref<const std::string&>().empty()) user_name = found->get<std::string>();
  }
  auto mentions = mentions_field(body);
  if (!mentions)
    return Rejected{400, "mentions must be a list of {\"user_id\": non-empty string, \"user_name\": string}"};

  InboundMessage message;
  message.platform = adapter_name();  // the server also sets it, with `connection`
  message.event_id = std::move(*event_id);
  message.chat_id = std::move(*chat_id);
  message.user_id = std::move(*user_id);
  message.user_name = std::move(user_name);
  message.text = std::move(*text);
  message.mentions = std::move(*mentions);
  return one_message(std::move(message));
}

HttpAnswer GenericAdapter::sync_reply(const InboundMessage&, const std::string& reply) const {
  return HttpAnswer{200, "application/json", dump_json({{"reply", reply}})};
}

OutboundRequest GenericAdapter::render(const OutboundMessage& message, Timestamp now) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  std::vector<std::string> mentioned;  // the documented body lists user ids
  for (const auto& mention : message.mentions) mentioned.push_back(mention.user_id);
  // The message id is in the signed body; the header repeats it for receivers that
  // de-duplicate before parsing (they should check that the two agree).
  nlohmann::json body = {{"chat_id", message.chat_id}, {"text", message.text}, {"mentions", mentioned}};
  if (!message.message_id.empty()) {
    body["message_id"] = message.message_id;
    request.headers["X-Slabot-Message-Id"] = message.message_id;
  }
  request.body = dump_json(body);
  // Whole seconds, as the receiving side parses them.
  const std::string timestamp = std::to_string(to_unix_ms(now) / 1000);
  request.headers["Content-Type"] = "application/json";
  request.headers["X-Slabot-Timestamp"] = timestamp;
  request.headers["X-Slabot-Signature"] = signature(timestamp, request.body);
  return request;
}

DeliveryResult GenericAdapter::interpret(const HttpResponse& response) const { return interpret_http_status(response); }

}  // namespace slabot
