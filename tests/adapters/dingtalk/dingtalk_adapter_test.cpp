#include "adapters/dingtalk/dingtalk_adapter.hpp"

#include <cstdint>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "adapters/wire.hpp"
#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;

namespace {

const std::string app_secret = "dingtalk-app-secret-for-tests";
const std::string timestamp = "1700000000000";
const Timestamp signed_at = from_unix_ms(1700000000000LL);
// printf '%s\n%s' 1700000000000 dingtalk-app-secret-for-tests | openssl dgst -sha256 -hmac
// dingtalk-app-secret-for-tests -binary | base64
const std::string good_sign = "dJ3y4MG9/Kqi09/n6OVZcjklxSLYm3eKnvHqul3389M=";
// The same with the secret "wrong-secret":
// printf '%s\n%s' 1700000000000 wrong-secret | openssl dgst -sha256 -hmac wrong-secret -binary | base64
const std::string wrong_secret_sign = "/cUmDoWv8Bqz/24h8R13PPkTOJNEN301VJiwdGgKX/4=";

const std::string robot_secret = "SECtest0123456789abcdef7";
const std::string robot_url = "https://oapi.dingtalk.com/robot/send?access_token=tok123";

// The vendor's sample callback body ("接收消息的消息协议", open.dingtalk.com).
const std::string vendor_body = R"({
    "conversationId": "xxx",
    "atUsers": [
        {
            "dingtalkId": "xxx",
            "staffId":"xxx"
        }
    ],
    "chatbotCorpId": "dinge8a565xxxx",
    "chatbotUserId": "$:LWCP_v1:$Cxxxxx",
    "msgId": "msg0xxxxx",
    "senderNick": "杨xx",
    "isAdmin": true,
    "senderStaffId": "user123",
    "sessionWebhookExpiredTime": 1613635652738,
    "createAt": 1613630252678,
    "senderCorpId": "dinge8a565xxxx",
    "conversationType": "2",
    "senderId": "$:LWCP_v1:$Ff09GIxxxxx",
    "conversationTitle": "机器人测试-TEST",
    "isInAtList": true,
    "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx",
    "text": {
        "content": " 你好"
    },
    "msgtype": "text"
})";

Connection connection(std::map<std::string, std::string> secrets = {{"app_secret", app_secret},
                                                                    {"robot_secret", robot_secret}}) {
  Connection c;
  c.name = "partners";
  c.adapter = "dingtalk";
  c.secrets = std::move(secrets);
  c.outbound_url = robot_url;
  return c;
}

HttpRequest callback(std::string body = vendor_body, std::string sign = good_sign, std::string ts = timestamp) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/partners";
  request.headers["content-type"] = "application/json; charset=utf-8";
  if (!ts.empty()) request.headers["timestamp"] = std::move(ts);
  if (!sign.empty()) request.headers["sign"] = std::move(sign);
  request.body = std::move(body);
  return request;
}

using testing::rejected_status;

ParseOutcome parse_body(const std::string& body) { return DingTalkAdapter(connection()).parse(callback(body)); }

// Parsed as sent at `ts` (the timestamp header, ms).
InboundMessage parse_one_at(const std::string& body, const std::string& ts) {
  const auto outcome = DingTalkAdapter(connection()).parse(callback(body, good_sign, ts));
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  REQUIRE(parsed->messages.size() == 1);
  return parsed->messages.front();
}

InboundMessage parse_one(const std::string& body) { return parse_one_at(body, timestamp); }

// A minimal text callback with one field replaced or removed.
std::string text_body(const std::string& content, nlohmann::json changes = nlohmann::json::object()) {
  nlohmann::json body = {{"msgtype", "text"},
                         {"text", {{"content", content}}},
                         {"msgId", "msgA1"},
                         {"conversationId", "cidG1"},
                         {"conversationType", "2"},
                         {"senderId", "$:LWCP_v1:$abc"},
                         {"senderStaffId", "staff7"},
                         {"senderNick", "Ann"},
                         {"sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s1"}};
  for (auto& [key, value] : changes.items()) {
    if (value.is_null()) {
      body.erase(key);
    } else {
      body[key] = value;
    }
  }
  return body.dump();
}

