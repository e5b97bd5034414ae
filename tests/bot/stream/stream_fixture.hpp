#pragma once
// What the stream end-to-end tests share: the real dispatcher and store behind a stream session,
// the platform's open call on a FakeHttpsPeer and its gateway on a FakeWebSocketGateway, both
// over TLS with a run-time test CA, and the supervisor with short waits.
#include <atomic>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "bot/dispatcher.hpp"
#include "bot/http/http_client.hpp"
#include "bot/stream/stream_sessions.hpp"
#include "bot/stream/stream_supervisor.hpp"
#include "config/live_config.hpp"
#include "domain/clock.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/fake_websocket_gateway.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_timing.hpp"

namespace slabot::testing {

inline const TestCa& stream_test_ca() {
  static const TestCa ca("slabot stream test CA");
  return ca;
}

inline FakePeerOptions stream_peer_options() {
  FakePeerOptions options;
  options.certificate = stream_test_ca().issue_localhost();
  return options;
}

// A bound for waiting on the bot, never a duration a test depends on.
inline std::chrono::milliseconds patience() { return scaled(std::chrono::seconds(10)); }

// In front of the dispatcher: the first message fails as in a store outage (the dispatcher's
// answer `failed`), the rest go to `next` (set once the bot has started).
struct FailingOnce final : MessageHandler {
  std::atomic<MessageHandler*> next{nullptr};
  std::atomic<int> calls{0};
  void handle(InboundMessage message, std::function<void(BotReply)> done) override {
    if (++calls == 1) return done(BotReply{"", true});
    next.load()->handle(std::move(message), std::move(done));
  }
};

struct StreamBot {
  explicit StreamBot(Connection connection) {
    std::ofstream(ca_file) << stream_test_ca().cert_pem();
    connection.stream_url = api.url("");
    config.database_path = dir.file("stream.db");
    config.tenants = {{"acme", "Acme", Package::premium}};
    config.staff = {{"erin", "Erin", Role::engineer, {{connection.adapter, "u-erin"}}}};
    config.connections = {connection};
    config.channels = {{connection.name, "chat-acme", "acme"}};
  }
  ~StreamBot() {
    if (supervisor) supervisor->stop();
  }

  // start(), with `failing` in front of the dispatcher: the first message is not recorded, as in
  // a store outage.
  void start_failing_once(FailingOnce& failing) {
    handler = &failing;
    start();
    failing.next = dispatcher.get();
  }

  // Starts the connection's session under a supervisor that waits only milliseconds.
  void start() {
    http_options.ca_file = ca_file;
    http = std::make_unique<BeastHttpClient>(http_options);
    store = std::make_unique<SqliteStore>(SqliteStoreOptions{config.database_path});
    live = std::make_unique<LiveConfig>(config);
    dispatcher = std::make_unique<Dispatcher>(*live, *store, clock);
    WebSocketOptions websocket;
    websocket.ca_file = ca_file;
    websocket.connect_timeout = patience();
    websocket.idle_timeout = idle_timeout;
    std::vector<std::unique_ptr<StreamSession>> sessions;
    StreamDependencies dependencies{*http, handler ? *handler : *dispatcher, websocket, interactive};
    dependencies.store = store.get();
    dependencies.clock = &clock;
    dependencies.config = live.get();
    sessions.push_back(make_session(config.connections.at(0), dependencies));
    StreamSupervisorOptions options;
    options.reconnect = ReconnectSettings{std::chrono::milliseconds(5), std::chrono::milliseconds(20), refused_wait};
    supervisor = std::make_unique<StreamSupervisor>(std::move(sessions), options);
    supervisor->start();
  }

  // The next socket the bot opened, required.
  std::shared_ptr<GatewaySocket> next_socket() {
    auto socket = gateway.next_socket(patience());
    if (!socket) throw std::runtime_error("the bot did not connect to the gateway");
    return socket;
  }

  // The next frame the bot sent on `socket`, as JSON, required.
  static nlohmann::json next_frame(GatewaySocket& socket) {
    const auto text = socket.receive(patience());
    if (!text) throw std::runtime_error("the bot sent no frame");
    return nlohmann::json::parse(*text);
  }

  // The connection's status once it is `state` (or as it is when patience runs out).
  StreamStatus wait_for_state(const std::string& name, StreamState state) {
    const auto give_up = std::chrono::steady_clock::now() + patience();
    StreamStatus status = supervisor->statuses().at(name);
    while (status.state != state && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      status = supervisor->statuses().at(name);
    }
    return status;
  }

  // Messages the bot queued to chat-acme whose text has `words`.
  std::size_t replies_with(const std::string& words) {
    std::size_t count = 0;
    for (const auto& row : store->list_outbox(OutboxQuery::pending, 100)) {
      if (row.item.message.chat_id == "chat-acme" && row.item.message.text.find(words) != std::string::npos) ++count;
    }
    return count;
  }

  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  FakeHttpsPeer api{stream_peer_options()};
  FakeWebSocketGateway gateway{stream_test_ca().issue_localhost()};
  Config config;
  ManualClock clock{from_unix_ms(1795329900000)};
  HttpClientOptions http_options;
  std::chrono::milliseconds idle_timeout = scaled(std::chrono::seconds(30));
  InteractiveHook interactive;        // what button taps become; unset: the platform's own (Slack: slack_socket_tap)
  MessageHandler* handler = nullptr;  // in front of the dispatcher when set (e.g. a failing store)
  // How the session is made (a platform whose socket is on its API server's own address is given
  // the gateway's instead).
  std::function<std::unique_ptr<StreamSession>(const Connection&, StreamDependencies)> make_session =
      make_stream_session;
  // After refused credentials: long, so the state a test reads is the refusal's (stop() ends it).
  std::chrono::milliseconds refused_wait = std::chrono::hours(1);
  std::unique_ptr<BeastHttpClient> http;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<LiveConfig> live;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<StreamSupervisor> supervisor;  // last: stopped first
};

}  // namespace slabot::testing
