// Telegram long polling without I/O: the getUpdates request, every kind of answer it gets, the
// one Update parser shared with the webhook, and the adapter of a polling (mode stream) connection.
#include "adapters/telegram/telegram_polling.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "adapters/telegram/telegram_adapter.hpp"
#include "adapters/telegram/telegram_update.hpp"
#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;
using namespace slabot::telegram;
using nlohmann::json;
using slabot::testing::answer;

namespace {

const std::string bot_token = "123456789:AAHOp1v7pz-cV3L2C-xiivqNi0qbVOOVNtQ";

json text_update(std::int64_t update_id, const std::string& text) {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", 7},
            {"from", {{"id", 222333444}, {"is_bot", false}, {"first_name", "Ann"}}},
            {"chat", {{"id", -1001234567890LL}, {"type", "supergroup"}}},
            {"date", 1700000000},
            {"text", text}}}};
}

template <class Kind>
Kind as(const PollAnswer& polled) {
  const auto* kind = std::get_if<Kind>(&polled);
  REQUIRE(kind);
  return *kind;
}

Connection polling_connection() {
  Connection c;
  c.name = "tg";
  c.adapter = "telegram";
  c.mode = ConnectionMode::stream;
  c.secrets["bot_token"] = bot_token;
  return c;
}

}  // namespace

TEST_CASE("telegram polling: a method's URL is under the Bot API or the connection's stream_url",
          "[telegram][polling]") {
  CHECK(method_url("", bot_token, "getUpdates") == "https://api.telegram.org/bot" + bot_token + "/getUpdates");
  CHECK(method_url("https://127.0.0.1:8443/", bot_token, "sendMessage") ==
        "https://127.0.0.1:8443/bot" + bot_token + "/sendMessage");
}

TEST_CASE("telegram polling: getUpdates asks from the offset for messages and button taps, waiting the timeout",
          "[telegram][polling]") {
  const auto request =
      get_updates_request("https://x.example/botT/getUpdates", GetUpdates{42, std::chrono::seconds(25)});
  CHECK(request.method == "POST");
  CHECK(request.url == "https://x.example/botT/getUpdates");
  CHECK(request.headers.at("Content-Type") == "application/json");
  const json body = json::parse(request.body);
  CHECK(body["offset"] == 42);
  CHECK(body["timeout"] == 25);
  CHECK(body["allowed_updates"] == json::array({"message", "callback_query"}));

  // Never polled before: no offset, so Telegram starts at its earliest unconfirmed update.
  const json first = json::parse(get_updates_request("u", GetUpdates{std::nullopt, std::chrono::seconds(25)}).body);
  CHECK_FALSE(first.contains("offset"));
}

TEST_CASE("telegram polling: an ok answer gives its updates in update_id order", "[telegram][polling]") {
  const json body = {{"ok", true}, {"result", {text_update(12, "/list"), text_update(11, "/ticket 2 down")}}};
  const auto polled = as<Polled>(read_get_updates(answer(200, body.dump())));
  REQUIRE(polled.updates.size() == 2);
  CHECK(polled.updates[0].update_id == 11);
  CHECK(polled.updates[0].update == text_update(11, "/ticket 2 down"));
  CHECK(polled.updates[1].update_id == 12);

  CHECK(as<Polled>(read_get_updates(answer(200, R"({"ok":true,"result":[]})"))).updates.empty());
}

