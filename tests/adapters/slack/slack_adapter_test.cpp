#include "adapters/slack/slack_adapter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/wire/percent.hpp"
#include "tests/support/adapter_outcomes.hpp"
#include "tests/support/slack_payloads.hpp"

using namespace slabot;
using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// Slack's own example from "Verifying requests from Slack" (with the token its page really has;
// see tests/adapters/crypto_test.cpp): secret, timestamp, body and signature as published.
const std::string published_secret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string published_timestamp = "1531420618";
const std::string published_body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIG"
    "lgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const std::string published_signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

// Our own request, shaped like the sample payload in Slack's slash-command docs:
//   printf '%s'
//   'v0:1700000000:token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fticket&text=ack+12&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456'
//   | openssl dgst -sha256 -hmac test-signing-secret
const std::string secret = "test-signing-secret";
const std::string timestamp = "1700000000";
const Timestamp signed_at = from_unix_ms(1700000000LL * 1000);
const std::string body =
    "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705"
    "&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fticket&text=ack+12"
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"
    "&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456";
const std::string good_signature = "v0=1500b5522fd957c9512fdfdf5e650b6369b5a6563c703cc269b326d5011319dc";

Connection connection(const std::string& signing_secret = secret, const std::string& bot_token = "xoxb-test-token",
                      const std::string& outbound_url = "") {
  Connection c;
  c.name = "slack-main";
  c.adapter = "slack";
  c.secrets["signing_secret"] = signing_secret;
  if (!bot_token.empty()) c.secrets["bot_token"] = bot_token;
  c.outbound_url = outbound_url;
  return c;
}

HttpRequest signed_request(std::string request_body = body, std::string signature = good_signature,
                           std::string ts = timestamp) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/slack-main";
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  if (!ts.empty()) request.headers["x-slack-request-timestamp"] = std::move(ts);
  if (!signature.empty()) request.headers["x-slack-signature"] = std::move(signature);
  request.body = std::move(request_body);
  return request;
}

using testing::rejected_status;

ParseOutcome parse_body(const std::string& text) { return SlackAdapter(connection()).parse(signed_request(text)); }

using testing::only_message;

// A command body with the given command and text fields (already form-encoded).
std::string command_body(const std::string& command, const std::string& text) {
  return "team_id=T1&channel_id=C1&channel_name=ops&user_id=U1&user_name=ann&command=" + command + "&text=" + text +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx&trigger_id=t.1";
}

HttpResponse response(int status, std::string text, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(text)};
}

// Buttons: a tap as Slack posts it (tests/support/slack_payloads.hpp), signed here over any body.
const std::string tap_response_url = "https://hooks.slack.com/actions/T0001/1234/abcd";

json block_actions(const std::string& value) {
  return testing::block_actions({"U2147483697", "steve", "C2147483705", value, tap_response_url,
                                 "13345224609.738474920.8088930838d88f008e0", "1700000000.000100",
                                 "#12 Critical \"DB down\": response SLA of 15m breached"});
}

std::string form_of(const json& payload) { return "payload=" + percent_encode(payload.dump()); }

HttpRequest signed_with(const std::string& request_body, const std::string& key = secret) {
  return signed_request(request_body, "v0=" + hex_encode(hmac_sha256(key, "v0:" + timestamp + ":" + request_body)));
}

}  // namespace

TEST_CASE("slack: Slack's published example request verifies", "[slack]") {
  const SlackAdapter adapter(connection(published_secret));
  const auto request = signed_request(published_body, published_signature, published_timestamp);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, from_unix_ms(1531420618LL * 1000))));
  // One byte of the body changed: refused.
  auto tampered = request;
  tampered.body.replace(tampered.body.find("roadrunner"), 10, "roadRunner");
  CHECK(rejected_status(adapter.verify(tampered, from_unix_ms(1531420618LL * 1000))) == 401);
}