using testing::answer;

}  // namespace

TEST_CASE("dingtalk: a correctly signed callback verifies", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(callback(), signed_at)));
}

TEST_CASE("dingtalk: the signature covers the timestamp, not the body", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  // The platform's own design: a changed body still verifies. That is why parse() trusts only
  // DingTalk's own host for reply urls and dedup relies on msgId.
  std::string tampered = vendor_body;
  tampered.replace(tampered.find("你好"), std::string("你好").size(), "/ticket close T-1");
  CHECK(std::holds_alternative<Verified>(adapter.verify(callback(tampered), signed_at)));
  // The timestamp is what is signed: another one fails.
  CHECK(rejected_status(adapter.verify(callback(vendor_body, good_sign, "1700000000001"), signed_at)) == 401);
}

TEST_CASE("dingtalk: a wrong secret or an altered sign is refused with 401", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(callback(vendor_body, wrong_secret_sign), signed_at)) == 401);
  const DingTalkAdapter other(connection({{"app_secret", "wrong-secret"}}));
  CHECK(std::holds_alternative<Verified>(other.verify(callback(vendor_body, wrong_secret_sign), signed_at)));
  CHECK(rejected_status(other.verify(callback(), signed_at)) == 401);

  std::string altered = good_sign;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  CHECK(rejected_status(adapter.verify(callback(vendor_body, altered), signed_at)) == 401);
}

TEST_CASE("dingtalk: missing or malformed headers are refused with 401", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(callback(vendor_body, ""), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(callback(vendor_body, good_sign, ""), signed_at)) == 401);
  for (const char* sign : {"not base64!", "dJ3y4MG9", "dJ3y4MG9/Kqi09/n6OVZcjklxSLYm3eKnvHqul3389M"}) {
    CAPTURE(sign);
    CHECK(rejected_status(adapter.verify(callback(vendor_body, sign), signed_at)) == 401);
  }
  // The sign as hex, not base64:
  // printf '%s\n%s' 1700000000000 dingtalk-app-secret-for-tests | openssl dgst -sha256 -hmac
  // dingtalk-app-secret-for-tests
  CHECK(rejected_status(adapter.verify(
            callback(vendor_body, "749df2e0c1bdfcaaa2d3dfe7e8e559723925c522d89b778a9ef1eaba5df7f3d3"), signed_at)) ==
        401);
  for (const char* ts : {"abc", "-1700000000000", "1700000000000.0", " 1700000000000", "99999999999999999999"}) {
    CAPTURE(ts);
    CHECK(rejected_status(adapter.verify(callback(vendor_body, good_sign, ts), signed_at)) == 401);
  }
}

TEST_CASE("dingtalk: timestamps more than an hour off either way are refused", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  using std::chrono::hours;
  using std::chrono::milliseconds;
  const auto verify_at = [&](Timestamp now) { return adapter.verify(callback(), now); };
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at + hours(1))));
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at - hours(1))));
  CHECK(rejected_status(verify_at(signed_at + hours(1) + milliseconds(1))) == 401);  // stale
  CHECK(rejected_status(verify_at(signed_at - hours(1) - milliseconds(1))) == 401);  // future
}

TEST_CASE("dingtalk: parse reads the vendor's sample callback", "[dingtalk]") {
  // Sent when the sample was created (createAt), its session webhook 90 minutes from expiry.
  const InboundMessage message = parse_one_at(vendor_body, "1613630252678");
  CHECK(message.platform == "dingtalk");
  CHECK(message.event_id == "msg0xxxxx");
  CHECK(message.chat_id == "xxx");
  CHECK(message.user_id == "user123");  // senderStaffId, the organisation's userid
  CHECK(message.user_name == "杨xx");
  CHECK(message.text == "你好");  // the blank left by the removed @bot is trimmed
  CHECK(message.reply_url == "https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx");
}

