#include "bot/app.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <system_error>

#include "adapters/registry.hpp"
#include "bot/buffered_log_sink.hpp"
#include "bot/cli_args.hpp"
#include "bot/cli_config.hpp"
#include "bot/config_reload.hpp"
#include "bot/console_printer.hpp"
#include "bot/console_session.hpp"
#include "bot/demo_config.hpp"
#include "bot/http/http_client.hpp"
#include "bot/http/http_server.hpp"
#include "bot/http/proxy/proxy_url.hpp"
#include "bot/line_editor.hpp"
#include "bot/log_format.hpp"
#include "bot/metrics/commit_metrics.hpp"
#include "bot/report_cli.hpp"
#include "bot/runtime.hpp"
#include "bot/stream/stream_sessions.hpp"
#include "bot/stream/stream_supervisor.hpp"
#include "bot/stream/stream_timeouts.hpp"
#include "commands/outbox_view.hpp"
#include "config/duration.hpp"
#include "config/holiday_coverage.hpp"
#include "config/loader.hpp"
#include "domain/plural.hpp"
#include "storage/backup.hpp"
#include "storage/database_location.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"

namespace slabot {
namespace {

// Adapters check their own secrets' shape when built; check-config reports what they say.
AdapterRules adapter_rules() {
  return AdapterRules{known_adapters(), required_secrets, connection_problem, stream_secrets};
}

// SIGINT and SIGTERM stop serve; SIGHUP reloads the config (systemd's ExecReload sends it). All
// three are blocked in every thread (the mask is set before any thread starts), so sigwait is
// the one place they arrive. `stop` gets the two that stop.
void block_serve_signals(sigset_t& stop, sigset_t& all) {
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  all = stop;
  sigaddset(&all, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
}

// Waits for a signal that stops serve, reloading the config on each SIGHUP on the way; returns
// the signal.
int wait_for_stop(const sigset_t& all, ConfigReloader& reloader) {
  for (;;) {
    int signal_number = 0;
    sigwait(&all, &signal_number);
    if (signal_number != SIGHUP) return signal_number;
    try {
      reloader.reload();
    } catch (const std::exception& e) {
      // A reload that failed half-way must not end serve: what runs is still whole.
      spdlog::error("config: reload failed: {}; still running the config loaded before", e.what());
    }
  }
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

const CliSpec& console_spec() {
  static const CliSpec spec{
      "console",
      "usage: slabot console [--db FILE] [--speed N]\n"
      "  chat with the bot in a terminal, on the embedded demo config (database slabot-demo.db, or\n"
      "  --db FILE); --speed 60 makes a 15-minute SLA last 15 s (on a temporary database)\n",
      {"--db", "--speed"},
      {}};
  return spec;
}

const CliSpec& serve_spec() {
  static const CliSpec spec{"serve",
                            "usage: slabot serve --config FILE [--log-format text|json]\n"
                            "  run the webhook server until SIGINT or SIGTERM; refuses to start (exit 2) on\n"
                            "  the problems check-config lists; SIGHUP reloads FILE (a bad one is refused\n"
                            "  and the running config kept). --log-format json: one JSON object a line\n",
                            {"--config", "--log-format"},
                            {}};
  return spec;
}

const CliSpec& check_config_spec() {
  static const CliSpec spec{"check-config",
                            "usage: slabot check-config --config FILE   (or: slabot check-config FILE)\n"
                            "  validate a config file and list every problem with its JSON path (exit 2\n"
                            "  when there are any), the database's directory included\n",
                            {"--config"},
                            {}};
  return spec;
}

const CliSpec& outbox_spec() {
  static const CliSpec spec{"outbox",
                            "usage: slabot outbox list --config FILE | slabot outbox retry ID --config FILE\n"
                            "  list: messages not yet delivered, dead ones first; retry ID: send a dead\n"
                            "  message again (exit 1 when there is no dead message ID)\n",
                            {"--config"},
                            {}};
  return spec;
}

const CliSpec& backup_spec() {
  static const CliSpec spec{"backup",
                            "usage: slabot backup --config FILE [--force] OUT\n"
                            "  copy the database to OUT while serve runs (SQLite's online backup, checked\n"
                            "  with integrity_check); --force replaces an existing OUT\n",
                            {"--config"},
                            {"--force"}};
  return spec;
}

}  // namespace

// The config and where its database goes: the problems check-config lists, serve refuses to
// start on, and the tools refuse to run on.
ConfigResult load_checked(const std::string& config_path) {
  auto result = load_config_file(config_path, adapter_rules(), process_env);
  if (result.config) {
    if (auto problem = database_location_problem(result.config->database_path)) {
      result.problems.push_back(ConfigProblem{"/database", *problem});
    }
    // A platform whose stream mode the config knows but serve does not run yet.
    const auto& connections = result.config->connections;
    for (std::size_t i = 0; i < connections.size(); ++i) {
      if (connections[i].mode != ConnectionMode::stream || stream_session_implemented(connections[i].adapter)) continue;
      result.problems.push_back(
          ConfigProblem{"/connections/" + std::to_string(i) + "/mode", stream_not_implemented(connections[i].adapter)});
    }
    // A deadline the platform's stream has no use for (a poll_timeout on a socket).
    for (std::size_t i = 0; i < connections.size(); ++i) {
      if (auto misplaced = misplaced_stream_key(connections[i])) {
        result.problems.push_back(
            ConfigProblem{"/connections/" + std::to_string(i) + "/stream/" + misplaced->key, misplaced->message});
      }
    }
    if (!result.problems.empty()) result.config.reset();
  }
  return result;
}

// The tools read an existing database: a mistyped path must not create an empty one that
// reports "every message delivered" or backs up nothing.
std::optional<std::string> missing_database(const std::string& path) {
  if (std::filesystem::exists(path)) return std::nullopt;
  return "no database at " + absolute_database_path(path) + " (the config's \"database\", relative to " +
         std::filesystem::current_path().string() + ")";
}

namespace {

// What an operator can do about a listening socket that could not be had.
std::string listen_hint(const std::error_code& code) {
  if (code == std::errc::address_in_use) return "; another slabot or service holds it";
  if (code == std::errc::address_not_available) return "; no network interface of this machine has that address";
  if (code == std::errc::permission_denied) return "; ports below 1024 need root or CAP_NET_BIND_SERVICE";
  return "";
}

// A whole or decimal number from 1 to 100000: faster than that and a minute passes in under a
// millisecond, which the scheduler cannot show anyone.
std::optional<double> parse_speed(const std::string& text) {
  std::size_t used = 0;
  double speed = 0;
  try {
    speed = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !(speed >= 1 && speed <= 100000)) return std::nullopt;
  return speed;
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
    // Line editing and history on a terminal; anything else is read line by line, as it comes.
    std::unique_ptr<ConsoleInput> input;
    if (interactive && LineEditor::is_terminal()) {
      input = std::make_unique<LineEditor>();
    } else {
      input = std::make_unique<StreamInput>(in);
    }
    BotRuntime runtime(config, store, clock, printer);
    ConsoleSession session(runtime, clock, demo_people(config), kConsoleConnection,
                           console_channels(config, kConsoleConnection), out);
    session_ptr = &session;
    // Stopped before the session goes however this scope ends: the printer calls into it.
    const std::unique_ptr<BotRuntime, void (*)(BotRuntime*)> stop_first(&runtime, [](BotRuntime* r) { r->stop(); });
    runtime.start();
    session.run(*input, interactive);
  } catch (const std::exception& e) {
    std::cerr << "slabot: cannot use " << config.database_path << ": " << e.what() << std::endl;
    return 1;
  }
  if (options.remove_database_after) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(config.database_path + suffix);
  }
  return 0;
}

int run_console(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err,
                bool interactive) {
  const CliSpec& spec = console_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  if (!cli.words.empty()) return usage_error(spec, "unexpected argument '" + cli.words[0] + "'", err);
  ConsoleOptions options;
  const bool database_given = cli.values.contains("--db");
  if (database_given) options.database_path = cli.value("--db");
  const std::string speed_text = cli.value("--speed");
  if (cli.values.contains("--speed")) {
    const auto speed = parse_speed(speed_text);
    if (!speed) return usage_error(spec, "--speed takes a number from 1 to 100000, e.g. --speed 60", err);
    options.speed = *speed;
  }
  if (options.speed != 1) {
    // A sped-up clock writes times ahead of the wall's: keep them out of the demo database.
    if (database_given) {
      err << "slabot: note: at --speed " << speed_text << " the times written to " << options.database_path
          << " run ahead of the wall clock; use that file only at this speed\n";
    } else {
      options.database_path =
          (std::filesystem::temp_directory_path() / ("slabot-speed-" + std::to_string(getpid()) + ".db")).string();
      options.remove_database_after = true;
    }
  }
  return run_console(options, in, out, interactive);
}

int run_check_config(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = check_config_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  // The bare FILE is the older form, kept as an alias of --config FILE.
  std::string config_path = cli.value("--config");
  if (!cli.words.empty()) {
    if (!config_path.empty() || cli.words.size() > 1) {
      return usage_error(spec, "unexpected argument '" + cli.words.back() + "'", err);
    }
    config_path = cli.words[0];
  }
  if (config_path.empty()) return usage_error(spec, "missing --config FILE", err);
  const auto result = load_checked(config_path);
  if (!result.problems.empty()) {
    out << config_path << ": " << count_of(result.problems.size(), "problem") << "\n"
        << format_problems(result.problems);
    return 2;
  }
  // serve's HTTP client refuses a malformed proxy setting at start: say so now, as a problem.
  bool proxy_ok = true;
  const std::string proxy = describe_proxy_environment(proxy_environment(), proxy_ok);
  if (!proxy_ok) {
    out << config_path << ": 1 problem\n" << proxy << "\n";
    return 2;
  }
  const Config& c = *result.config;
  out << config_path << ": ok (" << count_of(c.tenants.size(), "tenant") << ", "
      << count_of(c.staff.size(), "staff", "staff") << ", " << count_of(c.connections.size(), "connection") << ", "
      << count_of(c.channels.size(), "channel") << ")\n";
  for (const Connection& connection : c.connections) {
    if (auto mode = connection_mode(connection)) out << "  connection " << connection.name << ": " << *mode << "\n";
  }
  if (!proxy.empty()) out << "  " << proxy << "\n";
  // Not a problem (the file is valid, and serve runs on it), but a calendar that will be wrong.
  for (const auto& gap : holiday_list_gaps(c, local_date(SystemClock().now(), Zone{}))) out << "  " << gap << "\n";
  return 0;
}

int run_outbox(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = outbox_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  const std::string action = cli.words.empty() ? "" : cli.words[0];
  const std::size_t words_taken = action == "retry" ? 2 : 1;
  const std::string id_text = action == "retry" && cli.words.size() > 1 ? cli.words[1] : "";
  const std::string config_path = cli.value("--config");
  const bool id_ok =
      !id_text.empty() && id_text.size() < 19 && id_text.find_first_not_of("0123456789") == std::string::npos;
  if (action.empty()) return usage_error(spec, "list or retry?", err);
  if (action != "list" && action != "retry") return usage_error(spec, "unknown action '" + action + "'", err);
  if (cli.words.size() > words_taken) {
    return usage_error(spec, "unexpected argument '" + cli.words[words_taken] + "'", err);
  }
  if (action == "retry" && !id_ok) return usage_error(spec, "retry needs a message number, as list shows it", err);
  if (config_path.empty()) return usage_error(spec, "missing --config FILE", err);
  const auto loaded = load_checked(config_path);
  if (!loaded.problems.empty()) {
    err << config_path << ": " << count_of(loaded.problems.size(), "problem") << "\n"
        << format_problems(loaded.problems);
    return 2;
  }
  if (auto missing = missing_database(loaded.config->database_path)) {
    err << "slabot outbox: " << *missing << "\n";
    return 2;
  }
  try {
    SqliteStore store({loaded.config->database_path});
    if (action == "list") {
      constexpr int kListed = 1000;
      const Config& config = *loaded.config;
      const ChatOwner owner = [&config](const std::string& connection, const std::string& chat_id) {
        return config.chat_owner(connection, chat_id);
      };
      out << outbox_report(store, kListed, "", Zone{} /* UTC, as the logs */, owner) << "\n";
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
    err << "slabot: cannot use " << absolute_database_path(loaded.config->database_path) << ": " << e.what() << "\n";
    return 1;
  }
}

int run_backup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = backup_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  const std::string config_path = cli.value("--config");
  if (config_path.empty()) return usage_error(spec, "missing --config FILE", err);
  if (cli.words.empty()) return usage_error(spec, "missing OUT, the file to write the copy to", err);
  if (cli.words.size() > 1) return usage_error(spec, "unexpected argument '" + cli.words[1] + "'", err);
  const std::string& destination = cli.words[0];
  BackupOptions options;
  options.force = cli.flags.contains("--force");
  if (std::filesystem::exists(destination) && !options.force) {
    err << "slabot backup: " << absolute_database_path(destination) << " exists; give --force to replace it\n";
    return 2;
  }
  const auto loaded = load_checked(config_path);
  if (!loaded.problems.empty()) {
    err << config_path << ": " << count_of(loaded.problems.size(), "problem") << "\n"
        << format_problems(loaded.problems);
    return 2;
  }
  if (auto missing = missing_database(loaded.config->database_path)) {
    err << "slabot backup: " << *missing << "\n";
    return 2;
  }
  try {
    const BackupResult copy = backup_database(loaded.config->database_path, destination, options);
    out << "backup: " << copy.path << ", " << copy.bytes << " bytes, " << copy.tickets << " tickets, integrity_check "
        << copy.integrity << ", " << std::fixed << std::setprecision(2) << copy.seconds << " s\n";
    return 0;
  } catch (const std::exception& e) {
    err << "slabot backup: " << e.what() << "\n";
    return 1;
  }
}

std::string command_usage(const std::string& name) {
  for (const CliSpec* spec :
       {&console_spec(), &serve_spec(), &check_config_spec(), &outbox_spec(), &backup_spec(), &report_spec()}) {
    if (spec->command == name) return spec->usage;
  }
  return "";
}
int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = serve_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  if (!cli.words.empty()) return usage_error(spec, "unexpected argument '" + cli.words[0] + "'", err);
  const std::string config_path = cli.value("--config");
  if (config_path.empty()) return usage_error(spec, "missing --config FILE", err);
  const auto log_format = parse_log_format(cli.values.contains("--log-format") ? cli.value("--log-format") : "text");
  if (!log_format)
    return usage_error(spec, "--log-format is text or json, not '" + cli.value("--log-format") + "'", err);
  const auto result = load_checked(config_path);
  if (!result.problems.empty()) {
    err << "slabot: refusing to start, " << config_path << " has " << count_of(result.problems.size(), "problem")
        << ":\n"
        << format_problems(result.problems);
    return 2;
  }
  const Config& config = *result.config;
  // Before any thread starts (the log's flusher is the first): threads inherit the mask, and the
  // stop and reload signals must reach sigwait only.
  sigset_t stop_signals, serve_signals;
  block_serve_signals(stop_signals, serve_signals);
  const ServiceLog service_log;  // before the format: the format applies to its sink
  use_log_format(*log_format);
  std::unique_ptr<SqliteStore> opened;
  try {
    opened = std::make_unique<SqliteStore>(SqliteStoreOptions{config.database_path});
  } catch (const std::exception& e) {
    const auto location = database_location_problem(config.database_path);
    after_log(err) << "slabot: cannot open the database "
                   << (location ? *location : absolute_database_path(config.database_path) + ": " + e.what())
                   << " (set \"database\")\n";
    return 1;
  }
  SqliteStore& store = *opened;
  try {
    SystemClock clock;
    BeastHttpClient http;  // before the runtime: its outbox's sends in flight end first
    BotRuntime runtime(config, store, clock, http);
    CommitMetrics commit_metrics(store, runtime.metrics());
    // Connections with "mode": "stream": their sockets, opened by the bot, hand messages to the
    // same runtime as the webhooks. Before the server, which shows their state in /healthz.
    StreamDependencies stream_dependencies{http, runtime, WebSocketOptions{}};
    stream_dependencies.store = &store;
    stream_dependencies.clock = &clock;
    stream_dependencies.config = &runtime.config();  // Mattermost: the channels to fetch missed posts from
    auto stream_sessions = make_stream_sessions(config, std::move(stream_dependencies));
    if (stream_sessions.problem) {
      after_log(err) << "slabot: refusing to start: " << *stream_sessions.problem << "\n";
      return 2;
    }
    StreamSupervisorOptions stream_options;
    stream_options.metrics = &runtime.metrics();
    for (const auto& connection : config.connections) {
      if (connection.mode != ConnectionMode::stream || !connection.stream.max_retry) continue;
      stream_options.reconnect_by_connection[connection.name] =
          reconnect_settings_for(connection, stream_options.reconnect);
    }
    StreamSupervisor streams(std::move(stream_sessions.sessions), std::move(stream_options));
    HttpServerOptions options;
    options.address = config.listen_address;
    options.port = config.listen_port;
    options.max_connections = static_cast<std::size_t>(config.http.max_connections);
    options.first_request_timeout = config.http.first_request_timeout;
    options.request_timeout = config.http.request_timeout;
    options.idle_timeout = config.http.idle_timeout;
    if (!streams.empty()) options.health_streams = [&streams] { return streams.statuses_json(); };
    HttpServer server(
        options, webhook_routes(config), runtime, clock, [&store] { return store.healthy(); }, &runtime.metrics());
    ConfigReloader reloader(config_path, load_checked, runtime, &server);
    // The port first: a second slabot started by mistake on the same database must stop before
    // its SLA scheduler fires a stage or its outbox sends a message the first one sends too.
    try {
      server.listen();
    } catch (const std::system_error& e) {
      after_log(err) << "slabot: " << e.what() << listen_hint(e.code()) << " (set \"listen\")\n";
      return 1;
    }
    const auto clocks = runtime.start();
    const auto port = server.start();
    streams.start();
    spdlog::info("slabot listening on {}:{}, database {}; watching {} response clocks, {} messages waiting, {} dead",
                 config.listen_address, port, config.database_path, clocks, store.count_outbox(OutboxQuery::pending),
                 store.count_outbox(OutboxQuery::dead));
    const int signal_number = wait_for_stop(serve_signals, reloader);
    spdlog::info(
        "slabot stopping on signal {}: finishing the requests in hand (at most {}; a second signal "
        "stops at once)",
        signal_number, format_config_duration(config.http.shutdown_timeout));
    drain(server, config.http.shutdown_timeout, stop_signals);
    streams.stop();  // messages in hand are recorded or left unacknowledged, for the platform to send again
    runtime.stop();  // after the server: the SLA scheduler and the outbox finish what is in hand
    spdlog::info("slabot stopped");
  } catch (const std::exception& e) {
    spdlog::error("slabot: {}", e.what());
    return 1;
  }
  return 0;
}

}  // namespace slabot
