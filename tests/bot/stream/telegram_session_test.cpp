// Telegram long polling end to end: the session, the real dispatcher and SQLite store, and a
// fake Bot API on loopback over TLS answering getUpdates from a script (as documented in
// core.telegram.org/bots/api: {"ok":true,"result":[Update...]} or {"ok":false,"error_code",
// "description","parameters"}). Answers are checked where they go: the outbox.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "bot/dispatcher.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "bot/stream/stream_sessions.hpp"
#include "bot/stream/telegram_session.hpp"
#include "config/live_config.hpp"
#include "storage/forwarding_store.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_ca.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr long long kNow = 1795329900;  // 2026-11-22 06:45:00 UTC
const std::string kToken = "123456789:AAHOp1v7pz-cV3L2C-xiivqNi0qbVOOVNtQ";
const std::string kPath = "/bot" + kToken + "/getUpdates";
constexpr long long kGroup = -1001234567890LL;

const TestCa& test_ca() {
  static const TestCa ca("slabot telegram polling test CA");
  return ca;
}

json text_update(long long update_id, const std::string& text, long long user = 555) {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", update_id - 90},
            {"from", {{"id", user}, {"is_bot", false}, {"first_name", "Pat"}}},
            {"chat", {{"id", kGroup}, {"type", "supergroup"}}},
            {"date", kNow},
            {"text", text}}}};
}

// {"ok":true,"result":[...]}; none: a quiet long poll.
ScriptedResponse updates(const std::vector<json>& list = {}) {
  json result = json::array();
  for (const json& update : list) result.push_back(update);
  return ScriptedResponse{200, {}, json{{"ok", true}, {"result", result}}.dump()};
}

ScriptedResponse failure(int code, const std::string& description, const json& parameters = nullptr) {
  json body = {{"ok", false}, {"error_code", code}, {"description", description}};
  if (!parameters.is_null()) body["parameters"] = parameters;
  return ScriptedResponse{code, {}, body.dump()};
}

// Ends an attempt: the Bot API's front answers 502.
ScriptedResponse bad_gateway() { return failure(502, "Bad Gateway"); }

// The connection drops after the request, without an answer.
ScriptedResponse hang_up() {
  ScriptedResponse response;
  response.close_without_answer = true;
  return response;
}

