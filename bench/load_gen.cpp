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
// backlog counts against it (no coordinated omission); one pacer sends the requests then due
// every --tick (0.5 ms; 0: a wake for each), and send_lag_p99_ms says how much of the latency was
// the generator's own sending late (the tick, or no CPU in time). Workloads: healthz (GET /healthz), open
// (`/open 4 ...` by a partner), ack (tickets opened first, then engineers `/ack` each once; the
// run ends early when they run out), mixed (a chat's day: 20% /open, 20% /show, 20% /list, 20%
// /note, 10% /sla, 10% /ack). An answer is ok when it is 200 with the reply of the work done
// (`#N opened`, `#N acknowledged`, any reply in the mixed chat): a refusal, or another server on
// the port answering 200 to anything, is not. The secret comes from
// SLABOT_GENERIC_SECRET. Prints one human line, or with --json one JSON object. --trace FILE
// writes each counted request's intended send time (ms on CLOCK_MONOTONIC, the clock of
// `perf record -k mono`) and latency, to line the tail up with what the server did then
// (scripts/bench-tail.sh).
#include <utility>  // before Asio, in a block of its own: its awaitable.hpp uses std::exchange without it

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/crypto.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

// What the connections say; read once from --workload, not compared as text on every request.
enum class Workload { healthz, open, ack, mixed };

constexpr std::string_view workload_name(Workload w) {
  switch (w) {
    case Workload::healthz: return "healthz";
    case Workload::open: return "open";
    case Workload::ack: return "ack";
    default: return "mixed";
  }
}

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string connection = "hooks";
  std::string chat = "acme-7x24";
  std::string partner = "u-pat";
  std::string engineer = "u-wei";
  Workload workload = Workload::open;
  std::size_t connections = 64;
  double seconds = 10;
  double rate = 0;          // 0: closed loop
  double warmup = 1;        // seconds not counted
  double tick_ms = 0.5;     // open loop: the pacer wakes at most this often (Run::arm_pacer)
  std::size_t prepare = 0;  // ack, mixed: tickets opened before the clock starts (0: see main)
  bool json = false;
  std::string trace;  // a file for each counted request's intended time and latency; empty: none
  std::optional<unsigned short> serve_ceiling;
  std::string run_id;  // event ids are <run id>-<n>: unique across runs on one database
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "load_gen: " << why
            << "\nusage: load_gen [--host H] [--port P] [--connection NAME] [--chat ID] [--partner UID]"
               " [--engineer UID] [--workload healthz|open|ack|mixed] [--connections N] [--seconds S]"
               " [--rate R] [--tick MS] [--warmup S] [--prepare N] [--json] [--trace FILE] | --serve-ceiling PORT\n";
  std::exit(2);
}

Workload parse_workload(const std::string& name) {
  for (const auto w : {Workload::healthz, Workload::open, Workload::ack, Workload::mixed}) {
    if (name == workload_name(w)) return w;
  }
  usage("unknown workload " + name);
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
        o.workload = parse_workload(value(i));
      else if (flag == "--connections")
        o.connections = std::stoul(value(i));
      else if (flag == "--seconds")
        o.seconds = std::stod(value(i));
      else if (flag == "--rate")
        o.rate = std::stod(value(i));
      else if (flag == "--tick")
        o.tick_ms = std::stod(value(i));
      else if (flag == "--warmup")
        o.warmup = std::stod(value(i));
      else if (flag == "--prepare")
        o.prepare = std::stoul(value(i));
      else if (flag == "--json")
        o.json = true;
      else if (flag == "--trace")
        o.trace = value(i);
      else if (flag == "--serve-ceiling")
        o.serve_ceiling = static_cast<unsigned short>(std::stoul(value(i)));
      else
        usage("unknown option " + flag);
    } catch (const std::logic_error&) {
      usage("bad value for " + flag);
    }
  }
  if (o.connections == 0 || o.seconds <= 0 || o.rate < 0 || o.warmup < 0 || o.tick_ms < 0 ||
      !std::isfinite(o.seconds + o.rate + o.warmup + o.tick_ms)) {
    usage("counts and times must be positive");
  }
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

