#include "adapters/lark/lark_adapter.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/lark/lark_card.hpp"
#include "adapters/lark/lark_crypto.hpp"
#include "adapters/lark/lark_text.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/coded_answer.hpp"
#include "adapters/wire/secrets.hpp"
#include "adapters/wire/stream_base.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr const char* timestamp_header = "x-lark-request-timestamp";
constexpr const char* nonce_header = "x-lark-request-nonce";
constexpr const char* signature_header = "x-lark-signature";
constexpr std::string_view message_event = "im.message.receive_v1";
constexpr std::string_view card_action_callback = "card.action.trigger";
constexpr std::string_view truncated_marker = "\n...(truncated)";

std::string answer_without_code(int) { return "Lark answer without a code"; }

// The custom bot's answer codes; any other (19022 IP refused, 19024 keyword missing, ...) is
// permanent.
const CodeTable& answer_codes() {
  static const CodeTable table{
      .error_prefix = "Lark code",
      // "code" today; older webhook answers said {"StatusCode":0,"StatusMessage":"success"}.
      .code_fields = {"code", "StatusCode"},
      .message_fields = {"msg", "StatusMessage"},
      .rules =
          {
              {.code = 0, .meaning = CodeMeaning::delivered},
              {.code = 11232, .meaning = CodeMeaning::throttled, .wait_from = CodeWait::retry_after},
              // The body: content Lark will not take.
              {.code = 9499, .meaning = CodeMeaning::refused},
              // The IM API (cards sent as the app): the tenant access token was not valid after
              // all; it is forgotten, and the next try fetches another.
              {.code = 99991661, .meaning = CodeMeaning::retry_later},
              {.code = 99991663, .meaning = CodeMeaning::retry_later},
              {.code = 99991668, .meaning = CodeMeaning::retry_later},
              // The IM API's rate limit.
              {.code = 99991400, .meaning = CodeMeaning::throttled},
              // 19021 is one code for a wrong secret and a clock over an hour off: neither heals
              // by retrying, so it falls to the default.
          },
      .without_code = answer_without_code,
  };
  return table;
}

