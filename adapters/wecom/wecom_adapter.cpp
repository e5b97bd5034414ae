#include "adapters/wecom/wecom_adapter.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/wecom/wecom_crypto.hpp"
#include "adapters/wecom/wecom_text.hpp"
#include "adapters/wecom/wecom_xml.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/coded_answer.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

using wecom::XmlDocument;

// Everything msg_signature covers, from one callback.
struct CallbackParams {
  std::string signature;
  std::string timestamp;
  std::string nonce;
  std::string encrypted;  // echostr (GET) or <Encrypt> (POST)
};

std::variant<CallbackParams, Rejected> callback_params(const HttpRequest& request) {
  const bool url_check = request.method == "GET";
  if (!url_check && request.method != "POST") return Rejected{405, "WeCom sends only GET and POST"};
  const auto query = wecom::parse_query(request.target);
  if (!query) return Rejected{401, "query is not well-formed"};
  const auto value = [&](const char* name) -> std::string {
    const auto found = query->find(name);
    return found == query->end() ? std::string{} : found->second;
  };
  CallbackParams params{value("msg_signature"), value("timestamp"), value("nonce"), {}};
  if (params.signature.empty() || params.timestamp.empty() || params.nonce.empty()) {
    return Rejected{401, "missing msg_signature, timestamp or nonce"};
  }
  if (url_check) {
    params.encrypted = value("echostr");
    if (params.encrypted.empty()) return Rejected{401, "URL check without echostr"};
    return params;
  }
  const auto body = XmlDocument::parse(request.body);
  if (!body) return Rejected{400, "body is not the expected XML"};
  auto encrypted = body->find("xml/Encrypt");
  if (!encrypted || encrypted->empty()) return Rejected{400, "body has no <Encrypt>"};
  params.encrypted = std::move(*encrypted);
  return params;
}

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The callback's WebhookUrl as a reply url. The vendor's samples show the robot's webhook on
// in.qyapi.weixin.qq.com over plain http; the same key works on the public host, and https
// keeps the key off the wire. Anything else is not used (the outbox falls back to the group's
// or the connection's outbound url).
std::string reply_url_from(std::string_view webhook_url) {
  static constexpr std::string_view path = "/cgi-bin/webhook/send?";
  for (const std::string_view origin : {"https://qyapi.weixin.qq.com", "http://qyapi.weixin.qq.com",
                                        "https://in.qyapi.weixin.qq.com", "http://in.qyapi.weixin.qq.com"}) {
    if (!webhook_url.starts_with(origin) || !webhook_url.substr(origin.size()).starts_with(path)) {
      continue;
    }
    const std::string_view query = webhook_url.substr(origin.size() + path.size());
    const bool safe = !query.empty() && std::all_of(query.begin(), query.end(), [](char c) {
      return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '%' || c == '=' || c == '&';
    });
    if (!safe) return {};
    return "https://qyapi.weixin.qq.com" + std::string(path) + std::string(query);
  }
  return {};
}

// WeCom's errmsg, short and with any webhook key blanked, for the log and dead-letter list.
std::string safe_errmsg(std::string text) {
  for (std::size_t at = text.find("key="); at != std::string::npos; at = text.find("key=", at)) {
    at += 4;
    std::size_t end = at;
    while (end < text.size() && (is_alnum(text[end]) || text[end] == '-' || text[end] == '_')) ++end;
    text.replace(at, end - at, "***");
  }
  return wecom::truncate_utf8(text, 200);
}

std::string answer_without_code(int status) {
  // WeCom always answers JSON; this is something in between. Whether it was sent is unknown,
  // and a duplicate beats a lost alert.
  return "WeCom answered HTTP " + std::to_string(status) + " without an errcode";
}