// Each request is laid out whole in one string, ready for one write: the fixed parts are made
// once, and a request costs its event id, its text, a signature and a few appends (the generator
// shares the two cores with the server it measures, so what it spends is taken from the server).
class RequestMaker {
 public:
  RequestMaker(const Options& o, std::string secret)
      : o_(o),
        secret_(std::move(secret)),
        head_("POST /hooks/" + o.connection + " HTTP/1.1\r\nHost: " + o.host +
              "\r\nContent-Type: application/json\r\nX-Slabot-Timestamp: "),
        chat_(json_string(o.chat)),
        healthz_("GET /healthz HTTP/1.1\r\nHost: " + o.host + "\r\n\r\n") {}

  void healthz(std::string& out) const { out = healthz_; }  // into `out`'s capacity: no allocation

  // A command as `user` (its JSON string, quotes included; see json_string) says `text`: a new
  // event id, a fresh timestamp, signed as the generic webhook wants it.
  void command(std::string& out, const std::string& user, std::string_view text) {
    body_.assign("{\"event_id\":\"").append(o_.run_id).append("-").append(std::to_string(next_event_++));
    body_.append("\",\"chat_id\":").append(chat_).append(",\"user_id\":").append(user);
    body_.append(",\"user_name\":").append(user).append(",\"text\":");
    append_json_string(body_, text);
    body_.append("}");
    const std::string& ts = timestamp();
    signed_.assign(ts).append(".").append(body_);
    out.assign(head_).append(ts).append("\r\nX-Slabot-Signature: sha256=");
    out.append(slabot::hex_encode(slabot::hmac_sha256(secret_, signed_)));
    out.append("\r\nContent-Length: ").append(std::to_string(body_.size())).append("\r\n\r\n").append(body_);
  }

  static std::string json_string(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

 private:
  // The texts are ours and plain; anything that would need escaping goes through the library.
  static void append_json_string(std::string& out, std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
      return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x80;
    });
    if (plain) {
      out.append("\"").append(s).append("\"");
    } else {
      out.append(json_string(s));
    }
  }

  // Unix seconds as text, made again only when the second changes.
  const std::string& timestamp() {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (now != ts_second_) {
      ts_second_ = now;
      ts_ = std::to_string(now);
    }
    return ts_;
  }

  const Options& o_;
  std::string secret_;
  std::string head_;  // the request line and the fixed headers, up to the timestamp's value
  std::string chat_;  // the chat id as a JSON string
  std::string healthz_;
  std::string body_, signed_, ts_;
  long long ts_second_ = -1;
  std::uint64_t next_event_ = 0;
};

// Reads an answer's status and the first bytes of its body, nothing else: Beast's parser with no
// fields kept, so an answer costs no allocation. Made anew (in place) for each answer, as a parser
// reads one message.
class StatusParser : public http::basic_parser<false> {
 public:
  int status() const { return status_; }
  std::string_view head() const { return {head_.data(), head_size_}; }  // the body's first bytes

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override { status_ = code; }
  void on_field_impl(http::field, beast::string_view, beast::string_view, beast::error_code&) override {}
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, beast::error_code&) override {}
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override { return keep(body); }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    return keep(body);
  }
  void on_finish_impl(beast::error_code&) override {}

  std::size_t keep(beast::string_view body) {
    const std::size_t n = std::min(body.size(), head_.size() - head_size_);
    std::copy_n(body.data(), n, head_.data() + head_size_);
    head_size_ += n;
    return body.size();
  }

  int status_ = 0;
  std::array<char, 64> head_{};
  std::size_t head_size_ = 0;
};

// A `{"reply":"#N ...` answer: N (0 past 18 digits), and what follows it.
struct TicketReply {
  std::uint64_t id = 0;
  std::string_view rest;
};

std::optional<TicketReply> ticket_reply(std::string_view head) {
  constexpr std::string_view reply = "{\"reply\":\"#";
  if (head.substr(0, reply.size()) != reply) return std::nullopt;
  head.remove_prefix(reply.size());
  const std::size_t digits = std::min(head.find_first_not_of("0123456789"), head.size());
  if (digits == 0) return std::nullopt;
  TicketReply ticket{0, head.substr(digits)};
  for (const char c : head.substr(0, digits <= 18 ? digits : 0)) ticket.id = ticket.id * 10 + (c - '0');
  return ticket;
}