TEST_CASE("dingtalk: senderId stands in for people without a staff id", "[dingtalk]") {
  CHECK(parse_one(text_body("/ticket help", {{"senderStaffId", nullptr}})).user_id == "$:LWCP_v1:$abc");
  CHECK(parse_one(text_body("/ticket help", {{"senderStaffId", ""}})).user_id == "$:LWCP_v1:$abc");
  const InboundMessage nameless = parse_one(text_body("/ticket help", {{"senderNick", nullptr}}));
  CHECK(nameless.user_name == "staff7");
}

TEST_CASE("dingtalk: atUsers are the mentions, by staff id else DingTalk id, the robot left out", "[dingtalk]") {
  const InboundMessage message =
      parse_one(text_body("/engagement csm @Wei", {{"chatbotUserId", "$:LWCP_v1:$bot"},
                                                   {"atUsers",
                                                    {{{"dingtalkId", "$:LWCP_v1:$bot"}},
                                                     {{"dingtalkId", "$:LWCP_v1:$wei"}, {"staffId", "wei01"}},
                                                     {{"dingtalkId", "$:LWCP_v1:$guest"}},
                                                     "not an object",
                                                     {{"dingtalkId", 7}}}}}));
  REQUIRE(message.mentions.size() == 2);
  CHECK(message.mentions[0].user_id == "wei01");
  CHECK(message.mentions[1].user_id == "$:LWCP_v1:$guest");  // as senderId names someone without a staff id
  CHECK(message.mentions[1].name.empty());                   // DingTalk gives no names here
  CHECK(parse_one(text_body("/help")).mentions.empty());
}

TEST_CASE("dingtalk: blanks around the text are trimmed, inner ones kept", "[dingtalk]") {
  CHECK(parse_one(text_body("\u2005 /ticket open P2  login fails \u3000\n")).text == "/ticket open P2  login fails");
  CHECK(parse_one(text_body("\u00A0/ack T-12")).text == "/ack T-12");
  CHECK(parse_one(text_body("   ")).text.empty());
}

TEST_CASE("dingtalk: only DingTalk's own session webhooks become reply urls", "[dingtalk]") {
  for (const char* url : {"https://evil.example/robot/sendBySession?session=1",
                          "https://oapi.dingtalk.com.evil.example/robot/sendBySession?session=1",
                          "http://oapi.dingtalk.com/robot/sendBySession?session=1", ""}) {
    CAPTURE(url);
    CHECK(parse_one(text_body("/ticket help", {{"sessionWebhook", url}})).reply_url.empty());
  }
  CHECK(parse_one(text_body("/ticket help", {{"sessionWebhook", nullptr}})).reply_url.empty());
}

TEST_CASE("dingtalk: a session webhook about to expire is not used", "[dingtalk]") {
  const std::string session = "https://oapi.dingtalk.com/robot/sendBySession?session=s1";
  const std::int64_t sent = 1700000000000;  // the timestamp header
  const auto reply_url = [&](nlohmann::json expiry) {
    return parse_one(text_body("/ticket help", {{"sessionWebhookExpiredTime", expiry}})).reply_url;
  };
  CHECK(reply_url(sent + 5400 * 1000) == session);  // 90 minutes, as DingTalk gives
  CHECK(reply_url(sent + 61 * 1000) == session);
  CHECK(reply_url(sent + 60 * 1000).empty());  // within the minute's margin
  CHECK(reply_url(sent + 1).empty());
  CHECK(reply_url(sent - 1).empty());  // expired already
  CHECK(reply_url(0).empty());
  // The vendor's sample, sent long after it was made.
  CHECK(parse_one(vendor_body).reply_url.empty());
  // As a string of digits too; anything else cannot be judged and is not used.
  CHECK(reply_url(std::to_string(sent + 5400 * 1000)) == session);
  for (const nlohmann::json& unreadable :
       {nlohmann::json("soon"), nlohmann::json(-5), nlohmann::json(1.7000054e12), nlohmann::json(""),
        nlohmann::json("1700005400000 "), nlohmann::json(9999999999999999ULL), nlohmann::json::object(),
        nlohmann::json(true)}) {
    CAPTURE(unreadable.dump());
    CHECK(reply_url(unreadable).empty());
  }
  // Without an expiry the webhook is used, as before DingTalk sent one.
  CHECK(parse_one(text_body("/ticket help")).reply_url == session);
  // The margin is measured against the callback's own timestamp, not anyone's wall clock.
  const std::string live = text_body("/ticket help", {{"sessionWebhookExpiredTime", sent + 5400 * 1000}});
  CHECK(parse_one_at(live, std::to_string(sent + 5340 * 1000 - 1)).reply_url == session);
  CHECK(parse_one_at(live, std::to_string(sent + 5340 * 1000)).reply_url.empty());
  // An expiry but no readable timestamp (verify() refuses those anyway): not used.
  const auto outcome = DingTalkAdapter(connection()).parse(callback(live, good_sign, ""));
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  REQUIRE(parsed->messages.size() == 1);
  CHECK(parsed->messages.front().reply_url.empty());
}

