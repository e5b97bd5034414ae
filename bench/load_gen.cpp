// A load generator for slabot's webhook server (issue 10): keep-alive connections on one thread,
// each request signed as the generic webhook wants it (a fresh timestamp, a unique event id), so
// every `/open` is a new ticket the server must make durable before it answers.
//
//   ./build/bench/load_gen --port 8080 --workload open --connections 64 --seconds 10
//   ./build/bench/load_gen --port 8080 --workload open --rate 10000 --connections 256 --seconds 10
//   ./build/bench/load_gen --serve-ceiling 8090        # the plain Beast server: the ceiling
//
// Closed loop (no --rate): each connection sends its next request when the last is answered;
// latency runs from send to answer. Open loop (--rate R): request i is due at start + i/R
// whatever came before, and its latency runs from that intended time, so a stalled server's
// backlog counts against it (no coordinated omission). Workloads: healthz (GET /healthz), open
// (`/open 4 ...` by a partner), ack (`/open` first, then engineers `/ack` them), mixed (a chat's
// day: 20% /open, 20% /show, 20% /list, 20% /note, 10% /sla, 10% /ack). The secret comes from
// SLABOT_GENERIC_SECRET. Prints one human line, or with --json one JSON object.
#include <utility>  // before Asio, in a block of its own: its awaitable.hpp uses std::exchange without it

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/crypto.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string connection = "hooks";
  std::string chat = "acme-7x24";
  std::string partner = "u-pat";
  std::string engineer = "u-wei";
  std::string workload = "open";
  std::size_t connections = 64;
  double seconds = 10;
  double rate = 0;          // 0: closed loop
  double warmup = 1;        // seconds not counted
  std::size_t prepare = 0;  // ack: tickets opened before the clock starts (0: rate or 20,000)
  bool json = false;
  std::optional<unsigned short> serve_ceiling;
  std::string run_id;  // event ids are <run id>-<n>: unique across runs on one database
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "load_gen: " << why
            << "\nusage: load_gen [--host H] [--port P] [--connection NAME] [--chat ID] [--partner UID]"
               " [--engineer UID] [--workload healthz|open|ack|mixed] [--connections N] [--seconds S]"
               " [--rate R] [--warmup S] [--prepare N] [--json] | --serve-ceiling PORT\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) usage(std::string(argv[i]) + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    try {
      if (flag == "--host")
        o.host = value(i);
      else if (flag == "--port")
        o.port = static_cast<unsigned short>(std::stoul(value(i)));
      else if (flag == "--connection")
        o.connection = value(i);
      else if (flag == "--chat")
        o.chat = value(i);
      else if (flag == "--partner")
        o.partner = value(i);
      else if (flag == "--engineer")
        o.engineer = value(i);
      else if (flag == "--workload")
        o.workload = value(i);
      else if (flag == "--connections")
        o.connections = std::stoul(value(i));
      else if (flag == "--seconds")
        o.seconds = std::stod(value(i));
      else if (flag == "--rate")
        o.rate = std::stod(value(i));
      else if (flag == "--warmup")
        o.warmup = std::stod(value(i));
      else if (flag == "--prepare")
        o.prepare = std::stoul(value(i));
      else if (flag == "--json")
        o.json = true;
      else if (flag == "--serve-ceiling")
        o.serve_ceiling = static_cast<unsigned short>(std::stoul(value(i)));
      else
        usage("unknown option " + flag);
    } catch (const std::logic_error&) {
      usage("bad value for " + flag);
    }
  }
  if (o.workload != "healthz" && o.workload != "open" && o.workload != "ack" && o.workload != "mixed") {
    usage("unknown workload " + o.workload);
  }
  if (o.connections == 0 || o.seconds <= 0 || o.rate < 0 || o.warmup < 0) usage("counts and times must be positive");
  return o;
}

// ---- the ceiling: a plain Beast keep-alive server answering 200 to anything -----------------

void serve_ceiling(unsigned short port) {
  asio::io_context io{1};
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
  struct Session : std::enable_shared_from_this<Session> {
    explicit Session(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    void read() {
      request = {};
      http::async_read(stream, buffer, request, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return;
        self->response = {http::status::ok, self->request.version()};
        self->response.set(http::field::content_type, "application/json");
        self->response.body() = "{\"reply\":\"\"}";
        self->response.keep_alive(self->request.keep_alive());
        self->response.prepare_payload();
        http::async_write(self->stream, self->response, [self](beast::error_code ec, std::size_t) {
          if (!ec) self->read();
        });
      });
    }
  };
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](beast::error_code ec, tcp::socket socket) {
      if (!ec) std::make_shared<Session>(std::move(socket))->read();
      accept();
    });
  };
  accept();
  std::cerr << "load_gen: ceiling server on 127.0.0.1:" << port << "\n";
  io.run();
}

// ---- requests ---------------------------------------------------------------------------------

std::string secret_from_env() {
  const char* secret = std::getenv("SLABOT_GENERIC_SECRET");
  return secret ? secret : "";
}

