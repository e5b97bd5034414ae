#pragma once
// From an inbound message to a reply: the group's registration, who is typing, deduplication,
// the grammar, then the command service. The one MessageHandler every transport uses.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "bot/message_handler.hpp"
#include "bot/metrics/metrics.hpp"
#include "bot/work_queue.hpp"
#include "commands/command_service.hpp"
#include "config/config.hpp"

namespace slabot {

// The config's staff and tenants, as the commands layer looks them up.
class ConfigDirectory final : public Directory {
 public:
  explicit ConfigDirectory(const Config& config) : config_(config) {}
  std::optional<Actor> find_staff(const std::string& id_or_name) const override;
  std::optional<Tenant> find_tenant(const std::string& tenant_id) const override;

 private:
  const Config& config_;
};

class Dispatcher final : public MessageHandler {
 public:
  // `metrics` (optional, must outlive the dispatcher) counts each command by verb and outcome
  // and measures its handling time.
  Dispatcher(const Config& config, Store& store, const Clock& clock, CommandHooks hooks = {},
             Metrics* metrics = nullptr);
  // Waits until every message handed in has been answered (their writes' callbacks use it).
  ~Dispatcher() override;

  // Hands the message to the dispatcher's own threads and returns at once.
  void handle(InboundMessage message, std::function<void(BotReply)> done) override;

  // The person behind a platform user: the staff member it belongs to, or a partner.
  Actor resolve_actor(const InboundMessage& message) const;

 private:
  const Config& config_;
  Store& store_;
  Metrics* metrics_;
  void handle_now(InboundMessage message, std::function<void(BotReply)> done,
                  std::chrono::steady_clock::time_point arrived);

  // Messages handed in and not yet answered; declared before what their callbacks use.
  std::mutex in_flight_mutex_;
  std::condition_variable all_answered_;
  std::size_t in_flight_ = 0;

  ConfigDirectory directory_;
  CommandService commands_;
  std::unique_ptr<WorkQueue> work_;  // last: stopped first, while the rest still stands
};

}  // namespace slabot