TEST_CASE("dingtalk: unix milliseconds are digits only, at most 15", "[dingtalk]") {
  CHECK(parse_unix_millis("1700000000000") == 1700000000000LL);
  CHECK(parse_unix_millis("0") == 0);
  CHECK(parse_unix_millis("999999999999999") == 999999999999999LL);
  for (const char* bad : {"", "1000000000000000", "-0", "-1", "+1", " 1", "1 ", "1.5", "1e12", "0x10"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_unix_millis(bad).has_value());
  }
}

TEST_CASE("dingtalk: messages that are not text give no messages", "[dingtalk]") {
  for (const char* type : {"picture", "richText", "audio", "file"}) {
    CAPTURE(type);
    const auto outcome = parse_body(text_body("", {{"msgtype", type}, {"text", nullptr}}));
    const auto* parsed = std::get_if<ParsedMessages>(&outcome);
    REQUIRE(parsed);
    CHECK(parsed->messages.empty());
  }
}

TEST_CASE("dingtalk: malformed callbacks are refused with 400", "[dingtalk]") {
  using nlohmann::json;
  for (const std::string& body : {
           std::string(""),
           std::string("not json"),
           std::string("[1,2]"),
           text_body("x", {{"msgtype", nullptr}}),
           text_body("x", {{"msgtype", 7}}),
           text_body("x", {{"msgId", nullptr}}),
           text_body("x", {{"msgId", ""}}),
           text_body("x", {{"conversationId", nullptr}}),
           text_body("x", {{"conversationId", json::array()}}),
           text_body("x", {{"senderStaffId", nullptr}, {"senderId", nullptr}}),
           text_body("x", {{"senderStaffId", 5}}),
           text_body("x", {{"senderNick", false}}),
           text_body("x", {{"sessionWebhook", 1}}),
           text_body("x", {{"text", nullptr}}),
           text_body("x", {{"text", "x"}}),
           text_body("x", {{"text", {{"content", 3}}}}),
           std::string("{\"msgtype\":\"text\",\"text\":{\"content\":\"\xff\"},\"msgId\":\"m\","
                       "\"conversationId\":\"c\",\"senderId\":\"s\"}"),
       }) {
    CAPTURE(body);
    CHECK(rejected_status(parse_body(body)) == 400);
  }
}

TEST_CASE("dingtalk: the callback is acknowledged at once, the reply goes via the outbox", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  const InboundMessage message = parse_one(vendor_body);
  CHECK(adapter.reply_route(message) == ReplyRoute::via_outbox);
  const HttpAnswer answer = adapter.sync_reply(message, "Ticket T-1 opened");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  CHECK(answer.body == "{}");
}