class RequestMaker {
 public:
  RequestMaker(const Options& o, std::string secret) : o_(o), secret_(std::move(secret)) {}

  http::request<http::string_body> healthz() const {
    http::request<http::string_body> r{http::verb::get, "/healthz", 11};
    r.set(http::field::host, o_.host);
    return r;
  }

  http::request<http::string_body> command(const std::string& user, const std::string& text) {
    nlohmann::json body{{"event_id", o_.run_id + "-" + std::to_string(next_event_++)},
                        {"chat_id", o_.chat},
                        {"user_id", user},
                        {"user_name", user},
                        {"text", text}};
    const std::string payload = body.dump();
    const std::string ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    http::request<http::string_body> r{http::verb::post, "/hooks/" + o_.connection, 11};
    r.set(http::field::host, o_.host);
    r.set(http::field::content_type, "application/json");
    r.set("X-Slabot-Timestamp", ts);
    r.set("X-Slabot-Signature", "sha256=" + slabot::hex_encode(slabot::hmac_sha256(secret_, ts + "." + payload)));
    r.body() = payload;
    r.prepare_payload();
    return r;
  }

 private:
  const Options& o_;
  std::string secret_;
  std::uint64_t next_event_ = 0;
};

// ---- the run ----------------------------------------------------------------------------------

struct Results {
  std::vector<double> latencies_ms;  // counted requests only
  std::map<int, std::size_t> statuses;
  std::size_t transport_errors = 0;
  std::size_t sent = 0;
  double counted_span_s = 0;  // from the counted window's start to the last counted answer
};

class Run {
 public:
  Run(const Options& o, RequestMaker& maker) : o_(o), maker_(maker), io_(1) {}

  // The next request of the workload; `n` counts requests from 0.
  http::request<http::string_body> next(std::uint64_t n) {
    if (o_.workload == "healthz") return maker_.healthz();
    if (o_.workload == "open") return maker_.command(o_.partner, "/open 4 load test " + std::to_string(n));
    if (o_.workload == "ack") return maker_.command(o_.engineer, "/ack " + std::to_string(ack_first_ + n));
    // mixed: a chat's day over the tickets opened so far (and those prepared)
    const std::uint64_t known = std::max<std::uint64_t>(1, ack_first_ + opened_);
    const std::uint64_t some = 1 + (n * 7919) % known;
    switch (n % 10) {
      case 0:
      case 1: ++opened_; return maker_.command(o_.partner, "/open 3 mixed " + std::to_string(n));
      case 2:
      case 3: return maker_.command(o_.partner, "/show " + std::to_string(some));
      case 4:
      case 5: return maker_.command(o_.engineer, "/list");
      case 6:
      case 7:
        return maker_.command(o_.partner, "/note " + std::to_string(some) + " still seeing it " + std::to_string(n));
      case 8: return maker_.command(o_.partner, "/sla");
      default: return maker_.command(o_.engineer, "/ack " + std::to_string(some));
    }
  }

  // Tickets to acknowledge: opened first, on `connections` connections, uncounted.
  void set_ack_range(std::uint64_t first) { ack_first_ = first; }

  Results go() {
    const auto endpoints = tcp::resolver(io_).resolve(o_.host, std::to_string(o_.port));
    start_ = SteadyClock::now();
    counted_from_ = start_ + to_duration(o_.warmup);
    stop_at_ = counted_from_ + to_duration(o_.seconds);
    for (std::size_t i = 0; i < o_.connections; ++i) {
      auto c = std::make_shared<Client>(io_);
      clients_.push_back(c);
      c->stream.async_connect(endpoints, [this, c](beast::error_code ec, const tcp::endpoint&) {
        if (ec) {
          ++results_.transport_errors;
          return;
        }
        c->stream.socket().set_option(tcp::no_delay(true));
        send(c);
      });
    }
    io_.run();
    return std::move(results_);
  }

 private:
  struct Client {
    explicit Client(asio::io_context& io) : stream(io), timer(io) {}
    beast::tcp_stream stream;
    asio::steady_timer timer;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    SteadyClock::time_point intended;
  };