TEST_CASE("slack: the published example parses as the command it is", "[slack]") {
  const auto message = only_message(SlackAdapter(connection()).parse(signed_request(published_body)));
  CHECK(message.platform == "slack");
  CHECK(message.text == "/webhook-collect");  // an empty text adds nothing
  CHECK(message.chat_id == "G8PSS9T3V");
  CHECK(message.user_id == "U2CERLKJA");
  CHECK(message.user_name == "roadrunner");
  CHECK(message.event_id == "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
  CHECK(message.reply_url == "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
}

TEST_CASE("slack: our own openssl-computed request verifies", "[slack]") {
  const SlackAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(signed_request(), signed_at)));
  std::string upper = good_signature;  // hex case does not matter, the bytes do
  for (std::size_t i = 3; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  CHECK(std::holds_alternative<Verified>(adapter.verify(signed_request(body, upper), signed_at)));
}

TEST_CASE("slack: tampering, a wrong secret or another timestamp is refused with 401", "[slack]") {
  const SlackAdapter adapter(connection());
  std::string tampered = body;
  tampered.replace(tampered.find("ack+12"), 6, "ack+13");
  CHECK(rejected_status(adapter.verify(signed_request(tampered), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body + "&x=1"), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, good_signature, "1700000001"), signed_at)) == 401);
  CHECK(rejected_status(SlackAdapter(connection("another-secret")).verify(signed_request(), signed_at)) == 401);
}

TEST_CASE("slack: timestamps beyond five minutes either way are refused", "[slack]") {
  const SlackAdapter adapter(connection());
  const auto verify_at = [&](Timestamp now) { return adapter.verify(signed_request(), now); };
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at + minutes(5))));
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at - minutes(5))));
  CHECK(rejected_status(verify_at(signed_at + minutes(5) + seconds(1))) == 401);  // stale
  CHECK(rejected_status(verify_at(signed_at - minutes(5) - seconds(1))) == 401);  // from the future
}

TEST_CASE("slack: missing or malformed signature headers are refused with 401", "[slack]") {
  const SlackAdapter adapter(connection());
  const std::string hex = good_signature.substr(3);
  for (const std::string& signature : {std::string(""), hex, "v1=" + hex, "v0=" + hex.substr(2),
                                       "v0=zz" + hex.substr(2), std::string("v0="), "V0=" + hex}) {
    CAPTURE(signature);
    CHECK(rejected_status(adapter.verify(signed_request(body, signature), signed_at)) == 401);
  }
  for (const char* ts : {"", "abc", "-1700000000", "1700000000.0", " 1700000000", "99999999999999999999"}) {
    CAPTURE(ts);
    CHECK(rejected_status(adapter.verify(signed_request(body, good_signature, ts), signed_at)) == 401);
  }
}

TEST_CASE("slack: a slash command becomes the line the person typed", "[slack]") {
  const auto message = only_message(parse_body(body));
  CHECK(message.text == "/ticket ack 12");
  CHECK(message.chat_id == "C2147483705");
  CHECK(message.user_id == "U2147483697");
  CHECK(message.user_name == "Steve");
  CHECK(message.event_id == "13345224609.738474920.8088930838d88f008e0");  // trigger_id
  CHECK(message.reply_url == "https://hooks.slack.com/commands/1234/5678");

  // An app that registered /ack: the command word is what the person typed.
  CHECK(only_message(parse_body(command_body("%2Fack", "12"))).text == "/ack 12");
  CHECK(only_message(parse_body(command_body("%2Fticket", ""))).text == "/ticket");
}

TEST_CASE("slack: Slack's escaped mentions, links and entities become plain words", "[slack]") {
  const auto text = [](const std::string& encoded) {
    return only_message(parse_body(command_body("%2Fticket", encoded))).text;
  };
  // text=assign 12 <@U024BE7LH|ann>
  CHECK(text("assign+12+%3C%40U024BE7LH%7Cann%3E") == "/ticket assign 12 @ann");
  // ... and who was mentioned is kept by id, for commands that go by identity.
  const auto mentions =
      only_message(parse_body(command_body("%2Fticket", "assign+12+%3C%40U024BE7LH%7Cann%3E"))).mentions;
  REQUIRE(mentions.size() == 1);
  CHECK(mentions[0].user_id == "U024BE7LH");
  CHECK(mentions[0].name == "ann");
  CHECK(only_message(parse_body(command_body("%2Fticket", "assign+12+%40ann"))).mentions.empty());
  CHECK(text("assign+12+%3C%40U024BE7LH%3E") == "/ticket assign 12 @U024BE7LH");
  // note 12 see <https://status.example.com|status.example.com> &lt;urgent&gt; &amp; <!here>
  CHECK(text("note+12+see+%3Chttps%3A%2F%2Fstatus.example.com%7Cstatus.example.com%3E+"
             "%26lt%3Burgent%26gt%3B+%26amp%3B+%3C%21here%3E") ==
        "/ticket note 12 see status.example.com <urgent> & @here");
  CHECK(text("note+1+%3C%23C123%7Cops%3E+%3C%21subteam%5ES1%7C%40oncall%3E") == "/ticket note 1 #ops @oncall");
  // Entities stay literal text once decoded: "&amp;lt;" is the four characters "&lt;".
  CHECK(text("note+1+%26amp%3Blt%3B") == "/ticket note 1 &lt;");
}