class RecordingReport final : public StreamReport {
 public:
  void state(StreamState state, std::string_view) override {
    std::lock_guard lock(mutex_);
    states_.push_back(state);
  }
  std::vector<StreamState> states() const {
    std::lock_guard lock(mutex_);
    return states_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<StreamState> states_;
};

// A handler that takes messages and never answers: the process dies before the answer is durable.
class DyingHandler final : public MessageHandler {
 public:
  void handle(InboundMessage message, std::function<void(BotReply)> done) override {
    std::lock_guard lock(mutex_);
    received_.push_back(std::move(message));
    held_.push_back(std::move(done));
    arrived_.notify_all();
  }
  bool wait_for_message() {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, 10s, [&] { return !received_.empty(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<InboundMessage> received_;
  std::vector<std::function<void(BotReply)>> held_;
};

// The dispatcher, but the message with `failing_event` cannot be recorded (the store refused it).
class FailingOn final : public MessageHandler {
 public:
  FailingOn(MessageHandler& inner, std::string failing_event)
      : inner_(inner), failing_event_(std::move(failing_event)) {}
  void handle(InboundMessage message, std::function<void(BotReply)> done) override {
    if (message.event_id == failing_event_) return done(BotReply{"", true});
    inner_.handle(std::move(message), std::move(done));
  }

 private:
  MessageHandler& inner_;
  std::string failing_event_;
};

// A store whose cursor writes fail: the crash between an answer and the cursor.
class CursorLosingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void save_stream_cursor(std::string, std::int64_t, Timestamp, WriteDone done) override {
    done(WriteOutcome{WriteOutcome::Kind::failed, {}, std::nullopt});
  }
};

struct Polling {
  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  FakeHttpsPeer telegram{[] {
    FakePeerOptions options;
    options.certificate = test_ca().issue_localhost();
    return options;
  }()};
  Config config = make_config();
  SqliteStore store{{config.database_path}};
  ManualClock clock{from_unix_ms(kNow * 1000)};
  LiveConfig live_config{config};
  Dispatcher dispatcher{live_config, store, clock};
  RecordingReport report;

  Polling() { std::ofstream(ca_file) << test_ca().cert_pem(); }

  Config make_config() {
    Config c;
    c.database_path = dir.file("polling.db");
    c.tenants = {{"acme", "Acme", Package::premium}};
    c.staff = {{"erin", "Erin", Role::engineer, {{"telegram", "777"}}}};
    Connection tg;
    tg.name = "tg";
    tg.adapter = "telegram";
    tg.mode = ConnectionMode::stream;
    tg.stream_url = telegram.url("");
    tg.secrets = {{"bot_token", kToken}, {"bot_username", "@sla_bot"}};
    c.connections = {tg};
    c.channels = {{"tg", std::to_string(kGroup), "acme"}};
    return c;
  }

  TelegramSessionOptions options() const {
    TelegramSessionOptions options;
    options.http.ca_file = ca_file;
    options.http.no_proxy = "*";  // never a proxy from the environment
    return options;
  }
  std::unique_ptr<TelegramSession> session(MessageHandler& handler, Store& on) {
    return std::make_unique<TelegramSession>(config.connections.at(0), handler, on, clock, options());
  }
  std::unique_ptr<TelegramSession> session() { return session(dispatcher, store); }

  std::vector<OutboxRow> replies() { return store.list_outbox(OutboxQuery::all, 100); }
  // The offsets the getUpdates requests asked for, in order (null: none).
  std::vector<json> offsets() {
    std::vector<json> sent;
    for (const auto& request : telegram.requests()) {
      REQUIRE(request.target == kPath);
      sent.push_back(json::parse(request.body).value("offset", json()));
    }
    return sent;
  }
};

}  // namespace

TEST_CASE("telegram polling: updates are answered once through the outbox and then confirmed", "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down"),
                                text_update(101, "good morning"),
                                {{"update_id", 102}, {"edited_message", {{"text", "/open 1 again"}}}}}));
  bot.telegram.enqueue(updates());  // a quiet long poll
  bot.telegram.enqueue(bad_gateway());
  auto session = bot.session();

  const SessionEnd end = session->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::dropped);
  CHECK(end.reason == "Telegram 502: Bad Gateway");
  CHECK(end.reason.find(kToken) == std::string::npos);
  CHECK(end.was_live);
  CHECK(bot.report.states() == std::vector<StreamState>{StreamState::connecting, StreamState::live});

  const auto rows = bot.replies();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].item.message.connection == "tg");
  CHECK(rows[0].item.message.chat_id == std::to_string(kGroup));
  CHECK(rows[0].item.message.text.rfind("#1 opened", 0) == 0);
  CHECK(bot.store.find_ticket(1, "acme"));
  // The first poll asks from the earliest unconfirmed update; then past the last durable one.
  CHECK(bot.offsets() == std::vector<json>{nullptr, 103, 103});
  CHECK(bot.store.stream_cursor("tg") == 103);

  const RecordedRequest first = bot.telegram.requests().at(0);
  const json body = json::parse(first.body);
  CHECK(body["timeout"] == 25);
  CHECK(body["allowed_updates"] == json::array({"message", "callback_query"}));
}

