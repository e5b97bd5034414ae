#pragma once
// Runs parsed commands: the permission checks, the state machine, and the replies.
#include <functional>

#include "commands/chat_context.hpp"
#include "commands/command.hpp"
#include "commands/report_command.hpp"
#include "domain/clock.hpp"
#include "domain/message.hpp"
#include "domain/sla_policy.hpp"
#include "storage/store.hpp"

namespace slabot {

struct EscalationNotices {
  std::vector<OutboxItem> messages;
  std::string to_whom;  // the rung and its people, "TAM: Tom"; empty: the rung's name will do
};

// What the rest of the bot hears from commands. Both are called on the store's writer thread,
// so they must be quick and thread-safe; either may be empty.
struct CommandHooks {
  // A ticket changed durably (the SLA scheduler re-reads its clock).
  std::function<void(const Ticket&)> ticket_changed;
  // The messages an escalation sends (to the ticket's group and the support side), queued in the
  // same transaction as the climb, and whom it reached ("TAM: Tom") for the reply. `ticket` is
  // already at its new rung; `from_channel` ("<connection>:<chat>") is where /escalate was typed:
  // it hears the reply, so no notice goes there (one event, one message per destination).
  std::function<EscalationNotices(const Ticket& ticket, const std::string& reason, Timestamp now,
                                  const std::string& from_channel)>
      escalated;
  // Messages were queued: a write's notices, a dead one queued again (the outbox can send at once).
  std::function<void()> outbox_changed;
  // Someone went on or off duty, durably (the ladder reads duty from now on).
  std::function<void(const DutyChange&)> duty_changed;
  // The service report of a tenant for a month, read on a connection of its own (never the
  // store's writer), on the command's thread; may throw. Empty: /report answers it is not kept here.
  ReportSource report;
  // A ticket went under the Critical Time Guarantee (`by`: who, and why): the notices for the
  // support side, naming the TAM and the service manager; none to `from_channel`.
  std::function<std::vector<OutboxItem>(const Ticket& ticket, const std::string& by, Timestamp now,
                                        const std::string& from_channel)>
      ctg_started;
  // A ticket was closed: its closure summary (in each reader's zone) for its group; none to
  // `from_channel`, whose reply carries it.
  std::function<std::vector<OutboxItem>(const Ticket& ticket, const std::function<std::string(const Zone&)>& summary,
                                        Timestamp now, const std::string& from_channel)>
      closed;
  // A tenant's package was changed by command (the running config takes it up).
  std::function<void()> package_changed;
};

class CommandService {
 public:
  CommandService(Store& store, const Clock& clock, const Directory& directory, SlaPolicies policies = {},
                 CommandHooks hooks = {});

  // Runs `command`; `done` gets the reply once every change it made is durable (possibly on the
  // store's writer thread, so it must be quick).
  void execute(const ChatContext& context, const Command& command, std::function<void(Reply)> done);

  // Answers without a change: queues the text first when the platform takes answers only as
  // outbound messages (context.reply_message).
  void answer(const ChatContext& context, std::string text, std::function<void(Reply)> done);

  // Whether executing `command` reads the store on the calling thread before it writes. Opening
  // a ticket and a ticket's own changes do not (their decisions run on the writer); reads,
  // /close (its summary), ledgers, duty and the outbox do.
  static bool reads_before_writing(const Command& command);

 private:
  void open(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  void change(const ChatContext& context, TicketId id, Mutator decide, std::function<void(Reply)> done);
  // Tells the hooks what a write did: a changed ticket (its SLA clock), queued messages (the outbox).
  void announce(const WriteOutcome& outcome) const;
  Mutator decide(const ChatContext& context, const Command& command, Timestamp now);
  std::string read(const ChatContext& context, const Command& command);
  std::string show(const ChatContext& context, TicketId id);
  std::string list(const ChatContext& context, const Command& command);
  std::string sla(const ChatContext& context, const Command& command);
  std::string whoami(const ChatContext& context) const;
  void duty(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  std::string oncall(const ChatContext& context, const Command& command) const;
  void outbox(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  // Stores a ledger decision (store.hpp) and answers with what it came to.
  void ledger_write(const ChatContext& context, TicketId id, LedgerMutator decide, std::function<void(Reply)> done);

  // What a package promises (entitlement_commands.cpp): /package, /ctg, /done, /entitlements, /rate.
  static bool is_entitlement_verb(Verb verb);
  void entitlement(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  void change_package(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  void guarantee(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  void service_done(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  std::string entitlements(const ChatContext& context, const Command& command);
  Mutator rate(const Command& command, Timestamp now);

  // The customer success engagement (engagement_commands.cpp): /engagement, /milestone,
  // /deliverable and `/report engagement`.
  static bool is_engagement_command(const Command& command);
  void engagement(const ChatContext& context, const Command& command, std::function<void(Reply)> done);
  std::string engagement_text(const Tenant& tenant, const Engagement& engagement, Timestamp now) const;
  std::string engagement_report(const ChatContext& context, const Command& command);

  const SlaPolicy& policy_for(const std::string& tenant_id) const;
  // Whose a ticket is, as a support-side reader needs it named: its tenant's name ("" for a
  // partner's group, where every ticket is the group's own).
  std::string owner_for(const ChatContext& context, const std::string& tenant_id) const;
  // The tenants a read covers: the group's own; for the support side, all, or the one `filter`
  // names (by id or name). Sets `error` for a filter that names no tenant or comes from a group.
  struct Scope {
    std::string tenant_id;  // empty: every tenant
    std::string error;
  };
  Scope read_scope(const ChatContext& context, const std::string& filter) const;
  // The one tenant a read covers: the group's own, or the one the support side must name. When
  // there is none, `error` says why, with `verb`'s usage.
  std::optional<Tenant> one_tenant(const ChatContext& context, const std::string& filter, Verb verb,
                                   std::string& error) const;

  Store& store_;
  const Clock& clock_;
  const Directory& directory_;
  SlaPolicies policies_;
  CommandHooks hooks_;
};

}  // namespace slabot