TEST_CASE("dingtalk: render signs sends to the custom robot and adds @userid for mentions", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  OutboundMessage message;
  message.connection = "partners";
  message.chat_id = "cidG1";
  message.text = "T-7 breached its response SLA @staff7";
  message.mentions = {{"staff7", "Ann"}, {"staff9", "Bob"}, {"staff9", "Bob"}};
  const OutboundRequest request = adapter.render(message, signed_at);

  CHECK(request.method == "POST");
  // printf '%s\n%s' 1700000000000 SECtest0123456789abcdef7 | openssl dgst -sha256 -hmac SECtest0123456789abcdef7
  // -binary | base64
  //   -> N16lzzbHEWUkD+5TNx346/bvkmYs4wrRuaVN68kek9U=, URL-encoded:
  CHECK(request.url == robot_url +
                           "&timestamp=1700000000000"
                           "&sign=N16lzzbHEWUkD%2B5TNx346%2FbvkmYs4wrRuaVN68kek9U%3D");
  // "@staff7" is already in the text; "@staff9" is added once.
  CHECK(request.body == R"({"at":{"atUserIds":["staff7","staff9"],"isAtAll":false},"msgtype":"text",)"
                        R"("text":{"content":"T-7 breached its response SLA @staff7 @staff9"}})");
  CHECK(request.headers.at("Content-Type") == "application/json; charset=utf-8");
}

TEST_CASE("dingtalk: render posts replies to the session webhook unsigned", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "cidG1";
  message.text = "Ticket T-8 opened";
  message.url = "https://oapi.dingtalk.com/robot/sendBySession?session=s1";
  const OutboundRequest request = adapter.render(message, signed_at);
  CHECK(request.url == message.url);
  CHECK(request.body ==
        R"({"at":{"atUserIds":[],"isAtAll":false},"msgtype":"text","text":{"content":"Ticket T-8 opened"}})");
}

TEST_CASE("dingtalk: without robot_secret the custom robot is sent unsigned", "[dingtalk]") {
  Connection c = connection({{"app_secret", app_secret}});
  c.outbound_url = "https://oapi.dingtalk.com/robot/send?access_token=tok123";
  OutboundMessage message;
  message.text = "hello";
  CHECK(DingTalkAdapter(c).render(message, signed_at).url == c.outbound_url);

  // A signed url without a query yet gets one.
  Connection bare = connection();
  bare.outbound_url = "https://robot.example/send";
  const std::string url = DingTalkAdapter(bare).render(message, signed_at).url;
  CHECK(url.starts_with("https://robot.example/send?timestamp=1700000000000&sign="));
}

// Two partner groups, each with its own custom robot and that robot's own secret.
Connection connection_with_groups() {
  Connection c = connection();
  c.group_secrets = {{"cidAcme==", {{"robot_secret", "SECacmeGroup0123456789ab"}}},
                     {"cidGlobex==", {{"robot_secret", "SECglobexGroup0123456789"}}}};
  return c;
}

OutboundMessage to_group(const std::string& chat_id, const std::string& url) {
  OutboundMessage message;
  message.chat_id = chat_id;
  message.text = "T-7 breached its response SLA";
  message.url = url;
  return message;
}

TEST_CASE("dingtalk: each group's robot is signed with that group's own secret", "[dingtalk]") {
  const DingTalkAdapter adapter(connection_with_groups());
  const std::string acme = "https://oapi.dingtalk.com/robot/send?access_token=acme";
  const std::string globex = "https://oapi.dingtalk.com/robot/send?access_token=globex";
  // printf '%s\n%s' 1700000000000 SECacmeGroup0123456789ab | openssl dgst -sha256 -hmac SECacmeGroup0123456789ab
  // -binary | base64
  //   -> Wqa/dsK3n9MF8O9Kqu/u6nPx0BLZtr4TfHLMA/W/ers=
  CHECK(adapter.render(to_group("cidAcme==", acme), signed_at).url ==
        acme + "&timestamp=1700000000000&sign=Wqa%2FdsK3n9MF8O9Kqu%2Fu6nPx0BLZtr4TfHLMA%2FW%2Fers%3D");
  // printf '%s\n%s' 1700000000000 SECglobexGroup0123456789 | openssl dgst -sha256 -hmac SECglobexGroup0123456789
  // -binary | base64
  //   -> 4LpTvXHBP6j1QdlXshVqZ1Dvsv9XgBXvNAKwvPz2B8U=
  CHECK(adapter.render(to_group("cidGlobex==", globex), signed_at).url ==
        globex + "&timestamp=1700000000000&sign=4LpTvXHBP6j1QdlXshVqZ1Dvsv9XgBXvNAKwvPz2B8U%3D");
}

