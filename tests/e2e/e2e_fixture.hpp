#pragma once
// One platform end to end over loopback: the real store, dispatcher, HTTP server and adapter
// (built with make_adapter, as run_serve does), and a fake platform that serves HTTPS with a
// certificate from a run-time test CA. For platforms that answer through the outbox, an
// OutboxWorker with the real HTTP client delivers to the fake platform.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/registry.hpp"
#include "bot/dispatcher.hpp"
#include "bot/http/http_client.hpp"
#include "bot/http/http_server.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "config/config.hpp"
#include "domain/clock.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/e2e/redirect_proxy.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_ca.hpp"

namespace slabot::e2e {

constexpr long long kNow = 1795329900;  // 2026-11-22 06:45:00 UTC, seconds
constexpr long long kNowMs = kNow * 1000;

// What a test says about its platform; the fixture builds the rest of the config around it.
struct PlatformSetup {
  std::string adapter;                         // registry name, also the connection's name
  std::map<std::string, std::string> secrets;  // Connection::secrets
  std::string outbound_path;                   // the connection's outbound_url on the fake platform; "" for none
  std::string chat_id;                         // the partner group, registered to tenant "acme"
  std::string engineer_id;                     // staff member Erin's user id on this platform
  std::string channel_outbound_path;           // the group's own outbound_url on the fake platform; "" for none
  std::string bot_name = "slabot";
  // The platform's real host names (oapi.dingtalk.com, ...): the fake platform's certificate
  // names them and the outbox reaches it through a CONNECT proxy that sends every host there,
  // so reply URLs on the platform's own host can be followed offline. Empty: 127.0.0.1 only.
  std::vector<std::string> platform_hosts = {};
};

// The CA every fake platform's certificate comes from, made once per run.
const testing::TestCa& test_ca();

// Members in construction order; destroyed in reverse, so the outbox stops first and the
// fake platform last.
struct PlatformBot {
  explicit PlatformBot(const PlatformSetup& setup);
  PlatformBot(const PlatformBot&) = delete;
  PlatformBot& operator=(const PlatformBot&) = delete;

  // The connection's name: POST /hooks/<connection()>.
  const std::string& connection() const { return config.connections.at(0).name; }

  // A request to /hooks/<connection><query> with these headers and body.
  testing::HttpResult post(const std::map<std::string, std::string>& headers, const std::string& body,
                           const std::string& query = "", const std::string& method = "POST") const;

  // Starts an OutboxWorker routing this connection through its adapter to the fake platform,
  // over BeastHttpClient trusting the test CA (as the app will wire it), through the redirecting
  // proxy when the setup names platform_hosts.
  void start_outbox();
  // Queues a message the bot starts in the group, as the SLA notices do; throws unless stored.
  void enqueue(OutboundMessage message, Lane lane = Lane::urgent);
  // True once the fake platform got `count` requests, false after `limit`.
  bool wait_for_platform(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds(10)) const;
  // Waits until every started send has been recorded, then counts the rows still pending.
  std::size_t outbox_pending();
  // Starts the outbox if it is not running; true once the platform got exactly `count` requests
  // and nothing is left pending.
  bool deliver(std::size_t count);

  testing::TempDir dir;
  testing::FakeHttpsPeer peer;  // the platform
  Config config;
  LiveConfig live_config{config};
  SqliteStore store;
  ManualClock clock{from_unix_ms(kNowMs)};
  Dispatcher dispatcher;
  std::shared_ptr<const ChatAdapter> adapter;
  HttpServer server;
  unsigned short port = 0;
  const bool via_proxy;
  std::unique_ptr<RedirectProxy> proxy;  // when via_proxy: every CONNECT goes to `peer`
  std::unique_ptr<BeastHttpClient> http;
  std::unique_ptr<OutboxWorker> outbox;
};

// RFC 3986 percent-encoding, unreserved characters kept.
std::string percent_encode(const std::string& text);
// An application/x-www-form-urlencoded body, fields in the given order, spaces as '+'.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// AES-256-CBC encryption with OpenSSL's EVP, independent of the adapters' code: with PKCS#7
// padding to 16 bytes (Lark), or none (WeCom pads to 32 itself). Throws when OpenSSL fails.
std::string aes256_cbc_encrypt(const std::string& key, const std::string& iv, const std::string& plain,
                               bool pkcs7_padding);

}  // namespace slabot::e2e
