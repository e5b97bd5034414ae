// The real binary stopped as an operator (or systemd, or Kubernetes) stops it. SIGTERM with 80
// signed /open requests in flight: every one is answered (2xx, or 503 for one not recorded, but
// none reset), every 2xx is a ticket in the database, and the exit status is 0. A request that
// never finishes holds the stop up to http.shutdown_timeout at most, or until a second signal.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/app/generic_serve.hpp"

using namespace slabot;
using namespace slabot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// One HTTP/1.1 exchange over a plain socket, in steps the test can interleave with a signal:
// connect, then send, then read the answer to the end of the stream.
class RawExchange {
 public:
  explicit RawExchange(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    const timeval limit{20, 0};  // a broken server must fail the test, not hang it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  ~RawExchange() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawExchange(const RawExchange&) = delete;
  RawExchange& operator=(const RawExchange&) = delete;

  bool connected() const { return connected_; }

  bool send_all(const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Everything the server sent until it closed; nullopt on a reset or a timeout (no clean end).
  std::optional<std::string> read_to_end() {
    std::string all;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) return all;
      if (n < 0) return std::nullopt;
      all.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string signed_open(const std::string& event_id, const std::string& title) {
  const std::string body = json{
      {"event_id", event_id},
      {"chat_id", kGroup},
      {"user_id", "pat"},
      {"user_name", "Pat"},
      {"text",
       "/open 2 " + title}}.dump();
  const std::string ts = std::to_string(std::time(nullptr));
  return "POST /hooks/" + kConnection + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         "X-Slabot-Timestamp: " + ts +
         "\r\nX-Slabot-Signature: sha256=" + hex_encode(hmac_sha256(kSecret, ts + "." + body)) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// "HTTP/1.1 200 OK\r\n...\r\n\r\n{...}" as a status and a body.
HttpResult parse_answer(const std::string& raw) {
  HttpResult result;
  if (raw.starts_with("HTTP/1.1 ") && raw.size() >= 12) result.status = std::stoi(raw.substr(9, 3));
  const auto body = raw.find("\r\n\r\n");
  if (body != std::string::npos) result.body = raw.substr(body + 4);
  return result;
}

}  // namespace

TEST_CASE("stop: SIGTERM with 80 requests in flight answers every one, keeps every 2xx, exits 0") {
  constexpr int kRequests = 80;
  std::signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  const std::string db = dir.file("stop.db");
  Server server = start_serve(dir, db, unused_port(), 0);

  std::atomic<int> connected{0}, sent{0}, answered{0};
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::vector<std::pair<std::string, HttpResult>> answers;  // title, answer
  std::vector<std::string> failures;                        // refused, reset, or cut short
  std::vector<std::thread> clients;
  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&, i] {
      const std::string title = "stop load " + std::to_string(i);
      RawExchange exchange(server.port);
      ++connected;
      while (!go) std::this_thread::yield();
      const bool written =
          exchange.connected() && exchange.send_all(signed_open("ev-stop-" + std::to_string(i), title));
      ++sent;
      const auto raw = written ? exchange.read_to_end() : std::nullopt;
      ++answered;
      const std::scoped_lock lock(mutex);
      if (!written || !raw || parse_answer(*raw).status == 0) {
        failures.push_back(title + (written ? (raw ? ": no HTTP answer" : ": reset or timed out") : ": not sent"));
      } else {
        answers.emplace_back(title, parse_answer(*raw));
      }
    });
  }
  while (connected < kRequests) std::this_thread::yield();
  go = true;
  while (sent < kRequests) std::this_thread::yield();
  // Every request is written: the server has it, or is reading it. Stop it now.
  server.process->signal(SIGTERM);
  const int in_flight = kRequests - answered;
  const auto status = server.process->wait_exit(15s);
  for (auto& client : clients) client.join();
  INFO(in_flight << " of " << kRequests << " unanswered at SIGTERM; slabot serve log:\n" << server.process->log());

  CHECK(failures.empty());
  if (!failures.empty()) FAIL_CHECK(failures.size() << " without an answer, first: " << failures.front());
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(in_flight > 0);  // the test tested something

  SqliteStore store({db});
  int opened = 0;
  for (const auto& [title, answer] : answers) {
    INFO(title << ": HTTP " << answer.status << " " << answer.body);
    if (answer.status == 503) continue;  // not recorded, and said so: the platform sends it again
    REQUIRE(is_2xx(answer.status));
    const auto id = opened_id(answer);
    REQUIRE(id);
    const auto ticket = store.find_ticket(*id, "");
    REQUIRE(ticket);
    CHECK(ticket->title == title);
    ++opened;
  }
  CHECK(store.count_tickets({}) == static_cast<std::size_t>(opened));
}

TEST_CASE("stop: a request that never finishes holds SIGTERM up to http.shutdown_timeout, or a second signal") {
  std::signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  const bool second_signal = GENERATE(false, true);
  const json http = {{"http",
                      {{"shutdown_timeout", second_signal ? "30s" : "1s"},
                       {"first_request_timeout", "30s"},
                       {"request_timeout", "30s"}}}};
  Server server = start_serve(dir, dir.file("stalled.db"), unused_port(), 0, http);
  RawExchange stalled(server.port);  // half a request, never finished
  REQUIRE(stalled.send_all("POST /hooks/" + kConnection + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"));
  std::this_thread::sleep_for(100ms);  // read by the server: a request in hand

  const auto started = Clock::now();
  server.process->signal(SIGTERM);
  std::this_thread::sleep_for(500ms);
  CHECK_FALSE(server.process->exited());  // waiting for the request in hand
  std::optional<int> status;
  if (second_signal) {
    server.process->signal(SIGTERM);
    status = server.process->wait_exit(3s);
  } else {
    status = server.process->wait_exit(5s);
  }
  const auto took = Clock::now() - started;
  const std::string log = server.process->log();
  INFO("slabot serve log:\n" << log);
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(took < 4s);
  CHECK(log.find("1 connection still open abandoned") != std::string::npos);
  CHECK(log.find(second_signal ? "again: stopping at once" : "shutdown_timeout (1s) passed") != std::string::npos);
}

TEST_CASE("stop: SIGHUP never ends serve: it reloads the config and goes on serving") {
  std::signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  Server server = start_serve(dir, dir.file("hup.db"), unused_port(), 0);
  server.process->signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(server.process->exited());
  const auto opened = post_text(server.port, "hup-1", "pat", "/open 2 after a HUP");
  CHECK(opened_id(opened).has_value());
  const auto status = server.process->terminate(10s);
  const std::string log = server.process->log();
  INFO("slabot serve log:\n" << log);
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(log.find("config: reloaded " + dir.file("slabot.json") + "; changed: nothing") != std::string::npos);
}
