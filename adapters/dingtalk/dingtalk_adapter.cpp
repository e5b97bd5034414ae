#include "adapters/dingtalk/dingtalk_adapter.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/dingtalk/dingtalk_buttons.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/coded_answer.hpp"
#include "adapters/wire/percent.hpp"
#include "adapters/wire/secrets.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr const char* timestamp_header = "timestamp";
constexpr const char* sign_header = "sign";
std::string answer_without_code(int) { return "DingTalk answer without errcode"; }

// DingTalk's errcodes (robot send and session webhook answers). An unknown token, a dissolved
// group, a stopped robot, refused content: permanent.
const CodeTable& errcodes() {
  static const CodeTable table{
      .error_prefix = "DingTalk errcode",
      .code_fields = {"errcode"},
      .message_fields = {"errmsg"},
      .rules =
          {
              {.code = 0, .meaning = CodeMeaning::delivered},
              // System busy: try again.
              {.code = -1, .meaning = CodeMeaning::throttled, .wait_from = CodeWait::retry_after},
              // Over 20 a minute: muted for 10 minutes.
              {.code = 130101,
               .meaning = CodeMeaning::throttled,
               .wait_from = CodeWait::fixed,
               .wait = DingTalkAdapter::muted_for},
              // Throttled for sending too fast.
              {.code = 410100,
               .meaning = CodeMeaning::throttled,
               .wait_from = CodeWait::fixed,
               .wait = std::chrono::minutes(1)},
              // A session webhook past its sessionWebhookExpiredTime answers {"errcode":300001,
              // "errmsg":"session 不存在"} (not in the vendor's error list; as reported against
              // DingTalk, e.g. agentscope-ai/agentscope#1317). The custom robot uses 300001 for
              // other faults, so the errmsg tells them apart. Nothing to wait for: the session
              // will not come back, and the row keeps only the url.
              {.code = 300001,
               .meaning = CodeMeaning::give_up,
               .when_message_has = "session",
               .note = " (the callback's sessionWebhook expired before the reply was sent)"},
              // 310000 is one code for four causes: keyword, timestamp, signature or IP list. Only
              // a stale timestamp heals on its own: the next attempt is signed afresh.
              {.code = 310000, .meaning = CodeMeaning::retry_later, .when_message_has = "timestamp"},
          },
      .without_code = answer_without_code,
  };
  return table;
}

// Session webhooks (https://oapi.dingtalk.com/robot/sendBySession?session=...) authenticate by
// their session parameter and are never signed; the custom robot's /robot/send is.
bool is_session_webhook(std::string_view url) { return url.find("/robot/sendBySession") != std::string_view::npos; }

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

// Whom the message @-mentions (`atUsers`), each by the id a sender of theirs gets (staffId,
// else dingtalkId, as senderStaffId, else senderId), the robot itself (`chatbotUserId`) left out.
// The entries carry no names. Malformed entries are skipped: they only lose a mention.
std::vector<Mention> at_users(const json& body) {
  std::vector<Mention> out;
  const auto users = body.find("atUsers");
  if (users == body.end() || !users->is_array()) return out;
  const auto robot = optional_string(body, "chatbotUserId").value.value_or("");
  for (const auto& user : *users) {
    if (!user.is_object()) continue;
    const auto dingtalk_id = optional_string(user, "dingtalkId").value.value_or("");
    if (!robot.empty() && dingtalk_id == robot) continue;
    std::string id = optional_string(user, "staffId").value.value_or("");
    if (id.empty()) id = dingtalk_id;
    if (!id.empty()) out.push_back({std::move(id), ""});
  }
  return out;
}

const std::string& app_secret(const Connection& connection) {
  const std::string& secret = secret_or_empty(connection, "app_secret");
  if (secret.empty()) {
    throw std::invalid_argument("dingtalk connection '" + connection.name +
                                "' needs a non-empty secret \"app_secret\" (the robot's AppSecret)");
  }
  return secret;
}

// The "buttons" setting: "links" turns them on; anything else is a typo, not a choice.
bool button_links(const Connection& connection) {
  const auto found = connection.secrets.find("buttons");
  if (found == connection.secrets.end()) return false;
  if (found->second != "links") {
    throw std::invalid_argument("dingtalk connection '" + connection.name +
                                "': \"buttons\" takes \"links\" (or is left out for text only)");
  }
  return true;
}

}  // namespace

DingTalkAdapter::DingTalkAdapter(const Connection& connection)
    // A stream connection hears DingTalk over its own socket: no callback to check, no app_secret.
    : app_secret_(connection.mode == ConnectionMode::stream ? std::string() : app_secret(connection)),
      robot_secret_(connection, "dingtalk", "robot_secret"),
      outbound_url_(connection.outbound_url),
      button_links_(button_links(connection)) {}

VerifyResult DingTalkAdapter::verify(const HttpRequest& request, Timestamp now) const {
  if (app_secret_.empty()) return Rejected{401, "a stream-mode connection takes no HTTP callbacks"};
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
  if (msg_id.wrong_type || conversation.wrong_type || staff_id.wrong_type || sender_id.wrong_type || nick.wrong_type ||
      webhook.wrong_type) {
    return Rejected{400, "a message field has the wrong type"};
  }
  if (!msg_id.value || msg_id.value->empty() || !conversation.value || conversation.value->empty()) {
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
  message.text = std::string(trim_blanks(*content.value));
  // A webhook that is about to expire is left out: the reply goes to the group's robot instead
  // of failing after a wait in the outbox.
  message.mentions = at_users(body);
  if (webhook.value && std::string_view(*webhook.value).starts_with(trusted_reply_prefix) &&
      session_webhook_live(body, request)) {
    message.reply_url = *webhook.value;
  }
  return one_message(std::move(message));
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
  json body;
  if (message.actions.empty() || !button_links_) {
    body = {{"msgtype", "text"},
            {"text", {{"content", content}}},
            {"at", {{"atUserIds", at_user_ids}, {"isAtAll", false}}}};
  } else {
    // Buttons as links that send the command as the tapper (dingtalk_buttons.hpp).
    body = dingtalk_buttons_body(content, message.actions, !at_user_ids.empty());
    if (!at_user_ids.empty()) body["at"] = {{"atUserIds", at_user_ids}, {"isAtAll", false}};
  }
  // The custom robot's idempotency key: a resend with the same msgUuid is not posted twice
  // (DingTalk's "custom robots send group messages"). Only the robot webhook documents it.
  if (!message.message_id.empty() && !is_session_webhook(request.url)) body["msgUuid"] = message.message_id;
  request.body = dump_json(body);
  request.headers["Content-Type"] = "application/json; charset=utf-8";

  const std::string& secret = robot_secret_.for_message(message);
  if (!secret.empty() && !request.url.empty() && !is_session_webhook(request.url)) {
    const std::string ms = std::to_string(to_unix_ms(now));
    const std::string sign = base64_encode(hmac_sha256(secret, ms + "\n" + secret));
    request.url += (request.url.find('?') == std::string::npos ? "?" : "&");
    request.url += "timestamp=" + ms + "&sign=" + percent_encode(sign);
  }
  return request;
}

DeliveryResult DingTalkAdapter::interpret(const HttpResponse& response) const {
  return read_coded_answer(response, errcodes());
}

}  // namespace slabot
