#include "bot/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "commands/parser.hpp"

namespace slabot {
namespace {

Actor staff_actor(const StaffMember& member) { return Actor{member.id, member.name, member.role}; }

}  // namespace

std::optional<Actor> ConfigDirectory::find_staff(const std::string& id_or_name) const {
  const auto* member = config_.find_staff(id_or_name);
  if (!member) return std::nullopt;
  return staff_actor(*member);
}

std::optional<Tenant> ConfigDirectory::find_tenant(const std::string& tenant_id) const {
  const auto* tenant = config_.find_tenant(tenant_id);
  if (!tenant) return std::nullopt;
  return *tenant;
}

Dispatcher::Dispatcher(const Config& config, Store& store, const Clock& clock, CommandHooks hooks)
    : config_(config),
      store_(store),
      directory_(config),
      commands_(store, clock, directory_, config.sla, std::move(hooks)) {}

Actor Dispatcher::resolve_actor(const InboundMessage& message) const {
  if (const auto* member = config_.find_staff_by_platform(message.platform, message.user_id)) {
    return staff_actor(*member);
  }
  // Partners are not listed anywhere: their platform identity is their id.
  const std::string name = message.user_name.empty() ? message.user_id : message.user_name;
  return Actor{message.platform + ":" + message.user_id, name, Role::partner};
}

void Dispatcher::handle(InboundMessage message, std::function<void(BotReply)> done) {
  const Channel* channel = config_.find_channel(message.connection, message.chat_id);
  if (!channel) {
    spdlog::info("message from unregistered chat {} on {}", message.chat_id, message.connection);
    done({"this group is not registered", false});
    return;
  }
  auto parsed = parse_command(message.text, config_.bot_name);
  if (std::holds_alternative<NotACommand>(parsed)) {
    done({});
    return;
  }
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    done({error->message + "; usage: " + error->usage, false});
    return;
  }

  ChatContext context;
  context.actor = resolve_actor(message);
  if (!channel->support_side()) {
    const Tenant* tenant = config_.find_tenant(channel->tenant_id);
    if (!tenant) {  // check-config refuses this; never act on a half-known group
      done({"this group is not registered", false});
      return;
    }
    context.tenant = *tenant;
  }
  context.channel = message.connection + ":" + message.chat_id;
  if (!message.event_id.empty()) {
    EventKey key{message.connection, message.event_id};
    // A platform retry of a message already handled: the same answer, nothing changes.
    if (auto earlier = store_.processed_reply(key)) {
      done({*earlier, false});
      return;
    }
    context.event = std::move(key);
  }
  commands_.execute(context, std::get<Command>(parsed), std::move(done));
}

}  // namespace slabot