// Whether a 200 answer is the one the workload's command gets when it does its work: a ticket
// opened for /open, acknowledged for /ack (`{"reply":"#N opened...`), some reply for the mixed
// chat. Anything else, a refusal or another server on the port that answers 200 to anything
// (the ceiling does), is not counted as ok: the benchmark would measure something else.
bool expected_reply(Workload workload, std::string_view head) {
  switch (workload) {
    case Workload::healthz: return true;
    case Workload::mixed: {
      constexpr std::string_view some_reply = "{\"reply\":\"";
      return head.size() > some_reply.size() && head.substr(0, some_reply.size()) == some_reply &&
             head[some_reply.size()] != '"';
    }
    default: {
      const auto ticket = ticket_reply(head);
      const std::string_view done = workload == Workload::ack ? " acknowledged" : " opened";
      return ticket && ticket->rest.substr(0, done.size()) == done;
    }
  }
}

// ---- the run ----------------------------------------------------------------------------------

struct Results {
  std::vector<double> latencies_ms;  // counted requests only
  std::vector<double> intended_ms;   // with --trace: each one's intended send time, in the same order
  // Open loop: how late the generator sent each counted request it could have sent on time, from
  // its intended time to the write (up to a tick, and more when the generator had no CPU in time).
  // Part of that request's latency, and none of the server's doing. A request due while every
  // connection was busy is sent when one comes free and not counted here: that wait is the
  // server's.
  std::vector<double> send_lags_ms;
  std::map<int, std::size_t> statuses;
  std::size_t unexpected = 0;  // counted 200s whose reply is not the command's work done (expected_reply)
  std::size_t transport_errors = 0;
  std::size_t sent = 0;
  double counted_span_s = 0;                        // from the counted window's start to the last counted answer
  bool ran_out = false;                             // the request budget (set_budget) ended the run before its time
  std::uint64_t first_ticket = 0, last_ticket = 0;  // the lowest and highest ticket /open made
};

class Run {
 public:
  Run(const Options& o, RequestMaker& maker)
      : o_(o),
        maker_(maker),
        io_(1),
        partner_(RequestMaker::json_string(o.partner)),
        engineer_(RequestMaker::json_string(o.engineer)) {}

  // The next request of the workload, into `out`; `n` counts requests from 0.
  void next(std::uint64_t n, std::string& out) {
    if (o_.workload == Workload::healthz) return maker_.healthz(out);
    if (o_.workload == Workload::open) return say(out, partner_, "/open 4 load test ", n);
    if (o_.workload == Workload::ack) return say(out, engineer_, "/ack ", ack_first_ + n);
    // mixed: a chat's day over the tickets opened so far (and those prepared)
    const std::uint64_t known = std::max<std::uint64_t>(1, ack_first_ + opened_);
    const std::uint64_t some = 1 + (n * 7919) % known;
    switch (n % 10) {
      case 0:
      case 1: ++opened_; return say(out, partner_, "/open 3 mixed ", n);
      case 2:
      case 3: return say(out, partner_, "/show ", some);
      case 4:
      case 5: return maker_.command(out, engineer_, "/list");
      case 6:
      case 7:
        text_.assign("/note ").append(std::to_string(some)).append(" still seeing it ").append(std::to_string(n));
        return maker_.command(out, partner_, text_);
      case 8: return maker_.command(out, partner_, "/sla");
      default: return say(out, engineer_, "/ack ", some);
    }
  }

  // Tickets to acknowledge: opened first, uncounted (prepare_tickets).
  void set_ack_range(std::uint64_t first) { ack_first_ = first; }
  // At most `requests` requests (0: no limit), however long the run was to be.
  void set_budget(std::uint64_t requests) { budget_ = requests; }

  Results go() {
    const auto endpoints = tcp::resolver(io_).resolve(o_.host, std::to_string(o_.port));
    start_ = SteadyClock::now();
    counted_from_ = start_ + to_duration(o_.warmup);
    stop_at_ = counted_from_ + to_duration(o_.seconds);
    for (std::size_t i = 0; i < o_.connections; ++i) {
      auto c = std::make_shared<Client>(io_);
      clients_.push_back(c);
      asio::async_connect(c->socket, endpoints, [this, c](beast::error_code ec, const tcp::endpoint&) {
        if (ec) {
          ++results_.transport_errors;
          return;
        }
        c->socket.set_option(tcp::no_delay(true));
        send(c);
      });
    }
    io_.run();
    return std::move(results_);
  }

