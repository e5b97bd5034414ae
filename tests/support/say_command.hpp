#pragma once
// Types a chat line to a CommandService as the dispatcher would, and waits for the answer: a
// malformed command reads as the dispatcher answers it (what was wrong, then the usage).
#include <catch2/catch.hpp>

#include <future>
#include <optional>
#include <string>

#include "commands/command_service.hpp"
#include "commands/parser.hpp"

namespace slabot::testing {

// `mentioned`: whom the platform says the message @-mentions.
inline std::string say_command(CommandService& service, const Actor& who, const std::optional<Tenant>& tenant,
                               const std::string& text, std::vector<Actor> mentioned = {}) {
  auto parsed = parse_command(text, "slabot");
  if (const auto* error = std::get_if<ParseError>(&parsed)) return error->message + "; usage: " + error->usage;
  REQUIRE(std::holds_alternative<Command>(parsed));
  ChatContext context{who, tenant, "hooks:" + (tenant ? tenant->id : std::string("support")), std::nullopt};
  context.mentioned = std::move(mentioned);
  std::promise<Reply> promise;
  service.execute(context, std::get<Command>(parsed), [&](Reply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

}  // namespace slabot::testing
