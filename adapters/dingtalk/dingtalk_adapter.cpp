#include "adapters/dingtalk/dingtalk_adapter.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/wire.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr const char* timestamp_header = "timestamp";
constexpr const char* sign_header = "sign";
// DingTalk's errcodes (robot send and session webhook answers).
constexpr long long errcode_ok = 0;
constexpr long long errcode_busy = -1;              // system busy: try again
constexpr long long errcode_security = 310000;      // keyword, timestamp, signature or IP list
constexpr long long errcode_too_fast = 130101;      // over 20 a minute: muted for 10 minutes
constexpr long long errcode_throttled = 410100;     // throttled for sending too fast
// A session webhook past its sessionWebhookExpiredTime answers {"errcode":300001,"errmsg":
// "session 不存在"} (not in the vendor's error list; as reported against DingTalk, e.g.
// agentscope-ai/agentscope#1317). The custom robot uses 300001 for other faults, so the errmsg
// tells them apart.
constexpr long long errcode_session_gone = 300001;
constexpr std::size_t max_error_text = 120;          // errmsg is for the log, keep it short

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The leading or trailing blank, if any: ASCII whitespace, or the no-break, four-per-em and
// ideographic spaces IM clients put around @-mentions. Returns its length in bytes.
std::size_t blank_at_front(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  for (std::string_view blank : {"\u00A0", "\u2005", "\u3000"}) {
    if (s.starts_with(blank)) return blank.size();
  }
  return 0;
}

std::size_t blank_at_back(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  for (std::string_view blank : {"\u00A0", "\u2005", "\u3000"}) {
    if (s.ends_with(blank)) return blank.size();
  }
  return 0;
}

std::string trim_blanks(std::string_view s) {
  while (const std::size_t n = blank_at_front(s)) s.remove_prefix(n);
  while (const std::size_t n = blank_at_back(s)) s.remove_suffix(n);
  return std::string(s);
}

// RFC 3986 percent-encoding (unreserved characters kept), as DingTalk's samples encode the sign.
std::string url_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0x0f]);
    }
  }
  return out;
}

// Session webhooks (https://oapi.dingtalk.com/robot/sendBySession?session=...) authenticate by
// their session parameter and are never signed; the custom robot's /robot/send is.
bool is_session_webhook(std::string_view url) {
  return url.find("/robot/sendBySession") != std::string_view::npos;
}

// A string member: nullopt when absent or null, an error when of another type.
struct OptionalString {
  std::optional<std::string> value;
  bool wrong_type = false;
};

OptionalString optional_string(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) return {};
  if (!found->is_string()) return {std::nullopt, true};
  return {found->get<std::string>(), false};
}

// Milliseconds since the epoch from a JSON number or a string of digits; nullopt otherwise.
std::optional<std::int64_t> unix_millis(const json& value) {
  if (value.is_number_unsigned()) {
    const auto ms = value.get<std::uint64_t>();
    if (ms <= 999'999'999'999'999ULL) return static_cast<std::int64_t>(ms);
    return std::nullopt;
  }
  if (value.is_string()) return parse_unix_millis(value.get_ref<const std::string&>());
  return std::nullopt;
}

// Whether the session webhook still has more than the margin to live when DingTalk sent the
// callback. parse() has no clock, and needs none: the signed timestamp header is DingTalk's clock,
// the one that set the expiry (and verify() has held it to within an hour of ours). No expiry at
// all: usable, as before DingTalk sent one; an expiry that cannot be read: not.
bool session_webhook_live(const json& body, const HttpRequest& request) {
  const auto expiry = body.find("sessionWebhookExpiredTime");
  if (expiry == body.end() || expiry->is_null()) return true;
  const auto expires_ms = unix_millis(*expiry);
  const auto sent_ms = parse_unix_millis(request.header(timestamp_header));
  if (!expires_ms || !sent_ms) return false;
  return from_unix_ms(*expires_ms) - from_unix_ms(*sent_ms) > DingTalkAdapter::session_webhook_margin;
}

std::string short_text(std::string text) {
  if (text.size() > max_error_text) {
    text.resize(max_error_text);
    // Do not leave half a UTF-8 sequence at the end of the log line.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80) != 0) text.pop_back();
    text += "...";
  }
  return text;
}

}  // namespace