 private:
  // Bound to the io_context's own executor, not a type-erased one: every operation of a request
  // would otherwise copy and dispatch through `any_io_executor`.
  using Executor = asio::io_context::executor_type;
  using Socket = asio::basic_stream_socket<tcp, Executor>;
  using Timer = asio::basic_waitable_timer<SteadyClock, asio::wait_traits<SteadyClock>, Executor>;

  struct Client {
    explicit Client(asio::io_context& io) : socket(io.get_executor()) {}
    Socket socket;
    beast::flat_buffer buffer;
    std::string request;  // its capacity kept from one request to the next
    std::optional<StatusParser> parser;
    SteadyClock::time_point intended;
  };

  void say(std::string& out, const std::string& user, std::string_view command, std::uint64_t n) {
    text_.assign(command).append(std::to_string(n));
    maker_.command(out, user, text_);
  }

  static SteadyClock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  }

  void send(const std::shared_ptr<Client>& c) {
    const auto now = SteadyClock::now();
    if (budget_spent(now)) return finish(c);
    SteadyClock::time_point intended = now;
    if (o_.rate > 0) {
      intended = due(issued_);
      if (intended >= stop_at_) return finish(c);
      if (intended > now) {  // early: the pacer sends it on time, on this or another idle connection
        idle_.push_back(c);
        arm_pacer(intended);
        return;
      }
    } else if (now >= stop_at_) {
      return finish(c);
    }
    ++issued_;
    // Overdue: with another connection idle, only the pacer's tick held it back (the generator's
    // lateness); with none, every connection was busy (the server's).
    fire(c, intended, /*timed=*/!idle_.empty());
  }

  // Whether the budget (set_budget) allows no more requests; noted when that ends the run early.
  bool budget_spent(SteadyClock::time_point now) {
    if (budget_ == 0 || issued_ < budget_) return false;
    // Cut short: the next request was still due (open loop) or time was left (closed loop).
    results_.ran_out = results_.ran_out || (o_.rate > 0 ? due(issued_) : now) < stop_at_;
    return true;
  }

  // Open loop: when request `i` is due.
  SteadyClock::time_point due(std::uint64_t i) const { return start_ + to_duration(static_cast<double>(i) / o_.rate); }

  // One timer for the open loop: it wakes when the next request is due, but no sooner than a tick
  // (--tick) after its last wake, and sends every request then due, each on an idle connection.
  // A wake-up is much of what a paced request costs the generator on this machine (a virtual one:
  // 35-39 µs a request waking for each at 10,000/s, 25-26 µs with a 0.5 ms tick), and the generator
  // shares the server's two cores. A request sent up to a tick late is still timed from its own
  // intended send: the tick adds to the latency measured, it never hides any.
  void arm_pacer(SteadyClock::time_point when) {
    if (pacer_armed_) return;  // set already, for the next request's time
    pacer_armed_ = true;
    pacer_.expires_at(std::max(when, last_pace_ + pace_tick_));
    pacer_.async_wait([this](beast::error_code ec) {
      pacer_armed_ = false;
      if (!ec) pace();
    });
  }

  void pace() {
    const auto now = SteadyClock::now();
    last_pace_ = now;
    while (!idle_.empty()) {
      const auto intended = due(issued_);
      if (intended >= stop_at_ || budget_spent(now)) {
        for (const auto& c : idle_) finish(c);
        idle_.clear();
        return;
      }
      if (intended > now) return arm_pacer(intended);
      const auto c = idle_.front();
      idle_.pop_front();
      ++issued_;
      fire(c, intended, /*timed=*/true);
    }
  }

  void fire(const std::shared_ptr<Client>& c, SteadyClock::time_point intended, bool timed) {
    c->intended = intended;
    next(sent_++, c->request);
    c->parser.emplace();
    if (timed && intended >= counted_from_ && intended < stop_at_) {
      const auto sent_at = SteadyClock::now();
      results_.send_lags_ms.push_back(std::chrono::duration<double, std::milli>(sent_at - intended).count());
    }
    asio::async_write(c->socket, asio::buffer(c->request), [this, c](beast::error_code ec, std::size_t) {
      if (ec) return fail(c);
      http::async_read(c->socket, c->buffer, *c->parser, [this, c](beast::error_code ec, std::size_t) {
        if (ec) return fail(c);
        const auto done = SteadyClock::now();
        ++results_.sent;
        if (c->intended >= counted_from_ && c->intended < stop_at_) {
          results_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - c->intended).count());
          if (!o_.trace.empty()) {
            results_.intended_ms.push_back(
                std::chrono::duration<double, std::milli>(c->intended.time_since_epoch()).count());
          }
          results_.counted_span_s =
              std::max(results_.counted_span_s, std::chrono::duration<double>(done - counted_from_).count());
          ++results_.statuses[c->parser->status()];
          if (c->parser->status() == 200 && !expected_reply(o_.workload, c->parser->head())) ++results_.unexpected;
          if (o_.workload == Workload::open) note_ticket(c->parser->head());
        }
        send(c);
      });
    });
  }

  void note_ticket(std::string_view head) {
    const auto ticket = ticket_reply(head);
    if (!ticket || ticket->id == 0) return;
    const std::uint64_t id = ticket->id;
    if (results_.first_ticket == 0 || id < results_.first_ticket) results_.first_ticket = id;
    results_.last_ticket = std::max(results_.last_ticket, id);
  }

  void fail(const std::shared_ptr<Client>& c) {
    ++results_.transport_errors;
    finish(c);
  }

  void finish(const std::shared_ptr<Client>& c) {
    beast::error_code ignored;
    c->socket.shutdown(tcp::socket::shutdown_both, ignored);
  }

  const Options& o_;
  RequestMaker& maker_;
  asio::io_context io_;
  const std::string partner_, engineer_;  // as JSON strings
  std::string text_;                      // the command being said, reused
  std::vector<std::shared_ptr<Client>> clients_;
  std::deque<std::shared_ptr<Client>> idle_;  // open loop: connections waiting for the pacer
  Timer pacer_{io_.get_executor()};
  bool pacer_armed_ = false;
  SteadyClock::time_point last_pace_{};
  const SteadyClock::duration pace_tick_ = to_duration(o_.tick_ms / 1000);
  SteadyClock::time_point start_, counted_from_, stop_at_;
  std::uint64_t issued_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t ack_first_ = 1;
  std::uint64_t budget_ = 0;
  std::uint64_t opened_ = 0;
  Results results_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// The answers that did the workload's work: 200, with the reply it expects (expected_reply).
