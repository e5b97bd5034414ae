#pragma once
// The words after /engagement, /milestone and /deliverable (usage.cpp has their usage lines):
//   /engagement                                        the plan and its state
//   /engagement start standard|premium <scenario...> [at:YYYY-MM-DD]
//   /engagement csm @person        (the person is whom the platform says was mentioned)
//   /engagement units add <n>  |  /engagement units use <n> [note]
//   /engagement cancel <reason>
//   /milestone done <1.x> [note]
//   /deliverable submit <1.x> <title>  |  /deliverable confirm|object <1.x> [reason]
#include <optional>
#include <string>
#include <string_view>

#include "commands/command.hpp"

namespace slabot {

// Fills `command` (its verb already set) from `words`, the folded text after the command word;
// what was wrong, in a few words, or nullopt.
std::optional<std::string> parse_engagement_words(std::string_view words, Command& command);

}  // namespace slabot
