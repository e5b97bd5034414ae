#pragma once
// The service summary report of one tenant for one period: what the renderers (md, csv, html)
// print. Everything in it is computed from the activity log's rows (compute.hpp), so the same log
// gives the same report, byte for byte, however often it is run.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/sla_policy.hpp"
#include "domain/tenant.hpp"
#include "domain/ticket.hpp"
#include "report/period.hpp"
#include "report/services.hpp"

namespace slabot {

// One severity's response figures. A response clock (started at opening or a reopen) is judged
// once: met when acknowledged within its limit, missed when its deadline passes first (or it is
// closed without a response); it counts in the period it was judged in.
struct SeverityFigures {
  int opened = 0;                   // tickets opened in the period at this severity
  std::vector<Duration> ack_times;  // each response in the period, ascending
  Duration limit{};                 // the package's response limit
  int met = 0;
  int missed = 0;

  std::optional<Duration> median() const;
  std::optional<Duration> p90() const;  // nearest rank
  std::optional<Duration> worst() const;
};

// A response clock whose deadline passed with no response.
struct Breach {
  TicketId ticket = 0;
  int severity = 5;
  Timestamp clock_started{};
  Timestamp due{};
  // How it stood at the period's end: acknowledged after `took`, closed without a response, or
  // still waiting (neither).
  std::optional<Duration> took;
  bool closed_unanswered = false;
  bool so_far = false;  // the month is not over: "no response yet"
};

struct EscalationCount {
  int by_hand = 0;    // /escalate
  int automatic = 0;  // the SLA clock's breach or repeat climbing the ladder
};

// A use of the Critical Time Guarantee and what came of it by the period's end: the
// Critical Time Guarantee report Flagship's package promises, one line a use.
struct CtgUse {
  TicketId ticket = 0;
  Timestamp at{};
  std::string reason;
  int severity = 5;  // when it was asked for
  Duration limit{};  // that severity's response limit
  // The response of the clock running when it was asked for (or of the one before, when the
  // ticket had been answered already); none when no response came by the period's end.
  std::optional<Duration> responded_after;
  int escalations = 0;             // the ticket's climbs up the ladder, by hand or by the clock, by the period's end
  std::optional<Timestamp> ended;  // resolved or closed last, by the period's end (none: still active)
  bool closed = false;             // `ended` by closing, not resolving

  bool met() const { return responded_after && *responded_after <= limit; }
};

struct Rating {
  TicketId ticket = 0;
  Timestamp at{};
  int stars = 0;  // 1..5
  std::string comment;
};

// A ticket still open or acknowledged when the period ended.
struct OpenTicket {
  TicketId ticket = 0;
  int severity = 5;
  TicketState state = TicketState::open;
  Timestamp opened{};
  std::string title;
  bool overdue = false;  // waiting for a response past its deadline at the period's end
};

struct DayFigures {
  int opened = 0;
  int acknowledged = 0;
};

struct Report {
  Tenant tenant;
  Period period;
  std::array<SeverityFigures, 5> severities;  // index: severity - 1
  std::vector<Breach> breaches;               // by deadline
  // By rung climbed to: index 1 the TAM, 2 the service manager (0 unused: nobody climbs to it).
  std::array<EscalationCount, 3> escalations;
  std::vector<CtgUse> ctg;
  std::vector<Rating> ratings;          // the latest of each ticket, made in the period, by ticket
  std::vector<OpenTicket> open_at_end;  // most severe first, then by id
  std::vector<DayFigures> days;         // index: local day - 1
  ServiceFigures services;              // health checks and consulting (services.hpp)

  int opened() const;
  int met() const;
  int missed() const;
};

// "91.7%" for 11 of 12 (tenths, rounded half up); "-" for none judged.
std::string percent(int part, int whole);

}  // namespace slabot