TEST_CASE("dingtalk: the connection's robot_secret signs everything else", "[dingtalk]") {
  const DingTalkAdapter adapter(connection_with_groups());
  const std::string connection_signed =
      "&timestamp=1700000000000&sign=N16lzzbHEWUkD%2B5TNx346%2FbvkmYs4wrRuaVN68kek9U%3D";  // as above
  // A group without its own secret.
  const std::string other = "https://oapi.dingtalk.com/robot/send?access_token=initech";
  CHECK(adapter.render(to_group("cidInitech==", other), signed_at).url == other + connection_signed);
  // A message without a url goes to the connection's robot, whose secret is the connection's,
  // whatever group it is about.
  CHECK(adapter.render(to_group("cidAcme==", ""), signed_at).url == robot_url + connection_signed);
  // Session webhooks stay unsigned.
  const std::string session = "https://oapi.dingtalk.com/robot/sendBySession?session=s1";
  CHECK(adapter.render(to_group("cidAcme==", session), signed_at).url == session);

  // A group's secret without a connection-wide one: only that group is signed.
  Connection only_groups = connection_with_groups();
  only_groups.secrets.erase("robot_secret");
  const DingTalkAdapter partial(only_groups);
  CHECK(partial.render(to_group("cidInitech==", other), signed_at).url == other);
  CHECK(partial.render(to_group("cidAcme==", other), signed_at).url.find("&sign=Wqa%2F") != std::string::npos);
}

TEST_CASE("dingtalk: make_adapter refuses a per-group secret DingTalk does not take", "[dingtalk]") {
  Connection c = connection_with_groups();
  CHECK_NOTHROW(make_adapter(c));
  c.group_secrets["cidAcme=="] = {{"bot_secret", "SECacmeGroup0123456789ab"}};
  try {
    make_adapter(c);
    FAIL("a Lark name on a DingTalk group must be refused");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("\"bot_secret\"") != std::string::npos);
    CHECK(what.find("robot_secret") != std::string::npos);  // the name it takes
    CHECK(what.find("SECacmeGroup0123456789ab") == std::string::npos);
  }
}

TEST_CASE("dingtalk: an empty group robot_secret is refused without quoting a secret", "[dingtalk]") {
  Connection c = connection_with_groups();
  c.group_secrets["cidAcme=="]["robot_secret"] = "";
  try {
    DingTalkAdapter adapter(c);
    FAIL("an empty group robot_secret must be refused");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("cidAcme==") != std::string::npos);
    CHECK(what.find("robot_secret") != std::string::npos);
    CHECK(what.find("SECglobexGroup0123456789") == std::string::npos);
    CHECK(what.find(robot_secret) == std::string::npos);
  }
}

