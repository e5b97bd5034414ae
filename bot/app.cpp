#include "bot/app.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>
#include <memory>

#include "adapters/registry.hpp"
#include "bot/console_session.hpp"
#include "bot/demo_config.hpp"
#include "bot/dispatcher.hpp"
#include "bot/http/http_server.hpp"
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

}  // namespace

int run_console(const ConsoleOptions& options, std::istream& in, std::ostream& out, bool interactive) {
  const Config config = demo_config(options.database_path);
  try {
    SqliteStore store({config.database_path});
    SystemClock clock;
    Dispatcher dispatcher(config, store, clock);
    ConsoleSession session(dispatcher, demo_people(), kConsoleConnection, kConsoleChat);
    session.run(in, out, interactive);
  } catch (const std::exception& e) {
    std::cerr << "slabot: cannot use " << config.database_path << ": " << e.what() << std::endl;
    return 1;
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
    Dispatcher dispatcher(config, store, clock);
    std::map<std::string, WebhookRoute> routes;
    for (const auto& connection : config.connections) {
      if (connection.adapter == "console") continue;  // a terminal, not a webhook
      routes[connection.name] = WebhookRoute{std::shared_ptr<const ChatAdapter>(make_adapter(connection))};
    }
    HttpServerOptions options;
    options.address = config.listen_address;
    options.port = config.listen_port;
    HttpServer server(options, std::move(routes), dispatcher, clock, [&store] { return store.healthy(); });
    const auto port = server.start();
    spdlog::info("slabot listening on {}:{}, database {}", config.listen_address, port, config.database_path);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    spdlog::info("slabot stopping on signal {}", signal_number);
    server.stop();
  } catch (const std::exception& e) {
    spdlog::error("slabot: {}", e.what());
    return 1;
  }
  return 0;
}

}  // namespace slabot