// The robot's errcodes. Any other (93000 invalid webhook url: robot removed, 93004 robot
// disabled, ...) fails the same way again until the operator fixes the config.
const CodeTable& errcodes() {
  static const CodeTable table{
      .error_prefix = "WeCom errcode",
      .code_fields = {"errcode"},
      .message_fields = {"errmsg"},
      .rules =
          {
              {.code = 0, .meaning = CodeMeaning::delivered},
              {.code = -1, .meaning = CodeMeaning::throttled},      // system busy
              {.code = 45033, .meaning = CodeMeaning::throttled},   // too many concurrent calls
              {.code = 6000, .meaning = CodeMeaning::retry_later},  // data version conflict
              // Too many calls: the robot's 20 a minute.
              {.code = 45009,
               .meaning = CodeMeaning::throttled,
               .wait_from = CodeWait::fixed,
               .wait = WeComAdapter::rate_limited_wait},
              {.code = 40008, .meaning = CodeMeaning::refused},  // bad msgtype
              {.code = 44004, .meaning = CodeMeaning::refused},  // empty content
              {.code = 40058, .meaning = CodeMeaning::refused},  // bad parameter
              {.code = 45002, .meaning = CodeMeaning::refused},  // content too long
          },
      .status_first = true,
      .without_code = answer_without_code,
      .message_for_log = safe_errmsg,
  };
  return table;
}

// Acknowledges a callback without a passive reply.
HttpAnswer empty_ok() { return HttpAnswer{200, "text/plain", ""}; }

}  // namespace

WeComAdapter::WeComAdapter(const Connection& connection) : outbound_url_(connection.outbound_url) {
  const std::string where = "wecom connection '" + connection.name + "'";
  token_ = secret_or_empty(connection, "token");
  if (token_.size() < 3 || token_.size() > 32 || !std::all_of(token_.begin(), token_.end(), is_alnum)) {
    throw std::invalid_argument(where +
                                " needs secret \"token\": 3 to 32 letters or digits, as set in the callback settings");
  }
  const auto key = wecom::aes_key_from_encoding_key(secret_or_empty(connection, "encoding_aes_key"));
  if (!key) {
    throw std::invalid_argument(
        where + " needs secret \"encoding_aes_key\": the callback's 43-character EncodingAESKey (letters and digits)");
  }
  aes_key_ = *key;
  if (const auto found = connection.secrets.find("corp_id"); found != connection.secrets.end()) {
    // Present but empty is most likely an unset ${ENV}: every callback would then be refused.
    if (found->second.empty()) {
      throw std::invalid_argument(where + ": secret \"corp_id\" is empty; leave it out for a group robot");
    }
    receive_id_ = found->second;
  }
  bot_name_ = secret_or_empty(connection, "bot_name");
}

VerifyResult WeComAdapter::verify(const HttpRequest& request, Timestamp now) const {
  auto params = callback_params(request);
  if (auto* rejected = std::get_if<Rejected>(&params)) return std::move(*rejected);
  const auto& p = std::get<CallbackParams>(params);

  const auto seconds = parse_unix_seconds(p.timestamp);
  if (!seconds) return Rejected{401, "timestamp is not unix seconds"};
  const Duration skew = now - from_unix_ms(*seconds * 1000);
  if (skew > replay_window || skew < -replay_window) {
    return Rejected{401, "timestamp outside the 5 minute window"};
  }
  const auto sent = hex_decode(p.signature);
  if (!sent || sent->size() != 20) return Rejected{401, "msg_signature is not 40 hex digits"};
  // Compared as lower-case hex, ours as msg_signature writes it: no second decode to trust.
  const std::string expected = wecom::msg_signature(token_, p.timestamp, p.nonce, p.encrypted);
  if (!constant_time_equal(hex_encode(*sent), expected)) return Rejected{401, "msg_signature mismatch"};
  return Verified{};
}