DingTalkAdapter::DingTalkAdapter(const Connection& connection)
    : outbound_url_(connection.outbound_url) {
  const auto app = connection.secrets.find("app_secret");
  if (app == connection.secrets.end() || app->second.empty()) {
    throw std::invalid_argument("dingtalk connection '" + connection.name +
                                "' needs a non-empty secret \"app_secret\" (the robot's AppSecret)");
  }
  app_secret_ = app->second;
  if (const auto robot = connection.secrets.find("robot_secret");
      robot != connection.secrets.end()) {
    if (robot->second.empty()) {
      throw std::invalid_argument("dingtalk connection '" + connection.name +
                                  "': secret \"robot_secret\" is empty; remove it to send unsigned");
    }
    robot_secret_ = robot->second;
  }
  for (const auto& [chat_id, secrets] : connection.group_secrets) {
    const auto robot = secrets.find("robot_secret");
    if (robot == secrets.end()) continue;
    if (robot->second.empty()) {
      throw std::invalid_argument("dingtalk connection '" + connection.name + "', group '" + chat_id +
                                  "': secret \"robot_secret\" is empty; remove it to use the connection's");
    }
    group_robot_secrets_[chat_id] = robot->second;
  }
}

const std::string& DingTalkAdapter::robot_secret_for(const OutboundMessage& message) const {
  // A message without a url goes to the connection's robot, which has the connection's secret.
  if (message.url.empty()) return robot_secret_;
  const auto group = group_robot_secrets_.find(message.chat_id);
  return group == group_robot_secrets_.end() ? robot_secret_ : group->second;
}

VerifyResult DingTalkAdapter::verify(const HttpRequest& request, Timestamp now) const {
  const std::string& timestamp = request.header(timestamp_header);
  const std::string& sign = request.header(sign_header);
  if (timestamp.empty() || sign.empty()) return Rejected{401, "missing timestamp or sign header"};
  const auto ms = parse_unix_millis(timestamp);
  if (!ms) return Rejected{401, "timestamp header is not unix milliseconds"};
  const Duration skew = now - from_unix_ms(*ms);
  if (skew > replay_window || skew < -replay_window) {
    return Rejected{401, "timestamp header more than an hour off"};
  }
  const auto sent = base64_decode(sign);
  if (!sent) return Rejected{401, "sign header is not base64"};
  // The signed string is the timestamp exactly as received; the body is not covered.
  const std::string expected = hmac_sha256(app_secret_, timestamp + "\n" + app_secret_);
  if (!constant_time_equal(*sent, expected)) return Rejected{401, "sign mismatch"};
  return Verified{};
}

ParseOutcome DingTalkAdapter::parse(const HttpRequest& request) const {
  const auto body = parse_json(request.body);
  if (body.is_discarded() || !body.is_object()) return Rejected{400, "body is not a JSON object"};

  const auto msgtype = optional_string(body, "msgtype");
  if (!msgtype.value) return Rejected{400, "msgtype missing or not a string"};
  // Pictures, voice, files and rich text carry no command text.
  if (*msgtype.value != "text") return ParsedMessages{};

  const auto msg_id = optional_string(body, "msgId");
  const auto conversation = optional_string(body, "conversationId");
  const auto staff_id = optional_string(body, "senderStaffId");
  const auto sender_id = optional_string(body, "senderId");
  const auto nick = optional_string(body, "senderNick");
  const auto webhook = optional_string(body, "sessionWebhook");
  if (msg_id.wrong_type || conversation.wrong_type || staff_id.wrong_type ||
      sender_id.wrong_type || nick.wrong_type || webhook.wrong_type) {
    return Rejected{400, "a message field has the wrong type"};
  }
  if (!msg_id.value || msg_id.value->empty() || !conversation.value ||
      conversation.value->empty()) {
    return Rejected{400, "msgId and conversationId are required"};
  }
  std::string user_id = staff_id.value.value_or("");
  if (user_id.empty()) user_id = sender_id.value.value_or("");
  if (user_id.empty()) return Rejected{400, "senderStaffId or senderId is required"};

  const auto text = body.find("text");
  if (text == body.end() || !text->is_object()) return Rejected{400, "text object missing"};
  const auto content = optional_string(*text, "content");
  if (!content.value) return Rejected{400, "text.content missing or not a string"};

  InboundMessage message;
  message.platform = adapter_name();
  message.event_id = *msg_id.value;
  message.chat_id = *conversation.value;
  message.user_id = user_id;
  message.user_name = nick.value && !nick.value->empty() ? *nick.value : user_id;
  // DingTalk removes the @bot part but leaves the blank that followed it.
  message.text = trim_blanks(*content.value);
  // A webhook that is about to expire is left out: the reply goes to the group's robot instead
  // of failing after a wait in the outbox.
  if (webhook.value && std::string_view(*webhook.value).starts_with(trusted_reply_prefix) &&
      session_webhook_live(body, request)) {
    message.reply_url = *webhook.value;
  }
  return ParsedMessages{{std::move(message)}};
}

