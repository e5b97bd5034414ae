// The same cases over every registered adapter: what any platform's adapter must do, whatever
// its wire format. One row per platform says how that platform signs, what it sends, how it
// answers; a new adapter fails here until it has a row. (Partner text never becoming a mass
// mention is the other half of the suite: mass_mention_test.cpp.) What is particular to one
// platform stays in its own folder's tests.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "adapters/wire/text.hpp"
#include "tests/support/adapter_outcomes.hpp"
#include "tests/support/adapter_requests.hpp"

using namespace slabot;
using namespace slabot::testing;
using nlohmann::json;

namespace {

const Timestamp sent_at = from_unix_ms(wecom_sample_unix_seconds * 1000);

// How a platform counts its text limit.
enum class Unit { utf8_bytes, utf16_units, body_bytes };

struct TextLimit {
  std::size_t max = 0;
  Unit unit = Unit::utf8_bytes;
};

struct Row {
  Connection connection;
  // The same secrets with other values: what a forger, or a misconfigured peer, signs with.
  std::map<std::string, std::string> other_secrets;
  // A text message as the platform sends it, signed with the connection's secrets at `at`;
  // unset for an adapter that takes no webhooks.
  std::function<HttpRequest(Timestamp at)> message;
  // A body the platform would never send, signed the same way wherever the body is signed.
  std::function<HttpRequest(Timestamp at)> malformed;
  std::optional<Duration> replay_window;  // unset: the platform signs no time
  // The platform's "slow down" answer and the wait it asks for (unset: the outbox's backoff).
  std::optional<HttpResponse> rate_limited;
  std::optional<Duration> rate_limit_wait;
  HttpResponse error_answer;
  std::string error_reason;             // what the error answer says went wrong, kept in the delivery error
  std::optional<TextLimit> text_limit;  // unset: the text goes whole
  std::function<std::string(const OutboundRequest&)> text_of;  // the bot's text in a rendered request
};

std::string json_text(const std::string& body, const json::json_pointer& where) {
  return json::parse(body).at(where).get<std::string>();
}

std::function<std::string(const OutboundRequest&)> text_at(const std::string& pointer) {
  return
      [where = json::json_pointer(pointer)](const OutboundRequest& request) { return json_text(request.body, where); };
}

const std::string lark_key = "conformance-encrypt-key";

std::string lark_message_event() { return lark_encrypted_body(lark_key, lark_text_event("vtoken").dump()); }

std::map<std::string, Row> rows() {
  std::map<std::string, Row> rows;

  rows["generic"] = {
      adapter_connection("generic", {{"secret", "generic-secret"}}, "https://example.test/in"),
      {{"secret", "another-secret"}},
      [](Timestamp at) {
        return generic_signed(webhook_post("generic-conn", "application/json",
                                           R"({"event_id":"e1","chat_id":"c1","user_id":"u1","text":"/help"})"),
                              "generic-secret", at);
      },
      [](Timestamp at) {
        return generic_signed(webhook_post("generic-conn", "application/json", "not json"), "generic-secret", at);
      },
      std::chrono::minutes(5),
      answer(429, "", {{"retry-after", "30"}}),
      std::chrono::seconds(30),
      answer(404, "no such hook"),
      "HTTP 404",
      std::nullopt,
      text_at("/text")};

  rows["slack"] = {
      adapter_connection("slack", {{"signing_secret", "slack-secret"}, {"bot_token", "xoxb-1"}}, ""),
      {{"signing_secret", "another-secret"}, {"bot_token", "xoxb-1"}},
      [](Timestamp at) {
        return slack_signed(
            webhook_post("slack-conn", "application/x-www-form-urlencoded",
                         "token=t&team_id=T1&channel_id=C1&user_id=U1&user_name=Steve"
                         "&command=%2Fticket&text=ack+12&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1"),
            "slack-secret", at);
      },
      [](Timestamp at) {
        return slack_signed(webhook_post("slack-conn", "application/json", "{not json"), "slack-secret", at);
      },
      std::chrono::minutes(5),
      answer(429, R"({"ok":false,"error":"ratelimited"})", {{"retry-after", "30"}}),
      std::chrono::seconds(30),
      answer(200, R"({"ok":false,"error":"channel_not_found"})"),
      "channel_not_found",
      std::nullopt,
      text_at("/text")};

  rows["mattermost"] = {
      adapter_connection("mattermost", {{"token", "mm-token"}}, "https://mm.example/hooks/abc"),
      {{"token", "another-token"}},
      [](Timestamp) {
        return mattermost_signed(webhook_post("mattermost-conn", "application/x-www-form-urlencoded",
                                              "channel_id=c1&channel_name=town-square&command=%2Fticket&text=help"
                                              "&token=mm-token&user_id=u1&user_name=somename&team_id=t1"),
                                 "mm-token");
      },
      [](Timestamp) {
        return mattermost_signed(webhook_post("mattermost-conn", "application/x-www-form-urlencoded", "text=%zz"),
                                 "mm-token");
      },
      std::nullopt,
      answer(429, "", {{"retry-after", "30"}}),
      std::chrono::seconds(30),
      answer(400, R"({"id":"web.incoming_webhook.invalid.app_error"})"),
      "web.incoming_webhook.invalid.app_error",
      std::nullopt,
      text_at("/text")};

  rows["teams"] = {
      adapter_connection("teams", {{"security_token", "c2VjcmV0LWtleQ=="}}, "https://teams.example/webhook"),
      {{"security_token", "b3RoZXIta2V5"}},
      [](Timestamp) {
        return teams_signed(
            webhook_post(
                "teams-conn", "application/json",
                R"({"type":"message","id":"a1","text":"<at>Bot</at> /help","from":{"id":"29:x","aadObjectId":"aad1"},)"
                R"("conversation":{"id":"19:c1@thread.tacv2"}})"),
            "c2VjcmV0LWtleQ==");
      },
      [](Timestamp) {
        return teams_signed(webhook_post("teams-conn", "application/json", "not json"), "c2VjcmV0LWtleQ==");
      },
      std::nullopt,
      answer(429, "", {{"retry-after", "30"}}),
      std::chrono::seconds(30),
      answer(404, "Not Found"),
      "HTTP 404",
      std::nullopt,
      text_at("/attachments/0/content/body/0/text")};

  rows["lark"] = {
      adapter_connection("lark", {{"encrypt_key", lark_key}, {"verification_token", "vtoken"}},
                         "https://open.feishu.cn/open-apis/bot/v2/hook/x"),
      {{"encrypt_key", "another-key"}, {"verification_token", "vtoken"}},
      [](Timestamp at) {
        return lark_signed(webhook_post("lark-conn", "application/json", lark_message_event()), lark_key, at);
      },
      [](Timestamp at) { return lark_signed(webhook_post("lark-conn", "application/json", "not json"), lark_key, at); },
      std::chrono::hours(1),
      answer(200, R"({"code":11232,"msg":"frequency limited"})", {{"retry-after", "30"}}),
      std::chrono::seconds(30),
      answer(200, R"({"code":19024,"msg":"Key Words Not Found"})"),
      "Key Words Not Found",
      TextLimit{20000, Unit::body_bytes},
      text_at("/content/text")};

  rows["dingtalk"] = {
      adapter_connection("dingtalk", {{"app_secret", "dingtalk-app-secret"}},
                         "https://oapi.dingtalk.com/robot/send?access_token=x"),
      {{"app_secret", "another-secret"}},
      [](Timestamp at) {
        return dingtalk_signed(
            webhook_post(
                "dingtalk-conn", "application/json",
                R"({"msgtype":"text","msgId":"m1","conversationId":"cid1","senderStaffId":"s1","text":{"content":"/help"}})"),
            "dingtalk-app-secret", at);
      },
      [](Timestamp at) {
        return dingtalk_signed(webhook_post("dingtalk-conn", "application/json", "not json"), "dingtalk-app-secret",
                               at);
      },
      std::chrono::hours(1),
      answer(200, R"({"errcode":130101,"errmsg":"send too fast"})"),
      std::chrono::minutes(10),
      answer(200, R"({"errcode":310000,"errmsg":"keywords not in content"})"),
      "keywords not in content",
      std::nullopt,
      text_at("/text/content")};

  rows["telegram"] = {
      adapter_connection("telegram", {{"webhook_secret", "hook_secret"}, {"bot_token", "123:abc"}}, ""),
      {{"webhook_secret", "other_secret"}, {"bot_token", "123:abc"}},
      [](Timestamp) {
        return telegram_signed(
            webhook_post(
                "telegram-conn", "application/json",
                R"({"update_id":1,"message":{"message_id":1,"text":"/help","chat":{"id":-100},"from":{"id":7,"first_name":"P"}}})"),
            "hook_secret");
      },
      [](Timestamp) {
        return telegram_signed(webhook_post("telegram-conn", "application/json", "not json"), "hook_secret");
      },
      std::nullopt,
      answer(
          429,
          R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}})"),
      std::chrono::seconds(35),
      answer(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})"),
      "chat not found",
      TextLimit{4096, Unit::utf16_units},
      text_at("/text")};

  // WeCom's body is encrypted by the vendor's scheme: the sample derived in its own tests.
  Connection wecom = wecom_sample_connection();
  rows["wecom"] = {wecom,
                   {{"token", "anotherToken7"}, {"encoding_aes_key", wecom.secrets.at("encoding_aes_key")}},
                   [](Timestamp) { return wecom_sample_text_callback(); },
                   [](Timestamp) { return wecom_sample_callback_with_body("not xml"); },
                   std::chrono::minutes(5),
                   answer(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})"),
                   std::chrono::minutes(1),
                   answer(200, R"({"errcode":93000,"errmsg":"invalid webhook url"})"),
                   "invalid webhook url",
                   TextLimit{2048, Unit::utf8_bytes},
                   text_at("/text/content")};

  // The console takes no webhooks and prints what it sends.
  rows["console"] = {adapter_connection("console", {}, ""),
                     {},
                     {},
                     {},
                     std::nullopt,
                     std::nullopt,
                     std::nullopt,
                     answer(500, "printer on fire"),
                     "printer on fire",
                     std::nullopt,
                     [](const OutboundRequest& request) { return request.body; }};
  return rows;
}

