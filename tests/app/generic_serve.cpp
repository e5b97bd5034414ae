#include "tests/app/generic_serve.hpp"

#include <catch2/catch.hpp>

#include <ctime>
#include <fstream>
#include <thread>

namespace slabot::testing {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string write_config(const TempDir& dir, const std::string& db, unsigned short port, unsigned short outbound_port,
                         const json& extra) {
  json config = {
      {"listen", "127.0.0.1:" + std::to_string(port)},
      {"database", db},
      {"staff", {{{"id", "erin"}, {"name", "Erin"}, {"role", "engineer"}, {"ids", {{"generic", "u-erin"}}}}}},
      {"tenants", {{{"id", "acme"}, {"name", "Acme"}, {"package", "premium"}}}},
      {"connections",
       {{{"name", kConnection},
         {"adapter", "generic"},
         {"secrets", {{"secret", "${" + kSecretVariable + "}"}}},
         {"outbound_url", "http://127.0.0.1:" + std::to_string(outbound_port) + "/outbound"}}}},
      {"channels",
       {{{"connection", kConnection}, {"chat_id", kGroup}, {"tenant", "acme"}},
        {{"connection", kConnection}, {"chat_id", "support"}, {"support", true}}}},
      {"outbox", {{"max_attempts", 1000}, {"first_retry", "1m"}}},
  };
  config.update(extra);
  const std::string path = dir.file("slabot.json");
  std::ofstream(path) << config.dump(2);
  return path;
}

Server start_answering(const std::function<std::unique_ptr<ServeProcess>(unsigned short port, int attempt)>& start,
                       const std::string& what) {
  std::string last_log;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const unsigned short port = unused_port();
    auto process = start(port, attempt);
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline && !process->exited()) {
      try {
        if (http_request(port, "GET", "/healthz", {}, "").status == 200) return {std::move(process), port};
      } catch (const std::exception&) {
        // not listening yet
      }
      std::this_thread::sleep_for(5ms);
    }
    last_log = process->log();
    if (!process->exited()) FAIL(what << " did not answer /healthz within 10 s; its log:\n" << last_log);
  }
  FAIL(what << " exited before answering /healthz, three times; its last log:\n" << last_log);
  return {};
}

Server start_serve(const TempDir& dir, const std::string& db, unsigned short outbound_port, int start,
                   const json& extra) {
  return start_answering(
      [&](unsigned short port, int attempt) {
        const std::string config = write_config(dir, db, port, outbound_port, extra);
        return std::make_unique<ServeProcess>(
            config, dir.file("serve-" + std::to_string(start) + "-" + std::to_string(attempt) + ".log"),
            std::map<std::string, std::string>{{kSecretVariable, kSecret}});
      },
      "slabot serve");
}

HttpResult post_text(unsigned short port, const std::string& event_id, const std::string& user,
                     const std::string& text) {
  const std::string body =
      json{{"event_id", event_id}, {"chat_id", kGroup}, {"user_id", user}, {"user_name", user}, {"text", text}}.dump();
  return post_generic(port, kConnection, kSecret, static_cast<long long>(std::time(nullptr)), body);
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

std::string reply_of(const HttpResult& result) {
  const auto body = json::parse(result.body, nullptr, false);
  if (!body.is_object() || !body.contains("reply") || !body["reply"].is_string()) return {};
  return body["reply"].get<std::string>();
}

std::optional<TicketId> opened_id(const HttpResult& result) {
  const std::string reply = reply_of(result);
  const auto end = reply.find(" opened: ");
  if (!is_2xx(result.status) || !reply.starts_with("#") || end == std::string::npos || end < 2) return std::nullopt;
  try {
    return std::stoll(reply.substr(1, end - 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace slabot::testing
