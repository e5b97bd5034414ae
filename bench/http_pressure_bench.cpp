// The inbound HTTP server under connection pressure (issue 8): 1,000 connections that send
// nothing and 200 slow-loris ones (a request header trickled a byte every 500 ms) against a
// server capped at 512 connections. Prints how long a new client's signed webhook request waits
// for its answer, with and without the flood; every deadline is 30 s, so only the cap making room
// (closing the connection idle the longest) can answer it quickly.
//
//   ./build/bench/http_pressure_bench [--silent N] [--slow-loris N] [--cap N] [--requests N]
//                                     (defaults 1000, 200, 512, 50)
//
// The server runs in this process on loopback, with one I/O thread (as `serve` does) and a
// MessageHandler that answers at once: the figure is the server's own wait, not the database's.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "adapters/generic/generic_adapter.hpp"
#include "bot/http/http_server.hpp"
#include "tests/support/connection_flood.hpp"
#include "tests/support/http_client.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

using SteadyClock = std::chrono::steady_clock;

const std::string secret = "bench-secret";

struct Options {
  std::size_t silent = 1000;
  std::size_t slow_loris = 200;
  std::size_t cap = 512;
  std::size_t requests = 50;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) throw std::invalid_argument(std::string(argv[i]) + " needs a number");
    const std::size_t value = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--silent") == 0) {
      options.silent = value;
    } else if (std::strcmp(argv[i], "--slow-loris") == 0) {
      options.slow_loris = value;
    } else if (std::strcmp(argv[i], "--cap") == 0 && value > 0) {
      options.cap = value;
    } else if (std::strcmp(argv[i], "--requests") == 0 && value > 0) {
      options.requests = value;
    } else {
      throw std::invalid_argument(std::string("unknown option ") + argv[i]);
    }
  }
  return options;
}

// Answers every message at once: the bench measures the server, not the store.
class InstantHandler final : public MessageHandler {
 public:
  void handle(InboundMessage, std::function<void(BotReply)> done) override { done(BotReply{"ok", false}); }
};

std::map<std::string, WebhookRoute> routes() {
  Connection connection;
  connection.name = "main";
  connection.adapter = "generic";
  connection.secrets["secret"] = secret;
  return {{"main", WebhookRoute{std::make_shared<GenericAdapter>(connection)}}};
}

// `count` new clients one after another, each a new connection with one signed request; the
// time each waited for its answer, in milliseconds, sorted. A refused or failed one is -1.
std::vector<double> new_clients(unsigned short port, std::size_t count, const std::string& tag) {
  std::vector<double> waits;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string id = tag + "-" + std::to_string(i);
    const std::string body = R"({"event_id":")" + id + R"(","chat_id":"c","user_id":"u","user_name":"U","text":"hi"})";
    const auto started = SteadyClock::now();
    int status = 0;
    try {
      status = testing::post_generic(port, "main", secret, static_cast<long long>(std::time(nullptr)), body).status;
    } catch (const std::exception&) {}
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
    waits.push_back(status == 200 ? ms : -1);
  }
  std::sort(waits.begin(), waits.end());
  return waits;
}

void print_waits(const char* label, const std::vector<double>& waits) {
  const auto failed = static_cast<std::size_t>(std::count(waits.begin(), waits.end(), -1.0));
  std::vector<double> answered(waits.begin() + static_cast<std::ptrdiff_t>(failed), waits.end());
  if (answered.empty()) {
    std::printf("%-34s none of %zu answered\n", label, waits.size());
    return;
  }
  const auto at = [&](double q) {
    return answered[static_cast<std::size_t>(q * static_cast<double>(answered.size() - 1))];
  };
  std::printf("%-34s %zu answered, %zu failed; wait p50 %.2f ms, p90 %.2f ms, max %.2f ms\n", label, answered.size(),
              failed, at(0.5), at(0.9), answered.back());
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "usage: http_pressure_bench [--silent N] [--slow-loris N] [--cap N] [--requests N] (%s)\n",
                 e.what());
    return 2;
  }
  const rlim_t descriptors = static_cast<rlim_t>(options.silent + options.slow_loris + options.cap + 256);
  if (!testing::raise_open_file_limit(descriptors)) {
    std::fprintf(stderr, "cannot raise the open-file limit to %lu (ulimit -Hn)\n",
                 static_cast<unsigned long>(descriptors));
    return 1;
  }
  spdlog::set_level(spdlog::level::err);  // the cap's warnings are expected here

  HttpServerOptions server_options;
  server_options.max_connections = options.cap;
  server_options.first_request_timeout = server_options.request_timeout = server_options.idle_timeout = 30s;
  InstantHandler handler;
  SystemClock clock;
  HttpServer server(server_options, routes(), handler, clock, [] { return true; });
  const unsigned short port = server.start();
  std::printf("server: cap %zu connections, every deadline 30 s, 1 I/O thread; %u cores\n", options.cap,
              std::thread::hardware_concurrency());

  print_waits("no flood:", new_clients(port, options.requests, "quiet"));

  testing::ConnectionFlood flood(port);
  const auto flood_start = SteadyClock::now();
  flood.open_silent(options.silent);
  flood.open_slow_loris(options.slow_loris, 500ms);
  const double opened_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - flood_start).count();
  // Right behind the flood, in the listen backlog after whatever of it the server has not taken.
  print_waits("a client right behind the flood:", new_clients(port, 1, "behind"));
  std::this_thread::sleep_for(1s);  // the server works through its backlog; two trickled bytes each
  std::printf("flood: %zu silent + %zu slow-loris connections opened in %.0f ms; server holds %zu\n", options.silent,
              options.slow_loris, opened_ms, server.open_connections());

  print_waits("new clients during the flood:", new_clients(port, options.requests, "flood"));
  std::printf("after: server holds %zu; closed for room: %zu of %zu silent, %zu of %zu slow-loris\n",
              server.open_connections(), flood.silent_closed(), options.silent, flood.slow_loris_closed(),
              options.slow_loris);
  return 0;
}
