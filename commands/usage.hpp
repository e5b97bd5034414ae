#pragma once
// What each command is called and how it is typed: the one place help text and errors read from.
#include <optional>
#include <string>
#include <string_view>

#include "commands/command.hpp"

namespace slabot {

// What unknown commands point to.
inline constexpr std::string_view kHelpUsage = "/help";

// The canonical name, as typed after the slash: "ack".
std::string_view verb_name(Verb verb);

// One line: "/ack <id>".
std::string_view usage_of(Verb verb);

// One short sentence: "Acknowledge a ticket and stop its response clock".
std::string_view summary_of(Verb verb);

// One command's help line, in plain ASCII: "/ack <id> - Acknowledge a ticket and stop its response clock".
std::string help_line(Verb verb);

// Every command's help_line, one per line, after one line on the /ticket form.
std::string help_text();

// The verb for a name or one of its few aliases ("acknowledge", "severity", "comment"),
// case-insensitively; nullopt for anything else.
std::optional<Verb> verb_from_name(std::string_view name);

}  // namespace slabot