  static SteadyClock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  }

  void send(const std::shared_ptr<Client>& c) {
    const auto now = SteadyClock::now();
    SteadyClock::time_point intended = now;
    if (o_.rate > 0) {
      intended = start_ + to_duration(static_cast<double>(issued_) / o_.rate);
      if (intended >= stop_at_) return finish(c);
      if (intended > now) {  // early: wait for its time
        c->timer.expires_at(intended);
        c->timer.async_wait([this, c](beast::error_code ec) {
          if (!ec) fire(c, c->timer.expiry());
        });
        ++issued_;
        return;
      }
    } else if (now >= stop_at_) {
      return finish(c);
    }
    ++issued_;
    fire(c, intended);
  }

  void fire(const std::shared_ptr<Client>& c, SteadyClock::time_point intended) {
    c->intended = intended;
    c->request = next(sent_++);
    c->response = {};
    http::async_write(c->stream, c->request, [this, c](beast::error_code ec, std::size_t) {
      if (ec) return fail(c);
      http::async_read(c->stream, c->buffer, c->response, [this, c](beast::error_code ec, std::size_t) {
        if (ec) return fail(c);
        const auto done = SteadyClock::now();
        ++results_.sent;
        if (c->intended >= counted_from_ && c->intended < stop_at_) {
          results_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - c->intended).count());
          results_.counted_span_s =
              std::max(results_.counted_span_s, std::chrono::duration<double>(done - counted_from_).count());
          ++results_.statuses[static_cast<int>(c->response.result_int())];
        }
        send(c);
      });
    });
  }

  void fail(const std::shared_ptr<Client>& c) {
    ++results_.transport_errors;
    finish(c);
  }

  void finish(const std::shared_ptr<Client>& c) {
    beast::error_code ignored;
    c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  const Options& o_;
  RequestMaker& maker_;
  asio::io_context io_;
  std::vector<std::shared_ptr<Client>> clients_;
  SteadyClock::time_point start_, counted_from_, stop_at_;
  std::uint64_t issued_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t ack_first_ = 1;
  std::uint64_t opened_ = 0;
  Results results_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// The tickets /ack will acknowledge: opened beforehand in a closed loop, not counted. Returns
// the first id, read from the first answer ("#N opened: ...").
std::uint64_t prepare_tickets(const Options& o, RequestMaker& maker, std::size_t count) {
  asio::io_context io{1};
  beast::tcp_stream stream(io);
  stream.connect(tcp::resolver(io).resolve(o.host, std::to_string(o.port)));
  std::uint64_t first = 0;
  for (std::size_t i = 0; i < count; ++i) {
    auto request = maker.command(o.partner, "/open 4 to acknowledge " + std::to_string(i));
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    if (i == 0) {
      const auto reply = nlohmann::json::parse(response.body()).value("reply", "");
      if (reply.size() < 2 || reply[0] != '#') throw std::runtime_error("cannot open a ticket: " + reply);
      first = std::stoull(reply.substr(1));
    }
  }
  return first;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  if (o.serve_ceiling) {
    serve_ceiling(*o.serve_ceiling);
    return 0;
  }
  o.run_id = "lg" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  const std::string secret = secret_from_env();
  if (secret.empty() && o.workload != "healthz") usage("set SLABOT_GENERIC_SECRET to the connection's secret");
  RequestMaker maker(o, secret);
  Run run(o, maker);
  if (o.workload == "ack" || o.workload == "mixed") {
    // Enough tickets that every /ack finds one waiting (each is acknowledged once).
    const std::size_t wanted =
        o.prepare ? o.prepare
                  : (o.workload == "mixed"
                         ? 1000
                         : static_cast<std::size_t>(o.rate > 0 ? o.rate * (o.seconds + o.warmup) * 1.1 : 20000));
    std::cerr << "load_gen: opening " << wanted << " tickets first\n";
    run.set_ack_range(prepare_tickets(o, maker, wanted));
  }
  Results r = run.go();
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  // Answers per second over the counted window, stretched to the last of its answers: in an open
  // loop the server that falls behind answers the window's requests late, and its rate shows it.
  const double throughput = static_cast<double>(r.latencies_ms.size()) / std::max(o.seconds, r.counted_span_s);
  std::size_t ok = 0;
  for (const auto& [status, n] : r.statuses) {
    if (status == 200) ok = n;
  }
  nlohmann::json out{{"workload", o.workload},
                     {"mode", o.rate > 0 ? "open" : "closed"},
                     {"offered_per_s", o.rate},
                     {"connections", o.connections},
                     {"seconds", o.seconds},
                     {"requests", r.latencies_ms.size()},
                     {"ok", ok},
                     {"transport_errors", r.transport_errors},
                     {"per_s", std::round(throughput)},
                     {"p50_ms", percentile(r.latencies_ms, 50)},
                     {"p90_ms", percentile(r.latencies_ms, 90)},
                     {"p99_ms", percentile(r.latencies_ms, 99)},
                     {"p999_ms", percentile(r.latencies_ms, 99.9)},
                     {"max_ms", r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back()}};
  nlohmann::json statuses = nlohmann::json::object();
  for (const auto& [status, n] : r.statuses) statuses[std::to_string(status)] = n;
  out["statuses"] = statuses;
  if (o.json) {
    std::cout << out.dump() << "\n";
  } else {
    std::printf(
        "%s %s c=%zu: %.0f/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %zu of %zu ok, %zu "
        "transport errors\n",
        o.workload.c_str(), o.rate > 0 ? "open" : "closed", o.connections, throughput, percentile(r.latencies_ms, 50),
        percentile(r.latencies_ms, 90), percentile(r.latencies_ms, 99), percentile(r.latencies_ms, 99.9),
        r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back(), ok, r.latencies_ms.size(), r.transport_errors);
  }
  return r.transport_errors == 0 && ok == r.latencies_ms.size() ? 0 : 1;
}