std::size_t ok_count(const Results& r) {
  const auto found = r.statuses.find(200);
  return found == r.statuses.end() ? 0 : found->second - r.unexpected;
}

// The tickets /ack will acknowledge: `count` of them, opened beforehand on up to 64 connections
// at once and not counted. Returns the first; the rest follow it in order, which is checked (a
// gap means something else opened tickets meanwhile, and some /ack would miss).
std::uint64_t prepare_tickets(const Options& o, RequestMaker& maker, std::size_t count) {
  Options opening = o;
  opening.workload = Workload::open;
  opening.rate = 0;
  opening.warmup = 0;
  opening.seconds = 24 * 3600;  // ends when the budget is spent
  opening.connections = std::min<std::size_t>(64, count);
  opening.trace.clear();
  Run run(opening, maker);
  run.set_budget(count);
  const Results r = run.go();
  const std::size_t opened = ok_count(r);
  if (opened != count || r.transport_errors != 0) {
    throw std::runtime_error("could open only " + std::to_string(opened) + " of " + std::to_string(count) +
                             " tickets to work on");
  }
  if (r.last_ticket - r.first_ticket + 1 != count) {
    throw std::runtime_error("the tickets opened to work on are not numbered one after another (#" +
                             std::to_string(r.first_ticket) + " to #" + std::to_string(r.last_ticket) +
                             "): is something else opening tickets?");
  }
  return r.first_ticket;
}

