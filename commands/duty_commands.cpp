// /duty and /oncall: who answers first when a ticket waits. Engineers hand the shift over from
// chat; the ladder (bot/sla/ladder) reads the same duty, so a hand-over changes who hears the
// next warning or breach.
#include <algorithm>

#include "commands/command_service.hpp"
#include "commands/usage.hpp"

namespace slabot {
namespace {

std::string names(const std::vector<Actor>& people) {
  std::string out;
  for (const auto& person : people) out += (out.empty() ? "" : ", ") + person.name;
  return out;
}

// "on duty now: Erin, Bob", or who hears first when nobody is.
std::string on_duty_phrase(const std::vector<Actor>& engineers) {
  if (engineers.empty()) return "nobody is on duty now: breach pings go to the TAM";
  return "on duty now: " + names(engineers);
}

bool holds(const std::vector<Actor>& people, const std::string& id) {
  return std::any_of(people.begin(), people.end(), [&](const Actor& a) { return a.id == id; });
}

}  // namespace

void CommandService::duty(const ChatContext& context, const Command& command, std::function<void(Reply)> done) {
  const auto usage = "; usage: " + std::string(usage_of(Verb::duty));
  auto engineers = directory_.on_call("").engineers;
  const Actor& actor = context.actor;
  if (!command.duty_on) {
    if (actor.role != Role::engineer) {
      answer(context,
             "you are " + std::string(role_title(actor.role)) + ": only engineers go on duty; " +
                 on_duty_phrase(engineers),
             std::move(done));
      return;
    }
    const bool on = holds(engineers, actor.id);
    answer(context,
           std::string(on ? "you are on duty" : "you are off duty; /duty on takes the shift") + "; " +
               on_duty_phrase(engineers),
           std::move(done));
    return;
  }
  Actor target = actor;
  if (!command.person.empty()) {
    const auto found = directory_.find_staff(command.person);
    if (!found) {
      answer(context, "no support staff called " + command.person + usage, std::move(done));
      return;
    }
    target = *found;
  }
  if (target.id != actor.id && actor.role != Role::manager && actor.role != Role::admin) {
    answer(context, "only a service manager or an admin changes someone else's duty", std::move(done));
    return;
  }
  if (target.role != Role::engineer) {
    answer(context,
           "only engineers go on duty (the first to hear of a breach); " + target.name + " is " +
               std::string(role_title(target.role)),
           std::move(done));
    return;
  }
  const bool on = *command.duty_on;
  const std::string state = on ? "on duty" : "off duty";
  if (holds(engineers, target.id) == on) {
    answer(context, target.name + " is already " + state + "; " + on_duty_phrase(engineers), std::move(done));
    return;
  }
  if (on) {
    engineers.push_back(target);
  } else {
    std::erase_if(engineers, [&](const Actor& a) { return a.id == target.id; });
  }
  const auto now = clock_.now();
  DutyChange change{target.id, on, now, actor.name};
  WriteContext write{actor.id, actor.name, context.channel, now, context.event, context.reply_message, !context.tenant};
  std::string reply = target.name + " is " + state + "; " + on_duty_phrase(engineers);
  store_.record_duty(change, std::move(write), std::move(reply),
                     [this, change, done = std::move(done)](WriteOutcome outcome) {
                       if (outcome.kind == WriteOutcome::Kind::applied && hooks_.duty_changed) {
                         hooks_.duty_changed(change);
                       }
                       announce(outcome);  // its answer, on a platform that takes answers as messages
                       if (outcome.kind == WriteOutcome::Kind::failed) {
                         done({"could not record that; nothing changed, please try again", true});
                         return;
                       }
                       done({outcome.reply, false});
                     });
}

std::string CommandService::oncall(const ChatContext& context, const Command& command) const {
  const Scope scope = read_scope(context, command.tenant);
  if (!scope.error.empty()) return scope.error + "; usage: " + std::string(usage_of(Verb::oncall));
  const OnCall people = directory_.on_call(scope.tenant_id);
  std::string out = on_duty_phrase(people.engineers);
  if (!scope.tenant_id.empty()) {
    const auto tenant = directory_.find_tenant(scope.tenant_id);
    const std::string whose = tenant && !tenant->name.empty() ? tenant->name : scope.tenant_id;
    out += "; TAM for " + whose + ": " + (people.tams.empty() ? "nobody configured" : names(people.tams));
  }
  out += "; service manager: " + (people.managers.empty() ? "nobody configured" : names(people.managers));
  return out;
}

}  // namespace slabot
