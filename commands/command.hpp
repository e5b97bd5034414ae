#pragma once
// A chat message parsed into one of the bot's commands.
#include <optional>
#include <string>
#include <variant>

#include "domain/ticket.hpp"

namespace slabot {

enum class Verb { open, ack, assign, escalate, sev, note, resolve, close, reopen, show, list, sla, whoami, help };

enum class ListScope { open, mine, all };

struct Command {
  Verb verb = Verb::help;
  TicketId id = 0;           // ack, assign, escalate, sev, note, resolve, close, reopen, show
  int severity = 0;          // open, sev; for list: 0 = any
  std::string title;         // open
  std::string sub_customer;  // open: the `for:<name>` label
  std::string person;        // assign: as typed, without a leading '@'
  std::string text;          // escalate reason, note text, resolve summary, reopen reason; help topic
  ListScope scope = ListScope::open;  // list
};

// Not addressed to the bot (plain chat): no answer at all.
struct NotACommand {};

// Malformed: one line saying what was wrong, and the right usage.
struct ParseError {
  std::string message;  // "ticket id must be a number like #12"
  std::string usage;    // "/ack <id>"
};

using ParseResult = std::variant<NotACommand, Command, ParseError>;

}  // namespace slabot
