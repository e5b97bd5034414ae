#include "report/compute.hpp"

#include <algorithm>
#include <optional>

#include "domain/severity.hpp"

namespace slabot {
namespace {

// The severity a row's detail starts with: "Critical: DB down" (opened), "Critical -> Low"'s
// right side (severity).
std::optional<int> leading_severity(const std::string& text) {
  const auto end = text.find_first_of(": ");
  return parse_severity(std::string_view(text).substr(0, end));
}

// The rung an escalation row climbed to: "/escalate" writes "to TAM[: reason]", the SLA clock
// "...; escalated to TAM" at the end of its detail. 0 when none.
int rung_of(const ReportRow& row) {
  for (int rung = kEscalationManager; rung > kEscalationEngineer; --rung) {
    const std::string name(escalation_rung_name(rung));
    if (row.action == "escalated") {
      const std::string head = "to " + name;
      if (row.detail == head || row.detail.starts_with(head + ":")) return rung;
    } else if (row.detail.ends_with("escalated to " + name)) {
      return rung;
    }
  }
  return 0;
}

// "4/5" or "4/5: quick and clear": the stars and the comment.
std::optional<Rating> parse_rating(const ReportRow& row) {
  const std::string& d = row.detail;
  if (d.size() < 3 || d[0] < '1' || d[0] > '5' || d.compare(1, 2, "/5") != 0) return std::nullopt;
  if (d.size() > 3 && d.compare(3, 2, ": ") != 0) return std::nullopt;
  return Rating{row.ticket, row.at, d[0] - '0', d.size() > 5 ? d.substr(5) : ""};
}

// One ticket's life replayed row by row, judging its response clocks as they end.
class TicketReplay {
 public:
  TicketReplay(Report& report, const SlaPolicy& policy) : report_(report), policy_(policy) {}

  void row(const ReportRow& r) {
    id_ = r.ticket;
    judge_deadline(r.at);
    const bool in_period = r.at >= report_.period.start;
    if (r.action == "opened") {
      severity_ = leading_severity(r.detail).value_or(kLeastSevere);
      const auto colon = r.detail.find(": ");
      title_ = colon == std::string::npos ? "" : r.detail.substr(colon + 2);
      opened_ = r.at;
      state_ = TicketState::open;
      start_clock(r.at);
      if (in_period) {
        ++report_.severities[severity_ - 1].opened;
        ++report_.days[report_.period.day_of(r.at) - 1].opened;
      }
    } else if (r.action == "severity") {
      const auto arrow = r.detail.find("-> ");
      if (arrow != std::string::npos) severity_ = leading_severity(r.detail.substr(arrow + 3)).value_or(severity_);
    } else if (r.action == "acknowledged" || r.action == "resolved") {
      // A resolve with no acknowledgement before it is the response: the clock stops there.
      respond(r.at, in_period);
      if (r.action == "acknowledged" && in_period) ++report_.days[report_.period.day_of(r.at) - 1].acknowledged;
      state_ = r.action == "acknowledged" ? TicketState::acknowledged : TicketState::resolved;
      if (r.action == "resolved") ended_ = Ended{r.at, false};
    } else if (r.action == "closed") {
      if (clock_ && !clock_->judged && in_period) {
        ++report_.severities[severity_ - 1].missed;
        report_.breaches.push_back(Breach{r.ticket, severity_, clock_->started, due(), std::nullopt, true});
      } else if (clock_ && clock_->breach) {
        report_.breaches[*clock_->breach].closed_unanswered = true;
      }
      clock_.reset();
      state_ = TicketState::closed;
      ended_ = Ended{r.at, true};
    } else if (r.action == "reopened") {
      state_ = TicketState::open;
      ended_.reset();
      start_clock(r.at);
    } else if (r.action == "escalated" || r.action.starts_with("sla ")) {
      if (const int rung = rung_of(r)) {
        ++escalations_;
        if (in_period) {
          auto& count = report_.escalations[rung];
          ++(r.action == "escalated" ? count.by_hand : count.automatic);
        }
      }
    } else if (r.action == "ctg") {
      if (in_period) {
        CtgUse use{r.ticket, r.at, r.detail, severity_, policy_.response_limit(severity_)};
        if (!clock_) use.responded_after = last_response_;  // answered before it was asked for
        ctg_uses_.push_back(report_.ctg.size());
        if (clock_) waiting_ctg_.push_back(report_.ctg.size());
        report_.ctg.push_back(std::move(use));
      }
    } else if (r.action == "rated") {
      if (auto rating = parse_rating(r)) rating_ = std::move(rating);
    }
  }