// A non-empty string member, or nullopt.
std::optional<std::string> string_member(const json& object, const char* name) {
  if (!object.is_object()) return std::nullopt;
  const auto found = object.find(name);
  if (found == object.end() || !found->is_string() || found->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

const json& member(const json& object, const char* name) {
  static const json absent;
  if (!object.is_object()) return absent;
  const auto found = object.find(name);
  return found == object.end() ? absent : *found;
}

// The decrypted event, or why the body is not one.
std::variant<json, Rejected> decrypt_body(const std::string& body, const std::string& key) {
  const auto outer = parse_json(body);
  if (outer.is_discarded() || !outer.is_object()) return Rejected{400, "body is not a JSON object"};
  const auto encrypted = string_member(outer, "encrypt");
  if (!encrypted) {
    return Rejected{400,
                    "body is not encrypted: the app has no Encrypt Key in Lark (remove encrypt_key here for "
                    "plain mode, or set the key in Lark)"};
  }
  const auto plain = lark_decrypt(key, *encrypted);
  if (!plain) return Rejected{400, "\"encrypt\" does not decrypt with the encrypt_key"};
  auto inner = parse_json(*plain);
  if (inner.is_discarded() || !inner.is_object()) {
    return Rejected{400, "decrypted body is not a JSON object"};
  }
  return inner;
}

// A plain-mode body: the event itself.
std::variant<json, Rejected> plain_body(const std::string& body) {
  auto event = parse_json(body);
  if (event.is_discarded() || !event.is_object()) return Rejected{400, "body is not a JSON object"};
  if (event.contains("encrypt")) {
    return Rejected{400, "body is encrypted: the app has an Encrypt Key in Lark (set it as encrypt_key here)"};
  }
  return event;
}

// The event in either mode: an empty key is plain mode.
std::variant<json, Rejected> event_of(const std::string& body, const std::string& encrypt_key) {
  return encrypt_key.empty() ? plain_body(body) : decrypt_body(body, encrypt_key);
}

// A long connection's data frame: plain JSON whatever the app's Encrypt Key (the SDKs hand it to
// their dispatcher without decrypting); an "encrypt" body is still opened when there is a key.
std::variant<json, Rejected> pushed_event_of(const std::string& body, const std::string& encrypt_key) {
  if (!encrypt_key.empty() && parse_json(body).contains("encrypt")) return decrypt_body(body, encrypt_key);
  return plain_body(body);
}

bool token_matches(const json& object, const std::string& expected) {
  const auto token = string_member(object, "token");
  return token && constant_time_equal(*token, expected);
}

bool is_url_verification(const json& event) { return string_member(event, "type").value_or("") == "url_verification"; }

// Where an event carries the verification token: header.token in schema 2.0; the top level in
// the v1 shape and in the URL verification.
const json& token_holder(const json& event) { return event.contains("schema") ? member(event, "header") : event; }

}  // namespace

LarkAdapter::LarkAdapter(const Connection& connection)
    : stream_(connection.mode == ConnectionMode::stream), outbound_url_(connection.outbound_url) {
  const auto required = [&](const char* name) {
    const auto found = connection.secrets.find(name);
    if (found == connection.secrets.end() || found->second.empty()) {
      throw std::invalid_argument("lark connection '" + connection.name + "' needs a non-empty secret \"" + name +
                                  "\"");
    }
    return found->second;
  };
  // A stream connection hears Lark over the socket its app credentials opened: no callback to
  // check, so no verification token (the session checks app_id and app_secret).
  if (!stream_) verification_token_ = required("verification_token");
  if (const auto key = connection.secrets.find("encrypt_key"); key != connection.secrets.end()) {
    // Left out, it means plain mode; empty, it is more likely an unset ${VAR} than a choice.
    if (key->second.empty()) {
      throw std::invalid_argument("lark connection '" + connection.name +
                                  "': secret \"encrypt_key\" is empty; remove it for plain mode (no Encrypt Key)");
    }
    encrypt_key_ = key->second;
  }
  bot_secret_ = GroupSecret(connection, "lark", "bot_secret");
  const auto app_id = connection.secrets.find("app_id");
  const auto app_secret = connection.secrets.find("app_secret");
  // With the app's credentials, messages with buttons go as the app's cards: a card's taps come
  // back as callbacks, to /hooks/<connection> in webhook mode and over the long connection in
  // stream mode (which always has the credentials: they open it).
  if (app_id != connection.secrets.end() || app_secret != connection.secrets.end()) {
    if (app_id == connection.secrets.end() || app_id->second.empty() || app_secret == connection.secrets.end() ||
        app_secret->second.empty()) {
      throw std::invalid_argument("lark connection '" + connection.name +
                                  "': secrets \"app_id\" and \"app_secret\" go together, neither empty");
    }
    // The open platform's address: the custom bot's host, or in stream mode the platform the
    // long connection talks to, when stream_url names one (https://open.larksuite.com for Lark).
    const std::string bot_host = LarkApp::api_base_of(outbound_url_);
    app_ = std::make_unique<LarkApp>(app_id->second, app_secret->second,
                                     stream_ ? stream_api_base(connection, bot_host) : bot_host);
  }
}

std::string LarkAdapter::mode_of(const Connection& connection) {
  if (connection.mode == ConnectionMode::stream) {
    return "stream mode (Lark's long connection, opened with app_id and app_secret; no verification token)";
  }
  return connection.secrets.contains("encrypt_key")
             ? "encrypted mode (encrypt_key: events decrypted and signature-checked)"
             : "plain mode (no encrypt_key: events checked by the verification token only)";
}

VerifyResult LarkAdapter::verify(const HttpRequest& request, Timestamp now) const {
  if (stream_) return Rejected{401, "a stream-mode connection takes no HTTP callbacks"};
  if (encrypt_key_.empty()) {
    // Plain mode: the token in the body is all Lark gives to check, events and URL check alike.
    auto parsed = plain_body(request.body);
    if (const auto* rejected = std::get_if<Rejected>(&parsed)) return *rejected;
    if (!token_matches(token_holder(std::get<json>(parsed)), verification_token_)) {
      return Rejected{401, "verification token missing or wrong"};
    }
    return Verified{};
  }
  const std::string& timestamp = request.header(timestamp_header);
  const std::string& nonce = request.header(nonce_header);
  const std::string& signature = request.header(signature_header);

  if (timestamp.empty() && nonce.empty() && signature.empty()) {
    // Lark signs events but not the URL verification, which proves itself with the token.
    auto decrypted = decrypt_body(request.body, encrypt_key_);
    if (const auto* rejected = std::get_if<Rejected>(&decrypted)) return *rejected;
    const json& event = std::get<json>(decrypted);
    if (!is_url_verification(event)) return Rejected{401, "event without X-Lark-Signature"};
    if (!token_matches(event, verification_token_)) {
      return Rejected{401, "url_verification token mismatch"};
    }
    return Verified{};
  }

  if (timestamp.empty() || nonce.empty() || signature.empty()) {
    return Rejected{401, "incomplete X-Lark-Request-Timestamp/-Nonce/-Signature headers"};
  }
  const auto seconds = parse_unix_seconds(timestamp);
  if (!seconds) return Rejected{401, "X-Lark-Request-Timestamp is not unix seconds"};
  const Duration skew = now - from_unix_ms(*seconds * 1000);
  if (skew > replay_window || skew < -replay_window) {
    return Rejected{401, "X-Lark-Request-Timestamp more than an hour off"};
  }
  const auto sent = hex_decode(signature);
  if (!sent) return Rejected{401, "X-Lark-Signature is not hex"};
  // Plain SHA-256 (no HMAC) over the headers as received and the raw body.
  const std::string expected = sha256(timestamp + nonce + encrypt_key_ + request.body);
  if (!constant_time_equal(*sent, expected)) return Rejected{401, "X-Lark-Signature mismatch"};
  return Verified{};
}

ParseOutcome LarkAdapter::parse(const HttpRequest& request) const {
  auto decrypted = stream_ ? pushed_event_of(request.body, encrypt_key_) : event_of(request.body, encrypt_key_);
  if (const auto* rejected = std::get_if<Rejected>(&decrypted)) return *rejected;
  const json& event = std::get<json>(decrypted);

  if (!stream_ && is_url_verification(event)) {
    if (!token_matches(event, verification_token_)) {
      return Rejected{401, "url_verification token mismatch"};
    }
    const auto challenge = string_member(event, "challenge");
    if (!challenge) return Rejected{400, "url_verification without a challenge"};
    return HttpAnswer{200, "application/json", dump_json({{"challenge", *challenge}})};
  }

  if (string_member(event, "schema").value_or("") != "2.0") {
    return Rejected{400, "not an event of schema 2.0 (subscribe with the v2.0 event format)"};
  }
  const json& header = member(event, "header");
  // Pushed through the connection the app's secret opened, an event needs no token of its own.
  if (!stream_ && !token_matches(header, verification_token_)) return Rejected{401, "header.token mismatch"};
  const auto event_id = string_member(header, "event_id");
  if (!event_id) return Rejected{400, "header.event_id missing"};
  const std::string event_type = string_member(header, "event_type").value_or("");
  if (event_type == card_action_callback) {
    auto tap = lark_tap_from(event);
    if (auto* rejected = std::get_if<Rejected>(&tap)) return std::move(*rejected);
    return one_message(std::get<InboundMessage>(std::move(tap)));
  }
  if (event_type != message_event) return ParsedMessages{};

  const json& body = member(event, "event");
  const json& sender = member(body, "sender");
  // Other apps' messages (sender_type "app") are never commands, and ignoring them avoids loops.
  if (string_member(sender, "sender_type").value_or("") != "user") return ParsedMessages{};
  const json& message = member(body, "message");
  if (string_member(message, "message_type").value_or("") != "text") return ParsedMessages{};

  const auto open_id = string_member(member(sender, "sender_id"), "open_id");
  const auto chat_id = string_member(message, "chat_id");
  const auto content = string_member(message, "content");
  if (!open_id || !chat_id || !content) {
    return Rejected{400, "sender_id.open_id, message.chat_id and message.content are required"};
  }
  // content is itself JSON, in a string: {"text":"@_user_1 /ticket ..."}.
  const auto parsed_content = parse_json(*content);
  const json& text = member(parsed_content, "text");
  if (!text.is_string()) return Rejected{400, "message.content has no text"};

  std::vector<LarkMention> mentions;
  if (const json& list = member(message, "mentions"); list.is_array()) {
    for (const auto& item : list) {
      LarkMention mention;
      mention.key = string_member(item, "key").value_or("");
      mention.name = string_member(item, "name").value_or("");
      mention.open_id = string_member(member(item, "id"), "open_id").value_or("");
      if (!mention.key.empty()) mentions.push_back(std::move(mention));
    }
  } else if (!list.is_null()) {
    return Rejected{400, "message.mentions is not an array"};
  }

  InboundMessage inbound;
  inbound.platform = adapter_name();
  inbound.event_id = *event_id;
  inbound.chat_id = *chat_id;
  inbound.user_id = *open_id;
  inbound.user_name = *open_id;  // the event carries no sender name
  inbound.text = lark_inbound_text(text.get_ref<const std::string&>(), mentions, &inbound.mentions);
  return one_message(std::move(inbound));
}

HttpAnswer LarkAdapter::sync_reply(const InboundMessage&, const std::string&) const {
  return HttpAnswer{200, "application/json", "{}"};
}

HttpAnswer LarkAdapter::sync_answer(const InboundMessage& message, const Reply& reply) const {
  if (message.tap) return lark_tap_answer(*message.tap, reply);
  return sync_reply(message, reply.text);
}

std::optional<OutboundRequest> LarkAdapter::credential_request(const OutboundMessage& message, Timestamp now) const {
  if (!app_ || message.actions.empty()) return std::nullopt;
  return app_->credential_request(now);
}

DeliveryResult LarkAdapter::take_credential(const HttpResponse& response, Timestamp at) const {
  if (!app_) return Delivered{};
  return app_->take_credential(response, at);
}

OutboundRequest LarkAdapter::render(const OutboundMessage& message, Timestamp now) const {
  if (app_ && !message.actions.empty()) return app_->render(message);
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  request.headers["Content-Type"] = "application/json; charset=utf-8";

  json body = json::object();
  body["msg_type"] = "text";
  if (const std::string& secret = bot_secret_.for_message(message); !secret.empty()) {
    // Seconds; the key is timestamp + "\n" + secret and the signed message is empty.
    const std::string timestamp = std::to_string(to_unix_ms(now) / 1000);
    body["timestamp"] = timestamp;
    body["sign"] = base64_encode(hmac_sha256(timestamp + "\n" + secret, ""));
  }
  const auto body_with = [&](const std::string& text) {
    body["content"] = {{"text", lark_outbound_text(text, message.mentions)}};
    return dump_json(body);
  };
  request.body = body_with(message.text);
  if (request.body.size() > max_body_bytes) {
    // The longest prefix of the text that fits with the marker and every mention (escaping
    // makes the JSON size no simple function of the text's, so search). Bodies that still do
    // not fit (thousands of mentions) go as they are and Lark's refusal is logged.
    std::size_t fits = 0;
    std::size_t too_long = message.text.size();
    while (too_long - fits > 1) {
      const std::size_t middle = fits + (too_long - fits) / 2;
      const std::string candidate = truncate_utf8(message.text, middle) + std::string(truncated_marker);
      if (body_with(candidate).size() <= max_body_bytes) {
        fits = middle;
      } else {
        too_long = middle;
      }
    }
    request.body = body_with(truncate_utf8(message.text, fits) + std::string(truncated_marker));
  }
  return request;
}

DeliveryResult LarkAdapter::interpret(const HttpResponse& response) const {
  if (app_) app_->forget_token_if_refused(response);
  return read_coded_answer(response, answer_codes());
}

}  // namespace slabot