TEST_CASE("slack: the SSL check and the Events URL check are answered at once", "[slack]") {
  const auto ssl = parse_body("token=x&ssl_check=1");
  const auto* answer = std::get_if<HttpAnswer>(&ssl);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body.empty());

  const auto challenge = parse_body(
      R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})");
  const auto* echoed = std::get_if<HttpAnswer>(&challenge);
  REQUIRE(echoed);
  CHECK(echoed->status == 200);
  CHECK(nlohmann::json::parse(echoed->body) ==
        nlohmann::json{{"challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}});
}

TEST_CASE("slack: requests that are neither slash commands nor button taps are acknowledged and ignored", "[slack]") {
  // (Taps, block_actions payloads, are slack_buttons_test.cpp's.)
  for (const char* text : {R"({"type":"event_callback","event":{"type":"app_mention","text":"hi"}})",
                           "payload=%7B%22type%22%3A%22view_submission%22%7D", ""}) {
    CAPTURE(text);
    const auto outcome = parse_body(text);
    const auto* parsed = std::get_if<ParsedMessages>(&outcome);
    REQUIRE(parsed);
    CHECK(parsed->messages.empty());
  }
}

TEST_CASE("slack: malformed bodies are refused with 400", "[slack]") {
  for (const std::string& text : {
           std::string("command=%2Fticket&channel_id=C1&user_id=U1&text=%ZZ"),  // bad escape
           std::string("command=%2Fticket&channel_id=C1&user_id=U1&text=%4"),   // truncated escape
           std::string("command=%2Fticket&channel_id=C1&user_id=U1&text=%FF"),  // not UTF-8
           std::string("command=ticket&channel_id=C1&user_id=U1&text=ack"),     // no slash
           std::string("command=%2Fticket&user_id=U1&text=ack"),                // no channel
           std::string("command=%2Fticket&channel_id=C1&text=ack"),             // no user
           std::string("{not json"),
           std::string(R"({"type":"url_verification","challenge":7})"),
       }) {
    CAPTURE(text);
    CHECK(rejected_status(parse_body(text)) == 400);
  }
}

TEST_CASE("slack: sync_reply posts in the channel, escaped; nothing to say is an empty 200", "[slack]") {
  const SlackAdapter adapter(connection());
  const HttpAnswer answer = adapter.sync_reply(InboundMessage{}, "T-12 <acked> by Ann & Bob");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  CHECK(nlohmann::json::parse(answer.body) ==
        nlohmann::json{{"response_type", "in_channel"}, {"text", "T-12 &lt;acked&gt; by Ann &amp; Bob"}});

  const HttpAnswer silent = adapter.sync_reply(InboundMessage{}, "");
  CHECK(silent.status == 200);
  CHECK(silent.body.empty());
  CHECK(adapter.reply_route(InboundMessage{}) == ReplyRoute::in_response);
}

TEST_CASE("slack: render calls chat.postMessage with the bot token and <@U> mentions", "[slack]") {
  const SlackAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "C2147483705";
  message.text = "T-12 breached its <1h> response SLA";
  message.mentions = {{"U1", "Ann"}, {"U2", "Bob"}};
  const OutboundRequest request = adapter.render(message, signed_at);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://slack.com/api/chat.postMessage");
  CHECK(request.headers.at("Authorization") == "Bearer xoxb-test-token");
  CHECK(request.headers.at("Content-Type") == "application/json; charset=utf-8");
  CHECK(nlohmann::json::parse(request.body) ==
        nlohmann::json{{"channel", "C2147483705"}, {"text", "T-12 breached its &lt;1h&gt; response SLA <@U1> <@U2>"}});
}

TEST_CASE("slack: render sends webhooks and response_urls the text without the token", "[slack]") {
  OutboundMessage message;
  message.chat_id = "C1";
  message.text = "acked";
  message.mentions = {{"U1", "Ann"}};

  // A reply through the command's response_url: in the channel, not just to the sender.
  message.url = "https://hooks.slack.com/commands/T1/1/x";
  const OutboundRequest reply = SlackAdapter(connection()).render(message, signed_at);
  CHECK(reply.url == message.url);
  CHECK_FALSE(reply.headers.contains("Authorization"));
  CHECK(nlohmann::json::parse(reply.body) == nlohmann::json{{"response_type", "in_channel"}, {"text", "acked <@U1>"}});

  // A connection whose outbound_url is an incoming webhook, with no bot token at all.
  message.url.clear();
  const SlackAdapter hook(connection(secret, "", "https://hooks.slack.com/services/T1/B1/abc"));
  const OutboundRequest posted = hook.render(message, signed_at);
  CHECK(posted.url == "https://hooks.slack.com/services/T1/B1/abc");
  CHECK_FALSE(posted.headers.contains("Authorization"));
  CHECK(nlohmann::json::parse(posted.body) == nlohmann::json{{"text", "acked <@U1>"}});
}

TEST_CASE("slack: the bot token goes to no host but Slack's and the configured one", "[slack]") {
  OutboundMessage message;
  message.chat_id = "C1";
  message.text = "x";
  message.url = "https://attacker.example/api/chat.postMessage";
  const OutboundRequest request = SlackAdapter(connection()).render(message, signed_at);
  CHECK(request.url == message.url);
  CHECK_FALSE(request.headers.contains("Authorization"));

  message.url = "https://slack.com/api/chat.postMessage";
  CHECK(SlackAdapter(connection()).render(message, signed_at).headers.at("Authorization") == "Bearer xoxb-test-token");
  // GovSlack, or any Web API the operator configured, is trusted because the config names it.
  message.url.clear();
  const SlackAdapter gov(connection(secret, "xoxb-gov", "https://slack-gov.com/api/chat.postMessage"));
  CHECK(gov.render(message, signed_at).headers.at("Authorization") == "Bearer xoxb-gov");
}

TEST_CASE("slack: interpret reads chat.postMessage's ok and error", "[slack]") {
  const SlackAdapter adapter(connection());
  CHECK(std::holds_alternative<Delivered>(
      adapter.interpret(response(200, R"({"ok":true,"channel":"C1","ts":"1503435956.000247"})"))));

  // Failures arrive as HTTP 200 with ok:false.
  for (const char* code : {"channel_not_found", "not_in_channel", "invalid_auth", "is_archived"}) {
    CAPTURE(code);
    const auto result = adapter.interpret(response(200, std::string(R"({"ok":false,"error":")") + code + "\"}"));
    const auto* give_up = std::get_if<GiveUp>(&result);
    REQUIRE(give_up);
    CHECK(give_up->error == std::string("slack: ") + code);
  }
  for (const char* code : {"internal_error", "fatal_error", "service_unavailable"}) {
    CAPTURE(code);
    CHECK(std::holds_alternative<RetryLater>(
        adapter.interpret(response(200, std::string(R"({"ok":false,"error":")") + code + "\"}"))));
  }
  // The message itself is wrong: tried outbox.max_attempts times, then dead.
  for (const char* code : {"msg_too_long", "no_text", "invalid_blocks"}) {
    CAPTURE(code);
    CHECK(std::holds_alternative<Refused>(
        adapter.interpret(response(200, std::string(R"({"ok":false,"error":")") + code + "\"}"))));
  }
  CHECK(std::holds_alternative<Throttled>(adapter.interpret(response(200, R"({"ok":false,"error":"rate_limited"})"))));
}

TEST_CASE("slack: a 429 waits for Retry-After", "[slack]") {
  const SlackAdapter adapter(connection());
  const auto result =
      adapter.interpret(response(429, R"({"ok":false,"error":"ratelimited"})", {{"retry-after", "30"}}));
  const auto* later = std::get_if<Throttled>(&result);
  REQUIRE(later);
  REQUIRE(later->after);
  CHECK(*later->after == seconds(30));
  CHECK(later->error == "slack: ratelimited");

  const auto plain = adapter.interpret(response(429, "", {{"retry-after", "7"}}));
  REQUIRE(std::holds_alternative<Throttled>(plain));
  CHECK(std::get<Throttled>(plain).after == seconds(7));
}

TEST_CASE("slack: webhook answers: ok, or an HTTP error whose body is the code", "[slack]") {
  const SlackAdapter adapter(connection());
  CHECK(std::holds_alternative<Delivered>(adapter.interpret(response(200, "ok"))));

  const auto gone = adapter.interpret(response(410, "channel_is_archived"));
  REQUIRE(std::holds_alternative<GiveUp>(gone));
  CHECK(std::get<GiveUp>(gone).error == "slack HTTP 410: channel_is_archived");
  CHECK(std::holds_alternative<GiveUp>(adapter.interpret(response(404, "no_service"))));
  CHECK(std::holds_alternative<GiveUp>(adapter.interpret(response(403, "invalid_token"))));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(response(500, "rollup_error"))));
}