TEST_CASE("telegram polling: an update not answered before a crash comes again and is answered once",
          "[stream][telegram]") {
  Polling bot;
  // The first process takes update 100 and dies before its answer is durable.
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  {
    DyingHandler dying;
    auto session = bot.session(dying, bot.store);
    auto run = std::async(std::launch::async, [&] { return session->run_once(bot.report); });
    REQUIRE(dying.wait_for_message());
    session->stop();
    CHECK(run.get().kind == SessionEnd::Kind::stopped);
  }
  CHECK_FALSE(bot.store.stream_cursor("tg"));
  CHECK(bot.replies().empty());

  // The restarted process polls from the stored cursor: none, so Telegram hands 100 out again.
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  bot.telegram.enqueue(bad_gateway());
  auto restarted = bot.session();
  CHECK(restarted->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  CHECK(bot.replies().size() == 1);
  CHECK(bot.offsets() == std::vector<json>{nullptr, nullptr, 101});
  CHECK(bot.store.stream_cursor("tg") == 101);
}

TEST_CASE("telegram polling: an update answered but never confirmed is delivered again and answered once",
          "[stream][telegram]") {
  Polling bot;
  // The answer is durable, the cursor is not (the process died between the two writes).
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  CursorLosingStore losing(bot.store);
  {
    auto session = bot.session(bot.dispatcher, losing);
    const SessionEnd end = session->run_once(bot.report);
    CHECK(end.kind == SessionEnd::Kind::dropped);
    CHECK(end.reason == "the polling offset could not be stored");
  }
  REQUIRE(bot.replies().size() == 1);

  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down"), text_update(101, "/list")}));
  bot.telegram.enqueue(bad_gateway());
  CHECK(bot.session()->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  // Dedup by update_id: #1 is opened once and answered once; /list gets its own answer.
  CHECK(bot.store.count_tickets(TicketQuery{}) == 1);
  const auto rows = bot.replies();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].item.message.text.rfind("#1 opened", 0) == 0);
  CHECK(rows[1].item.message.text.rfind("#1 opened", 0) != 0);
  CHECK(bot.offsets() == std::vector<json>{nullptr, nullptr, 102});
}

TEST_CASE("telegram polling: a webhook set for the bot refuses polling with what to do", "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(failure(409,
                               "Conflict: can't use getUpdates method while webhook is active; use "
                               "deleteWebhook to delete the webhook first"));
  const SessionEnd end = bot.session()->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::refused);
  CHECK(end.reason ==
        "Telegram 409: Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
        "the webhook first (a webhook is set for this bot: call deleteWebhook, or give the connection \"mode\": "
        "\"webhook\")");
  CHECK_FALSE(end.was_live);
  CHECK(bot.report.states() == std::vector<StreamState>{StreamState::connecting});
}

TEST_CASE("telegram polling: a wrong token is refused", "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(failure(401, "Unauthorized"));
  const SessionEnd end = bot.session()->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::refused);
  CHECK(end.reason ==
        "Telegram 401: Unauthorized (the bot_token is wrong or revoked: take the current one from @BotFather)");
}

TEST_CASE("telegram polling: 429 ends the attempt with Telegram's retry_after, and nothing is confirmed",
          "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  bot.telegram.enqueue(failure(429, "Too Many Requests: retry after 3", {{"retry_after", 3}}));
  const SessionEnd end = bot.session()->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::dropped);
  CHECK(end.retry_after == 3s);
  CHECK(end.reason == "Telegram 429: Too Many Requests: retry after 3");
  CHECK(end.was_live);

  // The next attempt resumes where the durable answers end.
  bot.telegram.enqueue(bad_gateway());
  CHECK(bot.session()->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  CHECK(bot.offsets() == std::vector<json>{nullptr, 101, 101});
}

TEST_CASE("telegram polling: stop() ends a long poll Telegram is still holding", "[stream][telegram]") {
  Polling bot;
  ScriptedResponse held = updates();
  held.delay = 1h;  // far beyond the poll's read timeout: only stop() can end the wait in time
  bot.telegram.enqueue(held);
  auto session = bot.session();
  auto run = std::async(std::launch::async, [&] { return session->run_once(bot.report); });
  REQUIRE(bot.telegram.wait_for_requests(1, 10s));
  session->stop();
  const SessionEnd end = run.get();
  // Had stop() not cancelled the request, the attempt would have ended by the read timeout, as
  // dropped.
  CHECK(end.kind == SessionEnd::Kind::stopped);
  CHECK(end.was_live == false);
  // Stopped for good: a later attempt does not poll.
  CHECK(session->run_once(bot.report).kind == SessionEnd::Kind::stopped);
  CHECK(bot.telegram.requests().size() == 1);
}

