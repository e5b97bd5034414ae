// The outbox worker with the real Beast client, over TLS to the scripted loopback peer: the
// retry rules hold for answers that really crossed a socket, timeouts included.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <memory>

#include "adapters/registry.hpp"
#include "bot/http/http_client.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/fake_https_peer.hpp"
#include "tests/support/store_sync.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_ca.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);

const TestCa& test_ca() {
  static const TestCa ca("slabot outbox test CA");
  return ca;
}

std::shared_ptr<const ChatAdapter> adapter(const std::string& name, std::map<std::string, std::string> secrets,
                                           const std::string& outbound_url) {
  Connection connection;
  connection.name = name;
  connection.adapter = name;
  connection.secrets = std::move(secrets);
  connection.outbound_url = outbound_url;
  return std::shared_ptr<const ChatAdapter>(make_adapter(connection));
}

struct TlsFixture {
  TempDir dir;
  std::string ca_file = dir.file("ca.pem");
  SqliteStore store{{dir.file("outbox.db")}};
  ManualClock clock{kT0};
  FakeHttpsPeer peer{[] {
    FakePeerOptions options;
    options.certificate = test_ca().issue_localhost();
    return options;
  }()};

  TlsFixture() { std::ofstream(ca_file) << test_ca().cert_pem(); }

  HttpClientOptions client_options() const {
    HttpClientOptions options;
    options.ca_file = ca_file;
    options.no_proxy = "*";  // never a proxy from the environment
    options.connect_timeout = 3s;
    options.read_timeout = 500ms;  // the scripted slow answer outlasts it
    options.total_timeout = 5s;
    return options;
  }

  void enqueue(const std::string& connection, const std::string& text) {
    OutboxItem item;
    item.message.connection = connection;
    item.message.chat_id = "acme";
    item.message.text = text;
    item.idempotency_key = connection + "/" + text;
    const auto outcome = wait_for([&](WriteDone done) { store.enqueue({item}, clock.now(), std::move(done)); });
    REQUIRE(outcome.kind == WriteOutcome::Kind::applied);
  }
  OutboxRow row(std::int64_t id) {
    const auto rows = store.list_outbox(OutboxQuery::all, 100);
    REQUIRE(rows.size() >= static_cast<std::size_t>(id));
    return rows.at(static_cast<std::size_t>(id - 1));
  }
};

ScriptedResponse scripted(int status, std::string body = "",
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

}  // namespace

TEST_CASE("outbox over TLS: 500, 429 Retry-After, a timeout, then 200: sent on the fourth try, two failures") {
  TlsFixture f;
  f.peer.enqueue(scripted(500, "oops"));
  f.peer.enqueue(scripted(429, "slow down", {{"Retry-After", "7"}}));
  auto slow = scripted(200);
  slow.delay = 2s;  // past the client's read timeout: no answer
  f.peer.enqueue(slow);
  f.peer.enqueue(scripted(200, "{}"));
  f.enqueue("hooks", "hello");

  BeastHttpClient http(f.client_options());
  OutboxSettings settings;
  settings.first_retry = 2s;
  std::map<std::string, OutboxRoute> routes{{"hooks", {adapter("generic", {{"secret", "s"}}, f.peer.url("/out")), {}}}};
  OutboxWorker worker(f.store, f.clock, http, routes, settings, [] { return 1.0; });

  auto attempt = [&] {
    f.clock.set(f.row(1).next_attempt_at);
    REQUIRE(worker.pump(f.clock.now()).started == 1);
    worker.wait_idle();
    return f.row(1);
  };

  auto row = attempt();
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 1);
  CHECK(row.last_error == "HTTP 500");
  CHECK(row.next_attempt_at == kT0 + 2s);

  row = attempt();
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 2);
  CHECK(row.waits == 1);  // a wait the platform asked for is not a failure
  CHECK(row.last_error == "HTTP 429");
  CHECK(row.next_attempt_at == kT0 + 2s + 7s);  // the platform's wait, not the backoff

  row = attempt();
  CHECK(row.status == OutboxStatus::pending);
  CHECK(row.attempts == 3);
  // No answer within the deadline, said in words.
  CHECK(row.last_error.starts_with("timeout: read timeout (500 ms) reading the response from 127.0.0.1:"));
  CHECK(row.next_attempt_at == kT0 + 9s + 4s);

  row = attempt();
  CHECK(row.status == OutboxStatus::sent);
  CHECK(row.attempts == 4);

  const auto requests = f.peer.requests();
  REQUIRE(requests.size() == 4);
  for (const auto& request : requests) {
    CHECK(request.method == "POST");
    CHECK(request.target == "/out");
    CHECK(request.body.find("\"hello\"") != std::string::npos);
    CHECK(!request.header("x-slabot-signature").empty());
  }
  CHECK(worker.pump(f.clock.now() + 1h).started == 0);  // sent: never again
}

TEST_CASE("outbox over TLS: a 200 whose body is DingTalk's error is a failure") {
  TlsFixture f;
  f.peer.on("/robot/send", scripted(200, R"({"errcode":310000,"errmsg":"keywords not in content"})",
                                    {{"Content-Type", "application/json"}}));
  f.enqueue("ding", "hello");

  BeastHttpClient http(f.client_options());
  std::map<std::string, OutboxRoute> routes{
      {"ding", {adapter("dingtalk", {{"app_secret", "a"}}, f.peer.url("/robot/send?access_token=t")), {}}}};
  OutboxWorker worker(f.store, f.clock, http, routes, OutboxSettings{}, [] { return 1.0; });
  REQUIRE(worker.pump(f.clock.now()).started == 1);
  worker.wait_idle();

  const auto row = f.row(1);
  CHECK(row.status == OutboxStatus::dead);
  CHECK(row.attempts == 1);
  CHECK(row.last_error.find("310000") != std::string::npos);
  REQUIRE(f.peer.requests().size() == 1);
  CHECK(f.peer.requests()[0].body.find("hello") != std::string::npos);
}
