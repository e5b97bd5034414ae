#pragma once
// SIGHUP: read the config file again and apply what can change while serve runs.
//
// The new file is checked first, as check-config checks it, and its adapters are built: a file
// with a problem is refused whole, its problems logged, and the running config stays. Otherwise
// the runtime (commands, SLA stages, the outbox) and the server's webhook routes switch to it
// between requests: what is in hand finishes on the config it began with, nothing is dropped.
// listen, database and http were fixed at start: a change to them is named in the log as
// needing a restart, and the running values stay.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bot/http/http_server.hpp"
#include "bot/runtime.hpp"
#include "config/config_changes.hpp"
#include "config/loader.hpp"

namespace slabot {

// Every connection's inbound route (its adapter), console and stream connections aside: a
// terminal is not a webhook, and a stream connection's messages come over its own socket. Throws std::invalid_argument
// as make_adapter does for unusable secrets.
std::map<std::string, WebhookRoute> webhook_routes(const Config& config);

struct ReloadResult {
  bool applied = false;
  ConfigChanges changes;              // when applied
  std::vector<std::string> problems;  // when refused: "<path>: <message>", never a secret
};

class ConfigReloader {
 public:
  using Loader = std::function<ConfigResult(const std::string& path)>;
  // `server` may be null (no webhook routes to replace). Everything given must outlive this.
  ConfigReloader(std::string path, Loader load, BotRuntime& runtime, HttpServer* server);

  // Reads the file and applies it, or refuses it; logs one line either way (and a warning
  // naming the keys that wait for a restart). Call from one thread at a time.
  ReloadResult reload();

 private:
  std::string path_;
  Loader load_;
  BotRuntime& runtime_;
  HttpServer* server_;
};

}  // namespace slabot
