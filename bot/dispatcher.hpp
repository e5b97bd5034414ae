#pragma once
// From an inbound message to a reply: the group's registration, who is typing, deduplication,
// the grammar, then the command service. The one MessageHandler every transport uses.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "bot/config_directory.hpp"
#include "bot/message_handler.hpp"
#include "bot/metrics/metrics.hpp"
#include "bot/work_queue.hpp"
#include "commands/command_service.hpp"
#include "commands/parser.hpp"
#include "config/live_config.hpp"

namespace slabot {

class Dispatcher final : public MessageHandler {
 public:
  // `metrics` (optional, must outlive the dispatcher) counts each command by verb and outcome
  // and measures its handling time. Each message is handled on the config as it is when the
  // message is taken up, from start to reply: a reload applies from the next message on.
  // `duty` (optional, must outlive the dispatcher) says who is on duty now; without it, the
  // config's on_duty does.
  Dispatcher(const LiveConfig& config, Store& store, const Clock& clock, CommandHooks hooks = {},
             Metrics* metrics = nullptr, const DutyRoster* duty = nullptr);
  // Waits until every message handed in has been answered (their writes' callbacks use it).
  ~Dispatcher() override;

  // Reads the message on the caller's thread. A command that reads the store first (/show,
  // /list, /close's summary...) is handed to the dispatcher's own threads; anything else is
  // handled here, its store work queued for the writer. Either way it returns without waiting
  // for the store, and `done` may be called before it returns.
  void handle(InboundMessage message, std::function<void(BotReply)> done) override;

  // The person behind a platform user: the staff member it belongs to, or a partner.
  Actor resolve_actor(const InboundMessage& message) const;
  static Actor resolve_actor(const Config& config, const InboundMessage& message);
  // The people the message @-mentions, each resolved as its sender would be (a mention's name
  // stays empty when the platform gives none), once each, in order.
  static std::vector<Actor> resolve_mentions(const Config& config, const InboundMessage& message);

 private:
  // What commands run on, built from one config snapshot and kept as long as a command uses it.
  struct Generation {
    Generation(std::shared_ptr<const Config> snapshot, std::uint64_t number, Store& store, const Clock& clock,
               const CommandHooks& hooks, const DutyRoster& duty);
    std::shared_ptr<const Config> config;
    std::uint64_t number;
    ConfigDirectory directory;
    CommandService commands;
  };
  // The generation for the config as it is now, built anew after a reload.
  std::shared_ptr<Generation> generation();

  const LiveConfig& config_;
  Store& store_;
  const Clock& clock_;
  const CommandHooks hooks_;
  Metrics* metrics_;
  DutyRoster no_changes_;  // the config's on_duty alone, when no roster was given
  const DutyRoster& duty_;
  void handle_now(InboundMessage message, std::shared_ptr<Generation> in_use, ParseResult parsed,
                  std::function<void(BotReply)> done, std::chrono::steady_clock::time_point arrived);

  // Messages handed in and not yet answered; declared before what their callbacks use.
  std::mutex in_flight_mutex_;
  std::condition_variable all_answered_;
  std::size_t in_flight_ = 0;

  std::mutex generation_mutex_;
  std::shared_ptr<Generation> generation_;
  std::unique_ptr<WorkQueue> work_;  // last: stopped first, while the rest still stands
};

}  // namespace slabot