HttpAnswer DingTalkAdapter::sync_reply(const InboundMessage&, const std::string&) const {
  return HttpAnswer{200, "application/json", "{}"};
}

OutboundRequest DingTalkAdapter::render(const OutboundMessage& message, Timestamp now) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;

  std::string content = message.text;
  std::vector<std::string> at_user_ids;
  for (const auto& mention : message.mentions) {
    if (mention.user_id.empty()) continue;
    bool seen = false;
    for (const auto& id : at_user_ids) seen = seen || id == mention.user_id;
    if (seen) continue;
    at_user_ids.push_back(mention.user_id);
    // The mention is shown (and notifies) only where "@userid" appears in the text.
    if (content.find("@" + mention.user_id) == std::string::npos) {
      content += (content.empty() ? "@" : " @") + mention.user_id;
    }
  }
  json body = {{"msgtype", "text"},
               {"text", {{"content", content}}},
               {"at", {{"atUserIds", at_user_ids}, {"isAtAll", false}}}};
  // The custom robot's idempotency key: a resend with the same msgUuid is not posted twice
  // (DingTalk's "custom robots send group messages"). Only the robot webhook documents it.
  if (!message.message_id.empty() && !is_session_webhook(request.url)) body["msgUuid"] = message.message_id;
  request.body = dump(body);
  request.headers["Content-Type"] = "application/json; charset=utf-8";

  const std::string& secret = robot_secret_for(message);
  if (!secret.empty() && !request.url.empty() && !is_session_webhook(request.url)) {
    const std::string ms = std::to_string(to_unix_ms(now));
    const std::string sign = base64_encode(hmac_sha256(secret, ms + "\n" + secret));
    request.url += (request.url.find('?') == std::string::npos ? "?" : "&");
    request.url += "timestamp=" + ms + "&sign=" + url_encode(sign);
  }
  return request;
}

DeliveryResult DingTalkAdapter::interpret(const HttpResponse& response) const {
  const auto body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const bool has_code = body.is_object() && body.contains("errcode") &&
                        body.at("errcode").is_number_integer();
  if (!has_code) {
    const DeliveryResult by_status = interpret_http_status(response);
    // A 2xx without DingTalk's errcode is not DingTalk's answer (a proxy's page, say): nothing
    // says the message arrived.
    if (std::holds_alternative<Delivered>(by_status)) {
      return RetryLater{std::nullopt, "DingTalk answer without errcode"};
    }
    return by_status;
  }
  const long long code = body.at("errcode").get<long long>();
  std::string errmsg;
  if (const auto found = body.find("errmsg"); found != body.end() && found->is_string()) {
    errmsg = found->get<std::string>();
  }
  const std::string error = "DingTalk errcode " + std::to_string(code) +
                            (errmsg.empty() ? "" : ": " + short_text(errmsg));
  switch (code) {
    case errcode_ok:
      return Delivered{};
    case errcode_busy:
      return Throttled{retry_after(response), error};
    case errcode_too_fast:
      return Throttled{muted_for, error};
    case errcode_throttled:
      return Throttled{std::chrono::minutes(1), error};
    case errcode_session_gone:
      if (errmsg.find("session") != std::string::npos) {
        // Nothing to wait for: the session will not come back, and the row keeps only the url.
        return GiveUp{error + " (the callback's sessionWebhook expired before the reply was sent)"};
      }
      return GiveUp{error};
    case errcode_security:
      // One code for four causes. Only a stale timestamp heals on its own: the next attempt is
      // signed afresh. A wrong secret, a missing keyword or an IP outside the allow-list do not.
      if (errmsg.find("timestamp") != std::string::npos) return RetryLater{std::nullopt, error};
      return GiveUp{error};
    default:
      // An unknown token, a dissolved group, a stopped robot, refused content: permanent.
      return GiveUp{error};
  }
}

}  // namespace slabot
