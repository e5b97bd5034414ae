#pragma once
// Runs parsed commands: the permission checks, the state machine, and the replies.
#include <functional>

#include "commands/chat_context.hpp"
#include "commands/command.hpp"
#include "domain/clock.hpp"
#include "domain/message.hpp"
#include "domain/sla_policy.hpp"
#include "storage/store.hpp"

namespace slabot {

class CommandService {
 public:
  CommandService(Store& store, const Clock& clock, const StaffDirectory& staff, SlaPolicy policy = {});

  // Runs `command`; `done` gets the reply once every change it made is durable (possibly on the
  // store's writer thread, so it must be quick).
  void execute(const ChatContext& context, const Command& command, std::function<void(Reply)> done);

 private:
  void open(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  void change(const ChatContext& context, TicketId id, Mutator decide, std::function<void(Reply)> done);
  Mutator decide(const ChatContext& context, const Command& command, Timestamp now);
  std::string read(const ChatContext& context, const Command& command);
  std::string show(const ChatContext& context, TicketId id);
  std::string list(const ChatContext& context, const Command& command);
  std::string sla(const ChatContext& context);
  std::string whoami(const ChatContext& context) const;

  Store& store_;
  const Clock& clock_;
  const StaffDirectory& staff_;
  SlaPolicy policy_;
};

}  // namespace slabot