ParseOutcome WeComAdapter::parse(const HttpRequest& request) const {
  auto params = callback_params(request);
  if (auto* rejected = std::get_if<Rejected>(&params)) return std::move(*rejected);
  const auto& p = std::get<CallbackParams>(params);

  auto opened = wecom::open_envelope(aes_key_, p.encrypted);
  if (const auto* error = std::get_if<wecom::EnvelopeError>(&opened)) {
    return Rejected{400, "cannot decrypt: " + error->reason};
  }
  auto& envelope = std::get<wecom::Envelope>(opened);
  // Sealed with our key but for another receiver: not meant for this connection.
  if (envelope.receive_id != receive_id_) {
    return Rejected{401, receive_id_.empty() ? "receive id is not empty (an application's callback; set corp_id)"
                                             : "receive id does not match corp_id"};
  }
  if (request.method == "GET") {
    // The URL check: the decrypted echostr alone, no quotes, no BOM, no newline.
    return HttpAnswer{200, "text/plain", std::move(envelope.message)};
  }
  return parse_message(envelope.message);
}

ParseOutcome WeComAdapter::parse_message(const std::string& plaintext) const {
  const auto doc = XmlDocument::parse(plaintext);
  if (!doc) return Rejected{400, "decrypted message is not the expected XML"};
  const auto msg_type = doc->find("xml/MsgType");
  if (!msg_type) return Rejected{400, "message has no MsgType"};

  InboundMessage message;
  message.platform = adapter_name();
  std::optional<std::string> text;
  const bool robot = doc->find("xml/ChatId") || doc->find("xml/From/UserId");
  if (robot) {
    if (*msg_type == "text") {
      text = doc->find("xml/Text/Content");
    } else if (*msg_type == "mixed") {
      // Text and images interleaved: the words are what the bot reads.
      std::string joined;
      for (const auto& part : doc->find_all("xml/MixedMessage/MsgItem/Text/Content")) {
        joined += (joined.empty() ? "" : "\n") + part;
      }
      text = joined;
    } else {
      return empty_ok();  // events (added to or removed from a chat), images, button clicks
    }
    message.chat_id = doc->find("xml/ChatId").value_or("");
    message.user_id = doc->find("xml/From/UserId").value_or("");
    message.user_name = doc->find("xml/From/Name").value_or("");
    if (message.user_name.empty()) message.user_name = doc->find("xml/From/Alias").value_or("");
    message.reply_url = reply_url_from(doc->find("xml/WebhookUrl").value_or(""));
  } else if (doc->find("xml/FromUserName")) {
    if (*msg_type != "text") return empty_ok();  // events, media, locations
    text = doc->find("xml/Content");
    // An application's conversation is with one member: the member is the chat.
    message.user_id = doc->find("xml/FromUserName").value_or("");
    message.chat_id = message.user_id;
  } else {
    return Rejected{400, "neither a group robot nor an application message"};
  }
  message.event_id = doc->find("xml/MsgId").value_or("");
  if (!text || message.chat_id.empty() || message.user_id.empty() || message.event_id.empty()) {
    return Rejected{400, "text message lacks its content, chat, sender or MsgId"};
  }
  if (message.user_name.empty()) message.user_name = message.user_id;
  message.text = wecom::strip_bot_mention(*text, bot_name_);
  return one_message(std::move(message));
}

HttpAnswer WeComAdapter::sync_reply(const InboundMessage&, const std::string&) const { return empty_ok(); }

OutboundRequest WeComAdapter::render(const OutboundMessage& message, Timestamp) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  nlohmann::json text{{"content", wecom::truncate_utf8(message.text, max_text_bytes)}};
  std::vector<std::string> mentioned;
  for (const auto& mention : message.mentions) {
    // "@all" in mentioned_list notifies the whole group: never a person the bot means.
    if (!mention.user_id.empty() && mention.user_id != "@all") mentioned.push_back(mention.user_id);
  }
  if (!mentioned.empty()) text["mentioned_list"] = mentioned;
  request.body = dump_json({{"msgtype", "text"}, {"text", text}});
  request.headers["Content-Type"] = "application/json";
  return request;
}

DeliveryResult WeComAdapter::interpret(const HttpResponse& response) const {
  return read_coded_answer(response, errcodes());
}

}  // namespace slabot