TEST_CASE("slack: error strings never carry what the answer echoes back", "[slack]") {
  const SlackAdapter adapter(connection());
  // Neither a token-like value in "error" nor a random key in a plain body reaches the log.
  const auto token = adapter.interpret(response(200, R"({"ok":false,"error":"xoxb-test-token"})"));
  REQUIRE(std::holds_alternative<GiveUp>(token));
  CHECK(std::get<GiveUp>(token).error == "slack");
  const auto key = adapter.interpret(response(404, "4f9ca2b1e0d3a7c58b6e2d1f0a"));
  REQUIRE(std::holds_alternative<GiveUp>(key));
  CHECK(std::get<GiveUp>(key).error == "slack HTTP 404");
  const auto sentence = adapter.interpret(response(400, "see https://hooks.slack.com/services/T1/B1/abc"));
  REQUIRE(std::holds_alternative<Refused>(sentence));
  CHECK(std::get<Refused>(sentence).error == "slack HTTP 400");
}

TEST_CASE("slack: one message a second per channel", "[slack]") {
  const RateLimit limit = SlackAdapter(connection()).rate_limit();
  CHECK(limit.messages == 1);
  CHECK(limit.per == seconds(1));
}

TEST_CASE("slack: secrets are checked when the connection is built", "[slack]") {
  const auto message_of = [](const Connection& c) {
    try {
      SlackAdapter adapter(c);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  Connection without = connection();
  without.secrets.erase("signing_secret");
  CHECK(message_of(without).find("\"signing_secret\"") != std::string::npos);
  CHECK(message_of(connection("")).find("\"signing_secret\"") != std::string::npos);

  // chat.postMessage without a token cannot work; the message names the secret, not a value.
  const std::string missing_token = message_of(connection(secret, "", "https://slack.com/api/chat.postMessage"));
  CHECK(missing_token.find("\"bot_token\"") != std::string::npos);
  CHECK(missing_token.find(secret) == std::string::npos);

  // Inbound-only (no outbound URL, no token) and webhook-only connections are fine.
  CHECK(message_of(connection(secret, "", "")) == "no exception");
  CHECK(message_of(connection(secret, "", "https://hooks.slack.com/services/T1/B1/abc")) == "no exception");
}

// Buttons (docs.slack.dev: "Creating interactive messages", "Interaction payloads" / block_actions,
// Block Kit "Actions block" and "Button element").

TEST_CASE("slack: a message with actions carries a Block Kit actions block with a button each", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  OutboundMessage message{"slack-main", "C2147483705", "#12 breached <soon>", {{"U1", "Erin"}}, ""};
  message.actions = {{ActionKind::ack, 12}, {ActionKind::escalate, 12}, {ActionKind::assign_to_me, 12}};
  const auto request = adapter.render(message, signed_at);
  const json text_block = {{"type", "section"},
                           {"text", {{"type", "mrkdwn"}, {"text", "#12 breached &lt;soon&gt; <@U1>"}}}};
  const json buttons = {{"type", "actions"},
                        {"block_id", "slabot"},
                        {"elements",
                         {{{"type", "button"},
                           {"action_id", "ack"},
                           {"text", {{"type", "plain_text"}, {"text", "Acknowledge"}}},
                           {"value", "ack:12"},
                           {"style", "primary"}},
                          {{"type", "button"},
                           {"action_id", "escalate"},
                           {"text", {{"type", "plain_text"}, {"text", "Escalate"}}},
                           {"value", "escalate:12"}},
                          {{"type", "button"},
                           {"action_id", "assign"},
                           {"text", {{"type", "plain_text"}, {"text", "Assign to me"}}},
                           {"value", "assign:12"}}}}};
  CHECK(json::parse(request.body) == json{{"channel", "C2147483705"},
                                          {"text", "#12 breached &lt;soon&gt; <@U1>"},
                                          {"blocks", {text_block, buttons}}});
  // Without actions, the body is as it always was.
  message.actions.clear();
  CHECK_FALSE(json::parse(adapter.render(message, signed_at).body).contains("blocks"));
}

TEST_CASE("slack: a signed block_actions tap is the command its button stands for", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  const auto request = signed_with(form_of(block_actions("ack:12")));
  REQUIRE(std::holds_alternative<Verified>(adapter.verify(request, signed_at)));
  const InboundMessage message = testing::only_message(adapter.parse(request));
  CHECK(message.text == "/ack 12");
  CHECK(message.chat_id == "C2147483705");
  CHECK(message.user_id == "U2147483697");
  CHECK(message.event_id == "13345224609.738474920.8088930838d88f008e0");
  CHECK(message.reply_url == tap_response_url);
  REQUIRE(message.tap);
  CHECK(message.tap->action == MessageAction{ActionKind::ack, 12});
  CHECK(message.tap->message_ref == "1700000000.000100");
  CHECK(message.tap->original_text == "#12 Critical \"DB down\": response SLA of 15m breached");
  CHECK(adapter.reply_route(message) == ReplyRoute::via_outbox);
  // The request itself is answered with a bare 200: the answer goes to the response_url.
  const HttpAnswer answer = adapter.sync_answer(message, Reply{"", false, {}, true});
  CHECK(answer.status == 200);
  CHECK(answer.body.empty());
}

TEST_CASE("slack: a tap signed with another secret is refused before anything is read", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  const auto request = signed_with(form_of(block_actions("ack:12")), "not-the-secret");
  const auto verified = adapter.verify(request, signed_at);
  REQUIRE(std::holds_alternative<Rejected>(verified));
  CHECK(std::get<Rejected>(verified).status == 401);
}

TEST_CASE("slack: interactions that are no tap on slabot's buttons", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  // A modal or shortcut: acknowledged, nothing to run.
  auto other = block_actions("ack:12");
  other["type"] = "view_submission";
  const auto ignored = adapter.parse(signed_with(form_of(other)));
  REQUIRE(std::holds_alternative<ParsedMessages>(ignored));
  CHECK(std::get<ParsedMessages>(ignored).messages.empty());
  // A value that is none of slabot's, and a tap with nowhere to answer: malformed.
  for (auto bad : {block_actions("close:12"), block_actions("ack:12")}) {
    if (bad["actions"][0]["value"] == "ack:12") bad.erase("response_url");
    const auto parsed = adapter.parse(signed_with(form_of(bad)));
    REQUIRE(std::holds_alternative<Rejected>(parsed));
    CHECK(std::get<Rejected>(parsed).status == 400);
  }
  CHECK(std::holds_alternative<Rejected>(adapter.parse(signed_with("payload=%7Bnot+json"))));
}

TEST_CASE("slack: a tap's answer replaces the tapped message, or tells the tapper alone", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  OutboundMessage answer{
      "slack-main", "C2147483705", "#12 acknowledged by Erin after 3m (within the 15m SLA)", {}, tap_response_url};
  answer.tap = Tap{{ActionKind::ack, 12}, "1700000000.000100", "", "#12 breached", true};
  const auto updated = adapter.render(answer, signed_at);
  CHECK(updated.url == tap_response_url);
  CHECK_FALSE(updated.headers.contains("Authorization"));
  const std::string done = ":white_check_mark: #12 acknowledged by Erin after 3m (within the 15m SLA)";
  CHECK(json::parse(updated.body) ==
        json{{"replace_original", true},
             {"text", "#12 breached\n" + done},
             {"blocks",
              {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "#12 breached"}}}},
               {{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", done}}}}}}}});

  answer.text = "only support staff may ack tickets";
  answer.tap->acted = false;
  const auto refused = adapter.render(answer, signed_at);
  CHECK(refused.url == tap_response_url);
  CHECK(json::parse(refused.body) == json{{"response_type", "ephemeral"},
                                          {"replace_original", false},
                                          {"text", "only support staff may ack tickets"}});
}

TEST_CASE("slack: a slash command's answer with buttons carries them as blocks", "[slack][buttons]") {
  const SlackAdapter adapter(connection());
  InboundMessage command;
  command.text = "/ticket open 1 DB down";
  const auto answer = adapter.sync_answer(command, Reply{"#12 opened", false, {{ActionKind::ack, 12}}, true});
  const json body = json::parse(answer.body);
  CHECK(body.at("response_type") == "in_channel");
  CHECK(body.at("text") == "#12 opened");
  CHECK(body.at("blocks").at(1).at("elements").at(0).at("value") == "ack:12");
  CHECK(adapter.reply_route(command) == ReplyRoute::in_response);
}
