#include "bot/app.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <memory>

#include "adapters/registry.hpp"
#include "bot/console_printer.hpp"
#include "bot/console_session.hpp"
#include "bot/demo_config.hpp"
#include "bot/http/http_client.hpp"
#include "bot/http/http_server.hpp"
#include "bot/metrics/commit_metrics.hpp"
#include "bot/runtime.hpp"
#include "commands/outbox_view.hpp"
#include "config/duration.hpp"
#include "config/loader.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"

namespace slabot {
namespace {

// Adapters check their own secrets' shape when built; check-config reports what they say.
std::optional<std::string> check_connection(const Connection& connection) {
  try {
    make_adapter(connection);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

AdapterRules adapter_rules() { return AdapterRules{known_adapters(), required_secrets, check_connection}; }

// Blocks until SIGINT or SIGTERM. The signals are blocked in every thread (the mask is set before
// any thread starts), so this is the one place they arrive.
void block_stop_signals(sigset_t& signals) {
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// After the first SIGINT or SIGTERM: the server stops accepting and finishes the requests in
// hand, for at most `timeout`; a second signal cuts the wait short. The server is stopped after
// either way, abandoning (and logging) what is left.
void drain(HttpServer& server, Duration timeout, const sigset_t& signals) {
  using std::chrono::steady_clock;
  // How soon a second signal is noticed; the drain itself ends the moment the last answer is out.
  constexpr auto signal_check = std::chrono::milliseconds(50);
  server.begin_shutdown();
  const auto deadline = steady_clock::now() + timeout;
  while (!server.wait_until_drained(std::min(deadline, steady_clock::now() + signal_check))) {
    timespec no_wait{};
    if (const int again = sigtimedwait(&signals, nullptr, &no_wait); again > 0) {
      spdlog::warn("slabot: signal {} again: stopping at once, without waiting for the requests in hand", again);
      break;
    }
    if (steady_clock::now() >= deadline) {
      spdlog::warn("slabot: http.shutdown_timeout ({}) passed with requests still in hand",
                   format_config_duration(timeout));
      break;
    }
  }
  server.stop();
}

}  // namespace

int run_console(const ConsoleOptions& options, std::istream& in, std::ostream& out, bool interactive) {
  const Config config = demo_config(options.database_path);
  try {
    SqliteStore store({config.database_path});
    SystemClock real_clock;
    ScaledClock clock(real_clock, options.speed);
    // The printer needs the session and the session the runtime: the session is set before any
    // thread that prints starts (runtime.start()), and the runtime stops before it goes.
    ConsoleSession* session_ptr = nullptr;
    ConsolePrinter printer(
        [&session_ptr](const std::string& chat_id, const std::string& text) { session_ptr->notice(chat_id, text); });
    BotRuntime runtime(config, store, clock, printer);
    ConsoleSession session(runtime, clock, demo_people(), kConsoleConnection, kConsoleChat, out);
    session_ptr = &session;
    // Stopped before the session goes however this scope ends: the printer calls into it.
    const std::unique_ptr<BotRuntime, void (*)(BotRuntime*)> stop_first(&runtime, [](BotRuntime* r) { r->stop(); });
    runtime.start();
    session.run(in, interactive);
  } catch (const std::exception& e) {
    std::cerr << "slabot: cannot use " << config.database_path << ": " << e.what() << std::endl;
    return 1;
  }
  if (options.remove_database_after) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(config.database_path + suffix);
  }
  return 0;
}

int run_check_config(const std::string& config_path, std::ostream& out) {
  const auto result = load_config_file(config_path, adapter_rules(), process_env);
  if (!result.problems.empty()) {
    out << config_path << ": " << result.problems.size() << " problem(s)\n" << format_problems(result.problems);
    return 1;
  }
  const Config& c = *result.config;
  out << config_path << ": ok (" << c.tenants.size() << " tenants, " << c.staff.size() << " staff, "
      << c.connections.size() << " connections, " << c.channels.size() << " channels)\n";
  return 0;
}

int run_outbox(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  constexpr const char* kUsage = "usage: slabot outbox list --config FILE | slabot outbox retry ID --config FILE";
  std::string action, id_text, config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (action.empty()) {
      action = args[i];
    } else if (action == "retry" && id_text.empty()) {
      id_text = args[i];
    } else {
      err << "slabot outbox: unexpected argument '" << args[i] << "'\n" << kUsage << "\n";
      return 2;
    }
  }
  const bool id_ok = !id_text.empty() && id_text.size() < 19 && id_text.find_first_not_of("0123456789") == std::string::npos;
  std::string problem;
  if (action != "list" && action != "retry") problem = action.empty() ? "list or retry?" : "unknown action '" + action + "'";
  else if (action == "retry" && !id_ok) problem = "retry needs a message number, as list shows it";
  else if (config_path.empty()) problem = "missing --config FILE";
  if (!problem.empty()) {
    err << "slabot outbox: " << problem << "\n" << kUsage << "\n";
    return 2;
  }
  const auto loaded = load_config_file(config_path, adapter_rules(), process_env);
  if (!loaded.problems.empty()) {
    err << config_path << ": " << loaded.problems.size() << " problem(s)\n" << format_problems(loaded.problems);
    return 2;
  }
  // The tool reads an existing database: a mistyped path must not create an empty one that
  // reports "every message delivered".
  if (!std::filesystem::exists(loaded.config->database_path)) {
    err << "slabot outbox: no database at " << loaded.config->database_path << " (the config's \"database\", relative to "
        << std::filesystem::current_path().string() << ")\n";
    return 2;
  }
  try {
    SqliteStore store({loaded.config->database_path});
    if (action == "list") {
      constexpr int kListed = 1000;
      out << outbox_report(store, kListed, "") << "\n";
      return 0;
    }
    const std::int64_t id = std::stoll(id_text);
    std::promise<WriteOutcome> written;
    SystemClock clock;
    store.retry_dead(id, clock.now(), [&written](WriteOutcome outcome) { written.set_value(std::move(outcome)); });
    const WriteOutcome outcome = written.get_future().get();
    if (outcome.kind == WriteOutcome::Kind::applied) {
      out << "message " << id << " is queued again; a running slabot sends it within a second\n";
      return 0;
    }
    err << (outcome.kind == WriteOutcome::Kind::not_found ? "no dead message " + id_text + "; see slabot outbox list"
                                                          : std::string("could not record that; nothing changed"))
        << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "slabot: cannot use " << loaded.config->database_path << ": " << e.what() << "\n";
    return 1;
  }
}

int run_serve(const std::string& config_path) {
  const auto result = load_config_file(config_path, adapter_rules(), process_env);
  if (!result.problems.empty()) {
    std::cerr << "slabot: refusing to start, " << config_path << " has " << result.problems.size()
              << " problem(s):\n"
              << format_problems(result.problems);
    return 2;
  }
  const Config& config = *result.config;
  sigset_t stop_signals;
  block_stop_signals(stop_signals);
  try {
    SqliteStore store({config.database_path});
    SystemClock clock;
    BeastHttpClient http;  // before the runtime: its outbox's sends in flight end first
    BotRuntime runtime(config, store, clock, http);
    CommitMetrics commit_metrics(store, runtime.metrics());
    std::map<std::string, WebhookRoute> routes;
    for (const auto& connection : config.connections) {
      if (connection.adapter == "console") continue;  // a terminal, not a webhook
      routes[connection.name] = WebhookRoute{std::shared_ptr<const ChatAdapter>(make_adapter(connection))};
    }
    HttpServerOptions options;
    options.address = config.listen_address;
    options.port = config.listen_port;
    options.max_connections = static_cast<std::size_t>(config.http.max_connections);
    options.first_request_timeout = config.http.first_request_timeout;
    options.request_timeout = config.http.request_timeout;
    options.idle_timeout = config.http.idle_timeout;
    HttpServer server(options, std::move(routes), runtime, clock, [&store] { return store.healthy(); },
                      &runtime.metrics());
    const auto clocks = runtime.start();
    const auto port = server.start();
    spdlog::info("slabot listening on {}:{}, database {}; watching {} response clocks, {} messages waiting, {} dead",
                 config.listen_address, port, config.database_path, clocks, store.count_outbox(OutboxQuery::pending),
                 store.count_outbox(OutboxQuery::dead));
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    spdlog::info("slabot stopping on signal {}: finishing the requests in hand (at most {}; a second signal "
                 "stops at once)",
                 signal_number, format_config_duration(config.http.shutdown_timeout));
    drain(server, config.http.shutdown_timeout, stop_signals);
    runtime.stop();  // after the server: the SLA scheduler and the outbox finish what is in hand
    spdlog::info("slabot stopped");
  } catch (const std::exception& e) {
    spdlog::error("slabot: {}", e.what());
    return 1;
  }
  return 0;
}

}  // namespace slabot