Connection with_secrets(Connection connection, std::map<std::string, std::string> secrets) {
  connection.secrets = std::move(secrets);
  return connection;
}

std::size_t utf16_units(const std::string& text) {
  std::size_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;  // a 4-byte character is a surrogate pair
  }
  return units;
}

// Long text in three scripts, with characters of 1, 2 (U+00E9), 3 (CJK) and 4 (emoji) bytes.
std::string long_unicode_text() {
  std::string text;
  while (text.size() < 40000) text += "Disk full é 数据库 🚨 ";
  return text;
}

}  // namespace

TEST_CASE("conformance: every registered adapter has a row") {
  const auto table = rows();
  for (const auto& name : known_adapters()) {
    INFO("adapter " << name << " needs a row in the conformance table");
    CHECK(table.contains(name));
  }
}

TEST_CASE("conformance: a message the platform signed verifies and parses") {
  for (const auto& [name, row] : rows()) {
    if (!row.message) continue;
    INFO(name);
    const auto adapter = make_adapter(row.connection);
    const HttpRequest request = row.message(sent_at);
    REQUIRE(std::holds_alternative<Verified>(adapter->verify(request, sent_at)));
    const ParseOutcome outcome = adapter->parse(request);
    REQUIRE(std::holds_alternative<ParsedMessages>(outcome));
    CHECK(std::get<ParsedMessages>(outcome).messages.size() == 1);
  }
}