TEST_CASE("dingtalk: interpret reads errcode from HTTP 200 answers", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  const auto result = [&](int status, const std::string& body) { return adapter.interpret(answer(status, body)); };
  CHECK(std::holds_alternative<Delivered>(result(200, R"({"errcode":0,"errmsg":"ok"})")));

  // Configuration problems behind 310000 are permanent.
  for (const char* errmsg : {"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
                             "keywords not in content, more: [...]", "ip 203.0.113.9 not in whitelist, more: [...]"}) {
    CAPTURE(errmsg);
    const auto outcome = result(200, nlohmann::json{{"errcode", 310000}, {"errmsg", errmsg}}.dump());
    const auto* give_up = std::get_if<GiveUp>(&outcome);
    REQUIRE(give_up);
    CHECK(give_up->error.find("310000") != std::string::npos);
  }
  // A stale timestamp heals: the next attempt is signed afresh.
  CHECK(std::holds_alternative<RetryLater>(
      result(200, R"({"errcode":310000,"errmsg":"invalid timestamp, more: [...]"})")));

  // Over 20 a minute: the robot is muted for ten minutes.
  const auto muted = result(200, R"({"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"})");
  const auto* later = std::get_if<Throttled>(&muted);
  REQUIRE(later);
  REQUIRE(later->after);
  CHECK(*later->after == std::chrono::minutes(10));

  // Waits DingTalk asks for: never counted as failures.
  CHECK(std::holds_alternative<Throttled>(result(200, R"({"errcode":410100,"errmsg":"throttled"})")));
  CHECK(std::holds_alternative<Throttled>(result(200, R"({"errcode":-1,"errmsg":"system busy"})")));
  // A stopped robot, an unknown token, a dissolved group: permanent.
  CHECK(std::holds_alternative<GiveUp>(result(200, R"({"errcode":400102,"errmsg":"robot stopped"})")));
  CHECK(std::holds_alternative<GiveUp>(result(200, R"({"errcode":300001,"errmsg":"token is not exist"})")));

  // An expired session webhook: given up, saying why; another 300001 does not claim it.
  const auto gone = result(200, R"({"errcode":300001,"errmsg":"session 不存在"})");
  const auto* session_gone = std::get_if<GiveUp>(&gone);
  REQUIRE(session_gone);
  CHECK(session_gone->error ==
        "DingTalk errcode 300001: session 不存在 (the callback's sessionWebhook expired before the reply was sent)");
  const auto token = result(200, R"({"errcode":300001,"errmsg":"token is not exist"})");
  REQUIRE(std::holds_alternative<GiveUp>(token));
  CHECK(std::get<GiveUp>(token).error.find("sessionWebhook") == std::string::npos);
  CHECK(std::holds_alternative<GiveUp>(result(200, R"({"errcode":400013,"errmsg":"group dissolved"})")));
}

TEST_CASE("dingtalk: interpret falls back on the HTTP status without an errcode", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(answer(502, "<html>bad gateway</html>"))));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(answer(0, ""))));
  CHECK(std::holds_alternative<GiveUp>(adapter.interpret(answer(404, ""))));
  // A 200 that is not DingTalk's answer proves nothing was delivered.
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(answer(200, "<html>portal</html>"))));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(answer(200, R"({"errcode":"0"})"))));
}

TEST_CASE("dingtalk: error texts are bounded", "[dingtalk]") {
  const DingTalkAdapter adapter(connection());
  const auto outcome =
      adapter.interpret(answer(200, nlohmann::json{{"errcode", 400101}, {"errmsg", std::string(5000, 'x')}}.dump()));
  const auto* give_up = std::get_if<GiveUp>(&outcome);
  REQUIRE(give_up);
  CHECK(give_up->error.size() < 200);
}

TEST_CASE("dingtalk: 20 messages a minute; app_secret required, robot_secret optional", "[dingtalk]") {
  const RateLimit limit = DingTalkAdapter(connection()).rate_limit();
  CHECK(limit.messages == 20);
  CHECK(limit.per == std::chrono::minutes(1));

  CHECK_NOTHROW(DingTalkAdapter(connection({{"app_secret", app_secret}})));
  CHECK_THROWS_AS(DingTalkAdapter(connection({})), std::invalid_argument);
  CHECK_THROWS_AS(DingTalkAdapter(connection({{"robot_secret", robot_secret}})), std::invalid_argument);
  CHECK_THROWS_AS(DingTalkAdapter(connection({{"app_secret", ""}})), std::invalid_argument);
  try {
    DingTalkAdapter adapter(connection({{"app_secret", app_secret}, {"robot_secret", ""}}));
    FAIL("an empty robot_secret must be refused");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("robot_secret") != std::string::npos);
    CHECK(what.find(app_secret) == std::string::npos);  // never a secret's value
  }
}