TEST_CASE(
    "telegram polling: an answer that is not the Bot API's confirms nothing, and an unreadable update is passed over",
    "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(ScriptedResponse{200, {}, "<html>captive portal</html>"});
  const SessionEnd end = bot.session()->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::dropped);
  CHECK(end.reason == "Telegram answered HTTP 200 without a Bot API answer");
  CHECK_FALSE(bot.store.stream_cursor("tg"));

  // Update 100 cannot be read (text is a number): logged and passed over, so 101 behind it is
  // not held up.
  json unreadable = text_update(100, "x");
  unreadable["message"]["text"] = 5;
  bot.telegram.enqueue(updates({unreadable, text_update(101, "/open 1 DB down")}));
  bot.telegram.enqueue(bad_gateway());
  CHECK(bot.session()->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  CHECK(bot.replies().size() == 1);
  CHECK(bot.store.stream_cursor("tg") == 102);
  CHECK(bot.offsets() == std::vector<json>{nullptr, nullptr, 102});
}

TEST_CASE("telegram polling: a connection dropped mid-poll ends the attempt and confirms nothing",
          "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(hang_up());
  const SessionEnd end = bot.session()->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::dropped);
  CHECK(end.reason.rfind("no answer from Telegram (", 0) == 0);
  CHECK(end.reason.find(kToken) == std::string::npos);
  CHECK_FALSE(bot.store.stream_cursor("tg"));
}

TEST_CASE("telegram polling: an update that could not be recorded stays unconfirmed, the ones before it move on",
          "[stream][telegram]") {
  Polling bot;
  bot.telegram.enqueue(
      updates({text_update(99, "/open 1 DB down"), text_update(100, "/open 2 API slow"), text_update(101, "/list")}));
  FailingOn failing(bot.dispatcher, "100");
  const SessionEnd end = bot.session(failing, bot.store)->run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::dropped);
  CHECK(end.reason == "update 100 could not be recorded");
  CHECK(bot.store.stream_cursor("tg") == 100);  // 99 is durable; 100 and 101 were not handled
  CHECK(bot.replies().size() == 1);

  // The next attempt asks from 100, and Telegram hands 100 and 101 out again.
  bot.telegram.enqueue(updates({text_update(100, "/open 2 API slow"), text_update(101, "/list")}));
  bot.telegram.enqueue(bad_gateway());
  CHECK(bot.session()->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  CHECK(bot.offsets() == std::vector<json>{nullptr, 100, 102});
  CHECK(bot.store.count_tickets(TicketQuery{}) == 2);
  CHECK(bot.replies().size() == 3);
}

TEST_CASE(
    "telegram polling: the answer reaches Telegram as one sendMessage under stream_url, though the update came twice",
    "[stream][telegram]") {
  Polling bot;
  const std::string send_path = "/bot" + kToken + "/sendMessage";
  bot.telegram.on(send_path, ScriptedResponse{200, {}, R"({"ok":true,"result":{"message_id":5}})"});
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  CursorLosingStore losing(bot.store);
  CHECK(bot.session(bot.dispatcher, losing)->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  bot.telegram.enqueue(bad_gateway());
  CHECK(bot.session()->run_once(bot.report).kind == SessionEnd::Kind::dropped);

  // The outbox as serve runs it for this connection: its adapter, the real client, the test CA.
  HttpClientOptions options;
  options.ca_file = bot.ca_file;
  options.no_proxy = "*";
  BeastHttpClient http(options);
  const std::shared_ptr<const ChatAdapter> adapter(make_adapter(bot.config.connections.at(0)));
  OutboxWorker outbox(bot.store, bot.clock, http, {{"tg", OutboxRoute{adapter, adapter->rate_limit()}}},
                      bot.config.outbox);
  outbox.pump(bot.clock.now());
  outbox.wait_idle();

  std::vector<json> sent;
  for (const auto& request : bot.telegram.requests()) {
    if (request.target == send_path) sent.push_back(json::parse(request.body));
  }
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["chat_id"] == kGroup);
  CHECK(sent[0]["text"].get<std::string>().rfind("#1 opened", 0) == 0);
  CHECK(bot.store.count_outbox(OutboxQuery::pending) == 0);
}