// One line a counted request, in the order answered: "<intended send, ms> <latency, ms>".
// False when the file could not be written whole (a full disk, say).
bool write_trace(std::FILE* out, const Results& r) {
  std::fputs("# intended send (ms, CLOCK_MONOTONIC) latency (ms)\n", out);
  for (std::size_t i = 0; i < r.latencies_ms.size(); ++i) {
    std::fprintf(out, "%.4f %.4f\n", r.intended_ms[i], r.latencies_ms[i]);
  }
  return std::fflush(out) == 0 && std::ferror(out) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  if (o.serve_ceiling) {
    serve_ceiling(*o.serve_ceiling);
    return 0;
  }
  auto close = [](std::FILE* file) { std::fclose(file); };
  std::unique_ptr<std::FILE, decltype(close)> trace(nullptr, close);
  if (!o.trace.empty()) {
    trace.reset(std::fopen(o.trace.c_str(), "w"));
    if (!trace) usage("cannot write " + o.trace + ": " + std::strerror(errno));
  }
  o.run_id = "lg" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  const std::string secret = secret_from_env();
  if (secret.empty() && o.workload != Workload::healthz) usage("set SLABOT_GENERIC_SECRET to the connection's secret");
  RequestMaker maker(o, secret);
  Run run(o, maker);
  if (o.workload == Workload::ack || o.workload == Workload::mixed) {
    // Enough tickets that every /ack finds one waiting (each is acknowledged once): an open loop's
    // count, and in a closed loop 100,000, some 4-5 s of /ack on this machine, opened in as long.
    const std::size_t wanted = std::max<std::size_t>(
        1, o.prepare ? o.prepare
                     : (o.workload == Workload::mixed
                            ? 1000
                            : static_cast<std::size_t>(o.rate > 0 ? o.rate * (o.seconds + o.warmup) * 1.1 : 100000)));
    std::cerr << "load_gen: opening " << wanted << " tickets first\n";
    try {
      run.set_ack_range(prepare_tickets(o, maker, wanted));
    } catch (const std::exception& e) {
      std::cerr << "load_gen: " << e.what() << "\n";
      return 1;
    }
    // Each prepared ticket is acknowledged once; then the run ends, sooner than asked if need be.
    if (o.workload == Workload::ack) run.set_budget(wanted);
  }
  Results r = run.go();
  const bool traced = !trace || write_trace(trace.get(), r);
  if (!traced) std::cerr << "load_gen: writing " << o.trace << " failed\n";
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  std::sort(r.send_lags_ms.begin(), r.send_lags_ms.end());
  // Answers per second over the counted window, stretched to the last of its answers: in an open
  // loop the server that falls behind answers the window's requests late, and its rate shows it.
  // A run that ran out of prepared tickets counts up to its last answer.
  const double span = r.ran_out ? r.counted_span_s : std::max(o.seconds, r.counted_span_s);
  const double throughput = span > 0 ? static_cast<double>(r.latencies_ms.size()) / span : 0;
  if (r.ran_out) {
    std::cerr << "load_gen: every prepared ticket was acknowledged after " << r.counted_span_s << " s of the "
              << o.seconds << " asked; --prepare more for a longer run\n";
  }
  const std::size_t ok = ok_count(r);
  nlohmann::json out{{"workload", workload_name(o.workload)},
                     {"mode", o.rate > 0 ? "open" : "closed"},
                     {"offered_per_s", o.rate},
                     {"connections", o.connections},
                     {"seconds", o.seconds},
                     {"requests", r.latencies_ms.size()},
                     {"ok", ok},
                     {"unexpected_replies", r.unexpected},
                     {"transport_errors", r.transport_errors},
                     {"counted_s", span},
                     {"per_s", std::round(throughput)},
                     {"p50_ms", percentile(r.latencies_ms, 50)},
                     {"p90_ms", percentile(r.latencies_ms, 90)},
                     {"p99_ms", percentile(r.latencies_ms, 99)},
                     {"p999_ms", percentile(r.latencies_ms, 99.9)},
                     {"max_ms", r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back()},
                     {"send_lag_p99_ms", percentile(r.send_lags_ms, 99)}};
  nlohmann::json statuses = nlohmann::json::object();
  for (const auto& [status, n] : r.statuses) statuses[std::to_string(status)] = n;
  out["statuses"] = statuses;
  if (o.json) {
    std::cout << out.dump() << "\n";
  } else {
    std::printf(
        "%s %s c=%zu: %.0f/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %zu of %zu ok (%zu "
        "answered 200 without the expected reply), %zu transport errors; sent late by up to %.2f ms (p99)\n",
        std::string(workload_name(o.workload)).c_str(), o.rate > 0 ? "open" : "closed", o.connections, throughput,
        percentile(r.latencies_ms, 50), percentile(r.latencies_ms, 90), percentile(r.latencies_ms, 99),
        percentile(r.latencies_ms, 99.9), r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back(), ok,
        r.latencies_ms.size(), r.unexpected, r.transport_errors, percentile(r.send_lags_ms, 99));
  }
  if (r.latencies_ms.empty()) std::cerr << "load_gen: no answer was counted (did the warm-up use up the tickets?)\n";
  return traced && r.transport_errors == 0 && !r.latencies_ms.empty() && ok == r.latencies_ms.size() ? 0 : 1;
}