TEST_CASE("telegram polling: a webhook set for the bot refuses polling, and says what to do", "[telegram][polling]") {
  const auto refused = as<PollRefused>(read_get_updates(answer(
      409,
      R"({"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})")));
  CHECK(refused.reason ==
        "Telegram 409: Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
        "webhook first (a webhook is set for this bot: call deleteWebhook, or give the connection \"mode\": "
        "\"webhook\")");

  const auto twice = as<PollRefused>(read_get_updates(answer(
      409,
      R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})")));
  CHECK(twice.reason.find("another program polls this bot's token") != std::string::npos);
}

TEST_CASE("telegram polling: a wrong token is refused; other errors are retried", "[telegram][polling]") {
  const auto& refused =
      as<PollRefused>(read_get_updates(answer(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})")));
  CHECK(refused.reason ==
        "Telegram 401: Unauthorized (the bot_token is wrong or revoked: take the current one from @BotFather)");
  CHECK(as<PollRefused>(read_get_updates(answer(404, R"({"ok":false,"error_code":404,"description":"Not Found"})")))
            .reason.find("bot_token") != std::string::npos);

  CHECK(as<PollFailed>(read_get_updates(answer(502, R"({"ok":false,"error_code":502,"description":"Bad Gateway"})")))
            .reason == "Telegram 502: Bad Gateway");
}

TEST_CASE("telegram polling: 429 waits the retry_after Telegram gives", "[telegram][polling]") {
  const auto throttled = as<PollThrottled>(read_get_updates(answer(
      429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})")));
  CHECK(throttled.retry_after == std::chrono::seconds(7));
  CHECK(throttled.reason == "Telegram 429: Too Many Requests: retry after 7");
  // Without a usable retry_after the supervisor's own backoff decides.
  CHECK(as<PollThrottled>(
            read_get_updates(answer(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":"x"}})")))
            .retry_after == std::chrono::seconds(0));
}

TEST_CASE("telegram polling: an answer that is not the Bot API's confirms nothing", "[telegram][polling]") {
  CHECK(as<PollFailed>(read_get_updates(answer(200, "<html>captive portal</html>"))).reason ==
        "Telegram answered HTTP 200 without a Bot API answer");
  CHECK(std::holds_alternative<PollFailed>(read_get_updates(answer(200, R"({"ok":true,"result":[)"))));
  CHECK(as<PollFailed>(read_get_updates(answer(200, R"({"ok":true})"))).reason ==
        "Telegram answered ok without a result array");
  const json no_id = {{"ok", true}, {"result", {text_update(11, "/list"), {{"message", {{"text", "x"}}}}}}};
  CHECK(as<PollFailed>(read_get_updates(answer(200, no_id.dump()))).reason ==
        "Telegram answered an update without an integer update_id");

  // A negative offset would make Telegram forget updates: such an id confirms nothing.
  const json negative = {{"ok", true}, {"result", json::array({text_update(-5, "/list")})}};
  CHECK(as<PollFailed>(read_get_updates(answer(200, negative.dump()))).reason ==
        "Telegram answered an update_id out of range");
  const json top = {{"ok", true},
                    {"result", json::array({text_update(std::numeric_limits<std::int64_t>::max(), "/list")})}};
  CHECK(std::holds_alternative<PollFailed>(read_get_updates(answer(200, top.dump()))));

  HttpResponse none;
  none.failure = TransportFailure::timeout;
  none.body = "timed out reading from api.telegram.org:443";
  CHECK(as<PollFailed>(read_get_updates(none)).reason ==
        "no answer from Telegram (timeout): timed out reading from api.telegram.org:443");
}

TEST_CASE("telegram polling: a polled update parses exactly as the same update by webhook", "[telegram][polling]") {
  Connection webhook = polling_connection();
  webhook.mode = ConnectionMode::webhook;
  webhook.secrets["webhook_secret"] = "s3cr3t";
  const json update = text_update(11, "@Sla_Bot /ack 12");
  HttpRequest request;
  request.method = "POST";
  request.body = update.dump();

  const InboundMessage polled = testing::only_message(parse_update(update, "sla_bot"));
  const InboundMessage hooked = testing::only_message(TelegramAdapter(webhook).parse(request));
  CHECK(polled.event_id == "11");
  CHECK(polled.chat_id == "-1001234567890");
  CHECK(polled.user_id == "222333444");
  CHECK(polled.text == "/ack 12");
  CHECK(polled.bot_name == "sla_bot");
  CHECK(polled.platform == "telegram");
  // The webhook adapter without a bot_username strips nothing; otherwise the two agree.
  CHECK(hooked.event_id == polled.event_id);
  CHECK(hooked.chat_id == polled.chat_id);
  CHECK(hooked.user_name == polled.user_name);
  CHECK(testing::rejected_status(parse_update(json::array(), "")) == 400);
}

TEST_CASE("telegram polling: a polling connection needs the bot token, not a webhook secret", "[telegram][polling]") {
  const TelegramAdapter adapter(polling_connection());
  HttpRequest forged;
  forged.method = "POST";
  forged.headers["x-telegram-bot-api-secret-token"] = "";
  forged.body = text_update(1, "/list").dump();
  // No webhook to receive: whatever reaches /hooks/<name> is refused.
  CHECK(testing::rejected_status(adapter.verify(forged, from_unix_ms(0))) == 404);
  CHECK(adapter.reply_route(InboundMessage{}) == ReplyRoute::via_outbox);

  Connection local = polling_connection();
  local.stream_url = "https://127.0.0.1:8443";
  OutboundMessage message;
  message.chat_id = "-100";
  message.text = "hi";
  CHECK(TelegramAdapter(local).render(message, from_unix_ms(0)).url ==
        "https://127.0.0.1:8443/bot" + bot_token + "/sendMessage");
  CHECK(adapter.render(message, from_unix_ms(0)).url == "https://api.telegram.org/bot" + bot_token + "/sendMessage");

  // check-config's rule (the registry builds the adapter): accepted without a webhook_secret.
  CHECK_FALSE(connection_problem(polling_connection()));
  Connection webhook_without_secret = polling_connection();
  webhook_without_secret.mode = ConnectionMode::webhook;
  CHECK(connection_problem(webhook_without_secret));

  Connection without_token = polling_connection();
  without_token.secrets.clear();
  CHECK_THROWS_WITH(TelegramAdapter(without_token), Catch::Contains("\"bot_token\""));
}

TEST_CASE("telegram polling: a polled button tap is the command its button stands for, as by webhook",
          "[telegram][polling][buttons]") {
  // getUpdates asks for callback_query; the tap must parse in the shared Update parser, not only
  // in the webhook's, or a polling bot's buttons would do nothing.
  const json update = {{"update_id", 871234999},
                       {"callback_query",
                        {{"id", "4382bfdwdsb323b2d9"},
                         {"from", {{"id", 222333444}, {"is_bot", false}, {"first_name", "Ann"}}},
                         {"message",
                          {{"message_id", 4712},
                           {"chat", {{"id", -1001234567890LL}, {"type", "supergroup"}}},
                           {"date", 1700000000},
                           {"text", "#12 Critical: response SLA of 15m breached"}}},
                         {"chat_instance", "-8917395638392826393"},
                         {"data", "ack:12"}}}};
  const InboundMessage tap = testing::only_message(parse_update(update, "sla_bot"));
  CHECK(tap.text == "/ack 12");
  CHECK(tap.event_id == "871234999");
  CHECK(tap.chat_id == "-1001234567890");
  CHECK(tap.user_id == "222333444");
  CHECK(tap.bot_name == "sla_bot");
  REQUIRE(tap.tap.has_value());
}
