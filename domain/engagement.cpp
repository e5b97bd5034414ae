#include "domain/engagement.hpp"

#include <algorithm>
#include <array>

#include "domain/ascii.hpp"

namespace slabot {
namespace {

using namespace std::chrono;

struct MilestoneRow {
  std::string_view id;
  std::string_view work;
  std::string_view deliverable;
};

// Seed 004, section 6 (the work) and section 8 (the deliverables; 1.1's is the project plan both
// sides confirm in section 5's "project preparation").
constexpr std::array<MilestoneRow, 6> kMilestones{{
    {"1.1", "project preparation", "Project Consulting Plan"},
    {"1.2", "current situation investigation and demand analysis", "Customer Success Research and Analysis Report"},
    {"1.3", "discussion and scheme design", "Customer Success Service Plan"},
    {"1.4", "landing execution planning and monitoring", "Comprehensive Customer Service Report"},
    {"1.5", "knowledge transfer and empowerment promotion", "Digital Transformation Training/Workshop"},
    {"1.6", "continuous improvement and feedback", "Effect Evaluation and Action Improvement Program"},
}};

constexpr int kDesignMonths = 2;  // 1.3 is due T+2M; the landing (and its monthly report) follows

// Before the milestone id in a submit row: the window's last day. An id never starts so, so a
// row without it (written before the day was recorded) is told apart by its second word alone.
constexpr std::string_view kWindowPrefix = "until:";

// "verb rest": the first word and what follows it.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return {text, {}};
  return {text.substr(0, space), text.substr(space + 1)};
}

std::optional<int> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Decides a pending submission by the five-day rule when its window closed before `at`.
void close_by_rule(Submission& s, Timestamp at) {
  if (s.state != Acceptance::pending || at < s.closes) return;
  s.state = Acceptance::confirmed;
  s.by_rule = true;
  s.decided_at = s.closes;
  s.decided_by.clear();
}

}  // namespace

std::string_view edition_name(Edition edition) { return edition == Edition::premium ? "premium" : "standard"; }

std::optional<Edition> parse_edition(std::string_view text) {
  const std::string lower = ascii_lower(text);
  if (lower == "standard") return Edition::standard;
  if (lower == "premium") return Edition::premium;
  return std::nullopt;
}

int engagement_months(Edition edition) { return edition == Edition::premium ? 9 : 6; }

Date engagement_end(Edition edition, Date start) { return add_months(start, engagement_months(edition)); }

std::vector<MilestonePlan> engagement_plan(Edition edition, Date start) {
  const bool premium = edition == Edition::premium;
  const Date design_done = add_months(start, kDesignMonths);
  const Date end = engagement_end(edition, start);
  const std::array<std::optional<Date>, 6> from{std::nullopt, std::nullopt, std::nullopt,
                                                std::nullopt, design_done,  design_done};
  const std::array<Date, 6> due{
      Date{sys_days{start} + days{5}}, add_months(start, 1), design_done, add_months(start, premium ? 6 : 4), end, end};
  std::vector<MilestonePlan> plan;
  for (std::size_t i = 0; i < kMilestones.size(); ++i) {
    plan.push_back({std::string(kMilestones[i].id), kMilestones[i].work, kMilestones[i].deliverable, from[i], due[i]});
  }
  return plan;
}

bool is_milestone_id(std::string_view id) {
  for (const auto& row : kMilestones) {
    if (row.id == id) return true;
  }
  return false;
}

std::vector<Date> landing_report_days(Edition edition, Date start) {
  std::vector<Date> out;
  for (int month = kDesignMonths + 1; month <= engagement_months(edition); ++month)
    out.push_back(add_months(start, month));
  return out;
}

std::string start_detail(Edition edition, Date start, const std::string& scenario) {
  return "start " + std::string(edition_name(edition)) + " " + format_date(start) + " " + scenario;
}

std::string csm_detail(const std::string& actor_id, const std::string& name) {
  return std::string(kCsmVerb) + " " + actor_id + (name.empty() ? "" : " " + name);
}

std::string milestone_detail(std::string_view verb, const std::string& id, const std::string& text) {
  std::string out = std::string(verb) + " " + id;
  if (!text.empty()) out += " " + text;
  return out;
}

std::string submit_detail(const std::string& id, Date window_last, const std::string& title) {
  return std::string(kSubmitVerb) + " " + std::string(kWindowPrefix) + format_date(window_last) + " " + id +
         (title.empty() ? "" : " " + title);
}

std::string units_detail(std::string_view verb, int amount, const std::string& note) {
  std::string out = "units " + std::string(verb) + " " + std::to_string(amount);
  if (!note.empty()) out += " " + note;
  return out;
}

std::string_view acceptance_name(Acceptance acceptance) {
  switch (acceptance) {
    case Acceptance::pending: return "awaiting acceptance";
    case Acceptance::confirmed: return "confirmed";
    case Acceptance::objected: return "objected";
  }
  return "";
}

int Engagement::person_days_used() const {
  int used = 0;
  for (const auto& use : uses) used += use.person_days;
  return used;
}

std::string Engagement::csm_shown() const {
  return csm_named_by_name_only() ? csm_name + " (to be named again by staff: /engagement csm @name)" : csm_name;
}

