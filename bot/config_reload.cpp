#include "bot/config_reload.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "adapters/registry.hpp"
#include "domain/plural.hpp"

namespace slabot {
namespace {

// The stream connections' settings, which the supervisor read at start: a change waits for a
// restart (the sockets are not reopened by a reload).
std::map<std::string, Connection> stream_connections(const Config& config) {
  std::map<std::string, Connection> streams;
  for (const auto& connection : config.connections) {
    if (connection.mode == ConnectionMode::stream) streams[connection.name] = connection;
  }
  return streams;
}

}  // namespace

std::map<std::string, WebhookRoute> webhook_routes(const Config& config) {
  std::map<std::string, WebhookRoute> routes;
  for (const auto& connection : config.connections) {
    // A console is a terminal and a stream connection hears its platform over its own socket:
    // neither has a /hooks route (a POST there is a 404).
    if (connection.adapter == "console" || connection.mode == ConnectionMode::stream) continue;
    routes[connection.name] = WebhookRoute{std::shared_ptr<const ChatAdapter>(make_adapter(connection))};
  }
  return routes;
}

ConfigReloader::ConfigReloader(std::string path, Loader load, BotRuntime& runtime, HttpServer* server)
    : path_(std::move(path)), load_(std::move(load)), runtime_(runtime), server_(server) {}

ReloadResult ConfigReloader::reload() {
  ReloadResult result;
  const auto now_seconds = [] {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  const auto refuse = [&](std::vector<std::string> problems) {
    result.problems = std::move(problems);
    spdlog::error("config: reload refused, {} has {}; still running the config loaded before", path_,
                  count_of(result.problems.size(), "problem"));
    for (const auto& problem : result.problems) spdlog::error("config:   {}", problem);
    runtime_.metrics().count_config_reload(false, now_seconds());
    return result;
  };
  ConfigResult loaded = load_(path_);
  if (!loaded.problems.empty()) {
    std::vector<std::string> problems;
    for (const auto& p : loaded.problems) problems.push_back((p.path.empty() ? "(root)" : p.path) + ": " + p.message);
    return refuse(std::move(problems));
  }
  const auto running = runtime_.config().current();
  // Against the file's own: the packages changed by command are not the file changing.
  result.changes = compare_configs(runtime_.file_config(), *loaded.config);
  if (stream_connections(runtime_.file_config()) != stream_connections(*loaded.config)) {
    result.changes.need_restart.push_back("connections (stream mode)");
  }
  Config next = keep_restart_only(*running, std::move(*loaded.config));
  try {
    // Built before anything changes: a connection the adapters refuse leaves all as it was.
    auto routes = webhook_routes(next);
    runtime_.reconfigure(std::move(next));
    if (server_) server_->replace_routes(std::move(routes));
  } catch (const std::invalid_argument&) {
    // check-config's rules (run by load_) build every adapter already; this is a second guard,
    // and what the adapter said is not repeated: it may quote a secret.
    return refuse({"/connections: an adapter refused its connection's secrets"});
  }
  result.applied = true;
  runtime_.metrics().count_config_reload(true, now_seconds());
  spdlog::info("config: reloaded {}; changed: {}", path_, join_keys(result.changes.applied));
  if (!result.changes.need_restart.empty()) {
    spdlog::warn("config: {} changed in {} but take effect only at a restart; still listening on {}:{}, database {}",
                 join_keys(result.changes.need_restart), path_, running->listen_address, running->listen_port,
                 running->database_path);
  }
  return result;
}

}  // namespace slabot