TEST_CASE("conformance: a signature made with another secret is refused with 401") {
  for (const auto& [name, row] : rows()) {
    if (!row.message) continue;
    INFO(name);
    const auto forged = make_adapter(with_secrets(row.connection, row.other_secrets));
    // Built with the other secret, the adapter refuses what the right one signed, and the other
    // way round: the signature depends on the secret.
    CHECK(rejected_status(forged->verify(row.message(sent_at), sent_at)) == 401);
  }
}

TEST_CASE("conformance: a signature older or newer than the platform's window is refused with 401") {
  for (const auto& [name, row] : rows()) {
    if (!row.message || !row.replay_window) continue;
    INFO(name);
    const auto adapter = make_adapter(row.connection);
    const Duration past_window = *row.replay_window + std::chrono::seconds(1);
    CHECK(std::holds_alternative<Verified>(adapter->verify(row.message(sent_at), sent_at + *row.replay_window)));
    CHECK(std::holds_alternative<Verified>(adapter->verify(row.message(sent_at), sent_at - *row.replay_window)));
    CHECK(rejected_status(adapter->verify(row.message(sent_at), sent_at + past_window)) == 401);
    CHECK(rejected_status(adapter->verify(row.message(sent_at), sent_at - past_window)) == 401);
  }
}