bool Engagement::finished() const {
  for (const auto& m : milestones) {
    if (!m.done_at) return false;
    if (const Submission* s = m.current(); s && s->state != Acceptance::confirmed) return false;
  }
  return true;
}

const MilestoneState* Engagement::find(std::string_view id) const {
  for (const auto& m : milestones) {
    if (m.plan.id == id) return &m;
  }
  return nullptr;
}

Date acceptance_last_day(Timestamp at, const HolidayCalendar& calendar, const Zone& zone) {
  return add_working_days(local_date(at, zone), kAcceptanceWorkingDays, calendar);
}

std::optional<Engagement> rebuild_engagement(const std::vector<TenantActivity>& rows, const HolidayCalendar& calendar,
                                             const Zone& zone, Timestamp now, std::int64_t id) {
  std::optional<Engagement> e;
  for (const TenantActivity& row : rows) {
    if (row.action != kEngagementAction) continue;
    const auto [verb, rest] = split_word(row.detail);
    if (verb == "start") {
      if (id != 0 && row.seq != id) {
        if (e) break;  // the one asked for ends where the next begins
        continue;
      }
      const auto [edition_word, after] = split_word(rest);
      const auto [date_word, scenario] = split_word(after);
      const auto edition = parse_edition(edition_word);
      const auto start = parse_date(date_word);
      if (!edition || !start) continue;
      e = Engagement{};
      e->id = row.seq;
      e->tenant_id = row.tenant_id;
      e->edition = *edition;
      e->start = *start;
      e->scenario = std::string(scenario);
      e->started_at = row.at;
      e->started_by = row.actor_name;
      for (auto& plan : engagement_plan(*edition, *start)) e->milestones.push_back({std::move(plan), {}, {}, {}, {}});
      continue;
    }
    if (!e) continue;               // rows before any start mean nothing
    if (e->cancelled_at) continue;  // nothing acts on a cancelled engagement
    if (verb == kCancelVerb) {
      e->cancelled_at = row.at;
      e->cancelled_by = row.actor_name;
      e->cancel_reason = std::string(rest);
      continue;
    }
    if (verb == kCsmVerb) {
      const auto [actor_id, name] = split_word(rest);
      e->csm_id = std::string(actor_id);
      e->csm_name = std::string(name.empty() ? actor_id : name);
      continue;
    }
    if (verb == kCsmByNameVerb) {
      e->csm_id.clear();
      e->csm_name = std::string(rest);
      continue;
    }
    if (verb == "units") {
      const auto [which, after] = split_word(rest);
      const auto [amount_word, note] = split_word(after);
      const auto amount = whole_number(amount_word);
      if (!amount) continue;
      if (which == kUnitsAddVerb) e->person_days_bought += *amount * kPersonDaysPerUnit;
      if (which == kUnitsUseVerb) e->uses.push_back({row.at, row.actor_name, *amount, std::string(note)});
      continue;
    }
    // A submission's recorded window (older rows have none and fall back to the calendar).
    std::optional<Date> recorded_last;
    std::string_view after_verb = rest;
    if (verb == kSubmitVerb && rest.starts_with(kWindowPrefix)) {
      const auto [window_word, after] = split_word(rest);
      recorded_last = parse_date(window_word.substr(kWindowPrefix.size()));
      if (!recorded_last) continue;
      after_verb = after;
    }
    const auto [id, text] = split_word(after_verb);
    MilestoneState* m = nullptr;
    for (auto& candidate : e->milestones) {
      if (candidate.plan.id == id) m = &candidate;
    }
    if (!m) continue;
    if (verb == kDoneVerb) {
      m->done_at = row.at;
      m->done_by = row.actor_name;
      m->note = std::string(text);
      continue;
    }
    if (verb == kSubmitVerb) {
      Submission s;
      s.seq = row.seq;
      s.title = std::string(text);
      s.at = row.at;
      s.by = row.actor_name;
      s.window_last = recorded_last.value_or(acceptance_last_day(row.at, calendar, zone));
      s.closes = start_of(Date{sys_days{s.window_last} + days{1}}, zone);
      m->submissions.push_back(std::move(s));
      continue;
    }
    if (m->submissions.empty()) continue;
    Submission& s = m->submissions.back();
    // A decision typed after the window closed came too late: the rule had decided already.
    close_by_rule(s, row.at);
    if (verb == kRuleConfirmVerb) {
      s.rule_noted = true;
      continue;
    }
    if (s.state != Acceptance::pending) continue;
    if (verb == kConfirmVerb || verb == kObjectVerb) {
      s.state = verb == kConfirmVerb ? Acceptance::confirmed : Acceptance::objected;
      s.decided_at = row.at;
      s.decided_by = row.actor_name;
      s.reason = std::string(text);
    }
  }
  if (e) {
    // A window still open when the engagement was cancelled stays undecided.
    const Timestamp until = e->cancelled_at ? std::min(now, *e->cancelled_at) : now;
    for (auto& m : e->milestones) {
      if (!m.submissions.empty()) close_by_rule(m.submissions.back(), until);
    }
  }
  return e;
}

}  // namespace slabot