  // The period's end: the last deadline that passed, the ticket's rating and whether it is open.
  void finish() {
    judge_deadline(report_.period.end);
    for (const std::size_t i : ctg_uses_) {
      report_.ctg[i].escalations = escalations_;
      if (ended_) {
        report_.ctg[i].ended = ended_->at;
        report_.ctg[i].closed = ended_->closed;
      }
    }
    if (rating_ && rating_->at >= report_.period.start) report_.ratings.push_back(*rating_);
    if (state_ == TicketState::open || state_ == TicketState::acknowledged) {
      const bool overdue = clock_ && clock_->judged;
      report_.open_at_end.push_back(OpenTicket{id_, severity_, state_, opened_, title_, overdue});
    }
  }

 private:
  struct Clock {
    Timestamp started{};
    bool judged = false;                // its deadline passed (a response ends the clock)
    std::optional<std::size_t> breach;  // its breach in report_.breaches, when judged in the period
  };

  Timestamp due() const { return clock_->started + policy_.response_limit(severity_); }

  void start_clock(Timestamp at) { clock_ = Clock{at}; }

  // A clock's deadline passing before `now` with no response is a breach, judged at the deadline.
  void judge_deadline(Timestamp now) {
    if (!clock_ || clock_->judged) return;
    const Timestamp deadline = due();
    if (deadline >= now) return;
    clock_->judged = true;
    if (deadline < report_.period.start || deadline >= report_.period.end) return;
    ++report_.severities[severity_ - 1].missed;
    report_.breaches.push_back(Breach{id_, severity_, clock_->started, deadline, std::nullopt, false});
    clock_->breach = report_.breaches.size() - 1;
  }

  void respond(Timestamp at, bool in_period) {
    if (!clock_) return;
    const Duration took = at - clock_->started;
    last_response_ = took;
    for (const std::size_t i : waiting_ctg_) report_.ctg[i].responded_after = took;
    waiting_ctg_.clear();
    if (in_period) report_.severities[severity_ - 1].ack_times.push_back(took);
    if (!clock_->judged && in_period) ++report_.severities[severity_ - 1].met;
    if (clock_->breach) report_.breaches[*clock_->breach].took = took;
    clock_.reset();
  }

  Report& report_;
  const SlaPolicy& policy_;
  TicketId id_ = 0;
  int severity_ = kLeastSevere;
  TicketState state_ = TicketState::closed;
  Timestamp opened_{};
  std::string title_;
  std::optional<Clock> clock_;
  std::optional<Rating> rating_;
  // For the CTG uses of this ticket: their places in report_.ctg, those waiting for a response,
  // the last response, the climbs, and how it ended.
  struct Ended {
    Timestamp at{};
    bool closed = false;
  };
  std::vector<std::size_t> ctg_uses_;
  std::vector<std::size_t> waiting_ctg_;
  std::optional<Duration> last_response_;
  int escalations_ = 0;
  std::optional<Ended> ended_;
};

}  // namespace

Report compute_report(const Tenant& tenant, const SlaPolicy& policy, const Period& period,
                      const std::vector<ReportRow>& rows, ServiceFigures services) {
  Report report;
  report.tenant = tenant;
  report.period = period;
  report.days.resize(period.days());
  for (int s = kMostSevere; s <= kLeastSevere; ++s) report.severities[s - 1].limit = policy.response_limit(s);
  report.services = std::move(services);
  std::optional<TicketReplay> replay;
  TicketId current = 0;
  for (const auto& row : rows) {
    if (row.at >= period.end) continue;
    if (!replay || row.ticket != current) {
      if (replay) replay->finish();
      replay.emplace(report, policy);
      current = row.ticket;
    }
    replay->row(row);
  }
  if (replay) replay->finish();
  for (auto& s : report.severities) std::sort(s.ack_times.begin(), s.ack_times.end());
  for (auto& b : report.breaches) b.so_far = period.so_far;
  std::stable_sort(report.breaches.begin(), report.breaches.end(), [](const Breach& a, const Breach& b) {
    return a.due != b.due ? a.due < b.due : a.ticket < b.ticket;
  });
  std::sort(report.ctg.begin(), report.ctg.end(),
            [](const CtgUse& a, const CtgUse& b) { return a.at != b.at ? a.at < b.at : a.ticket < b.ticket; });
  std::sort(report.open_at_end.begin(), report.open_at_end.end(), [](const OpenTicket& a, const OpenTicket& b) {
    return a.severity != b.severity ? a.severity < b.severity : a.ticket < b.ticket;
  });
  return report;
}

}  // namespace slabot