TEST_CASE("conformance: a body the platform would not send is refused with 400") {
  for (const auto& [name, row] : rows()) {
    if (!row.malformed) continue;
    INFO(name);
    const auto adapter = make_adapter(row.connection);
    const HttpRequest request = row.malformed(sent_at);
    // Refused where it is first read: by verify where the body carries what is checked (WeCom's
    // XML), else by parse once the signature over it holds.
    const VerifyResult verified = adapter->verify(request, sent_at);
    if (std::holds_alternative<Verified>(verified)) {
      CHECK(rejected_status(adapter->parse(request)) == 400);
    } else {
      CHECK(rejected_status(verified) == 400);
    }
  }
}

TEST_CASE("conformance: the platform's rate-limit answer is read as a wait") {
  for (const auto& [name, row] : rows()) {
    if (!row.rate_limited) continue;
    INFO(name);
    const DeliveryResult result = make_adapter(row.connection)->interpret(*row.rate_limited);
    REQUIRE(std::holds_alternative<Throttled>(result));
    CHECK(std::get<Throttled>(result).after == row.rate_limit_wait);
  }
}

TEST_CASE("conformance: an error answer keeps the platform's reason") {
  for (const auto& [name, row] : rows()) {
    INFO(name);
    const DeliveryResult result = make_adapter(row.connection)->interpret(row.error_answer);
    CHECK_FALSE(std::holds_alternative<Delivered>(result));
    CHECK_THAT(delivery_error(result), Catch::Contains(row.error_reason));
  }
}

TEST_CASE("conformance: a long Unicode text is cut within the platform's limit on a character boundary") {
  const std::string text = long_unicode_text();
  for (const auto& [name, row] : rows()) {
    INFO(name);
    const OutboundRequest request =
        make_adapter(row.connection)->render({row.connection.name, "chat-1", text, {}, ""}, sent_at);
    const std::string sent = row.text_of(request);
    CHECK(valid_utf8(sent));
    CHECK(sent.find("\xEF\xBF\xBD") == std::string::npos);  // no character was split and replaced
    if (!row.text_limit) {
      CHECK(sent.find(text) != std::string::npos);  // the whole text goes
      continue;
    }
    CHECK(sent.size() < text.size());
    switch (row.text_limit->unit) {
      case Unit::utf8_bytes: CHECK(sent.size() <= row.text_limit->max); break;
      case Unit::utf16_units: CHECK(utf16_units(sent) <= row.text_limit->max); break;
      case Unit::body_bytes: CHECK(request.body.size() <= row.text_limit->max); break;
    }
    // What is kept is the text's beginning (whatever marks the cut after it).
    const std::string head = sent.substr(0, 100);
    CHECK(text.starts_with(head));
  }
}