TEST_CASE("telegram polling: a CA file that cannot be read refuses the attempt before any request",
          "[stream][telegram]") {
  Polling bot;
  TelegramSessionOptions options = bot.options();
  options.http.ca_file = bot.dir.file("missing-ca.pem");
  TelegramSession session(bot.config.connections.at(0), bot.dispatcher, bot.store, bot.clock, options);
  const SessionEnd end = session.run_once(bot.report);
  CHECK(end.kind == SessionEnd::Kind::refused);
  CHECK(end.reason.rfind("cannot start polling: ", 0) == 0);
  CHECK(bot.telegram.requests().empty());
}

TEST_CASE(
    "telegram polling: an engineer's tap acknowledges, edits the message through the outbox and answers the "
    "callback query",
    "[stream][telegram][buttons]") {
  Polling bot;
  const std::string answer_path = "/bot" + kToken + "/answerCallbackQuery";
  bot.telegram.on(answer_path, ScriptedResponse{200, {}, R"({"ok":true,"result":true})"});
  const json tap = {{"update_id", 101},
                    {"callback_query",
                     {{"id", "cbq-1"},
                      {"from", {{"id", 777}, {"is_bot", false}, {"first_name", "Erin"}}},
                      {"message",
                       {{"message_id", 4712},
                        {"chat", {{"id", kGroup}, {"type", "supergroup"}}},
                        {"date", kNow},
                        {"text", "#1 opened"}}},
                      {"chat_instance", "-89173"},
                      {"data", "ack:1"}}}};
  bot.telegram.enqueue(updates({text_update(100, "/open 1 DB down")}));
  bot.telegram.enqueue(updates({tap}));
  bot.telegram.enqueue(bad_gateway());
  auto session = bot.session();
  CHECK(session->run_once(bot.report).kind == SessionEnd::Kind::dropped);

  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->state == TicketState::acknowledged);
  std::vector<json> answered;
  for (const auto& request : bot.telegram.requests()) {
    if (request.target == answer_path) answered.push_back(json::parse(request.body));
  }
  CHECK(answered == std::vector<json>{json{{"callback_query_id", "cbq-1"}}});
  CHECK(bot.store.stream_cursor("tg") == 102);
}

TEST_CASE("telegram polling: the connection's own poll_timeout reaches the session made for it", "[stream][telegram]") {
  Polling bot;
  Connection connection = bot.config.connections.at(0);
  connection.stream.poll_timeout = std::chrono::seconds(7);
  bot.telegram.enqueue(bad_gateway());
  BeastHttpClient http;  // the socket sessions' open calls; polling makes its own client
  StreamDependencies dependencies{http, bot.dispatcher, WebSocketOptions{}};
  dependencies.websocket.ca_file = bot.ca_file;
  dependencies.websocket.no_proxy = "*";
  dependencies.store = &bot.store;
  dependencies.clock = &bot.clock;
  const auto session = make_stream_session(connection, dependencies);
  CHECK(session->run_once(bot.report).kind == SessionEnd::Kind::dropped);
  REQUIRE(bot.telegram.requests().size() == 1);
  CHECK(json::parse(bot.telegram.requests().at(0).body)["timeout"] == 7);
}
