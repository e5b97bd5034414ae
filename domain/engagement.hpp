#pragma once
// A customer success engagement (seed 004): its plan of six milestones counted from the start T,
// and its state, rebuilt from the tenant's append-only log (rows of action "engagement", whose
// details this file writes and reads). One engagement runs per tenant at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contract_year.hpp"
#include "domain/tenant_activity.hpp"
#include "domain/working_days.hpp"

namespace slabot {

inline constexpr std::string_view kEngagementAction = "engagement";
// Seed 004, section 3: the request comes at least 15 working days before the start.
inline constexpr int kLeadWorkingDays = 15;
// Seed 004, section 8: the customer confirms within 5 working days, or it is taken as confirmed.
inline constexpr int kAcceptanceWorkingDays = 5;
// Seed 004, section 4.2: a supplement package is a unit of 50 person-days.
inline constexpr int kPersonDaysPerUnit = 50;

// Standard: one core business scenario, 6 months; premium: three, 9 months.
enum class Edition { standard, premium };
std::string_view edition_name(Edition edition);               // "standard", "premium"
std::optional<Edition> parse_edition(std::string_view text);  // any letter case
int engagement_months(Edition edition);                       // 6, 9

struct MilestonePlan {
  std::string id;                // "1.1" .. "1.6"
  std::string_view work;         // "project preparation"
  std::string_view deliverable;  // "Project Consulting Plan"
  std::optional<Date> from;      // a window's first day (1.5 and 1.6)
  Date due;                      // due by this day (a window's last day)
};

// The six milestones from `start` (T), seed 004 section 6. Standard: 1.1 T+5 days, 1.2 T+1M,
// 1.3 T+2M, 1.4 T+4M, 1.5 and 1.6 within T+2M..T+6M. Premium keeps 1.1..1.3 (preparation,
// research and design come before landing) and stretches the landing by 9/6: 1.4 at T+6M, the
// windows of 1.5 and 1.6 T+2M..T+9M. Months are calendar months, clamped at month ends.
std::vector<MilestonePlan> engagement_plan(Edition edition, Date start);
bool is_milestone_id(std::string_view id);  // "1.1" .. "1.6"

// The monthly comprehensive service report during landing (seed 004, 4.1.3): one due on each
// month's anniversary of T after design ends, T+3M up to the engagement's end.
std::vector<Date> landing_report_days(Edition edition, Date start);
// The engagement's last day: T + 6 or 9 months.
Date engagement_end(Edition edition, Date start);

// --- Log rows (the detail of an "engagement" row; its who and when are the row's own).
std::string start_detail(Edition edition, Date start,
                         const std::string& scenario);  // "start standard 2026-03-02 digital marketing"
// The customer success manager by their platform identity, the one confirm and object are judged
// by, and the name shown: "csm-user hooks:U0WEI Wei Zhang" (`actor_id` has no blank). Rows of
// the older "csm Wei Zhang" kind named a name only; rebuild_engagement reads them as such.
std::string csm_detail(const std::string& actor_id, const std::string& name);
std::string milestone_detail(std::string_view verb, const std::string& id,
                             const std::string& text);  // "done 1.1 kick-off held"
// A submission, with its acceptance window's last day fixed when it is submitted, so a holiday
// added to the calendar later cannot move a window already running:
// "submit until:2026-02-13 1.2 Research report". Rows written before the day was recorded
// ("submit 1.2 Research report") have their window computed with the calendar as it stands.
std::string submit_detail(const std::string& id, Date window_last, const std::string& title);
std::string units_detail(std::string_view verb, int amount,
                         const std::string& note);  // "units add 2", "units use 12 note"
// The verbs milestone_detail takes: done, submit, confirm, object, and the five-day rule's own.
inline constexpr std::string_view kDoneVerb = "done";
inline constexpr std::string_view kSubmitVerb = "submit";
inline constexpr std::string_view kConfirmVerb = "confirm";
inline constexpr std::string_view kObjectVerb = "object";
inline constexpr std::string_view kRuleConfirmVerb = "rule-confirm";
inline constexpr std::string_view kCsmVerb = "csm-user";
inline constexpr std::string_view kCsmByNameVerb = "csm";  // older rows: a name, no identity
inline constexpr std::string_view kCancelVerb = "cancel";  // "cancel <reason>"
inline constexpr std::string_view kUnitsAddVerb = "add";
inline constexpr std::string_view kUnitsUseVerb = "use";

// --- State.
enum class Acceptance { pending, confirmed, objected };
std::string_view acceptance_name(Acceptance acceptance);  // "awaiting acceptance", "confirmed", "objected"

struct Submission {
  std::int64_t seq = 0;  // its log row: names it in reminder keys
  std::string title;
  Timestamp at{};
  std::string by;
  Date window_last{};  // the fifth working day after the day it was submitted, as recorded then
  Timestamp closes{};  // local midnight after `window_last`
  Acceptance state = Acceptance::pending;
  Timestamp decided_at{};
  std::string decided_by;
  std::string reason;
  bool by_rule = false;     // confirmed by the five-day rule, nobody having objected
  bool rule_noted = false;  // the rule's confirmation is in the log (and was announced)
};

struct MilestoneState {
  MilestonePlan plan;
  std::optional<Timestamp> done_at;
  std::string done_by;
  std::string note;
  std::vector<Submission> submissions;  // oldest first; the last is the current one
  const Submission* current() const { return submissions.empty() ? nullptr : &submissions.back(); }
};

struct UnitUse {
  Timestamp at{};
  std::string by;
  int person_days = 0;
  std::string note;
};

struct Engagement {
  std::int64_t id = 0;  // the seq of its start row
  std::string tenant_id;
  Edition edition = Edition::standard;
  Date start{};
  std::string scenario;
  Timestamp started_at{};
  std::string started_by;
  // The customer's success manager: the actor id (a partner's "<connection>:<platform user id>")
  // that alone confirms and objects, and the name shown. Both empty: none named, the tenant's
  // partners accept. A name without an id was named before identities were recorded; a name
  // proves nobody, so nobody accepts (the five-day rule still does) until staff name them again.
  std::string csm_id;
  std::string csm_name;
  bool csm_named_by_name_only() const { return csm_id.empty() && !csm_name.empty(); }
  // The name to show; one named by name only says that staff must name them again.
  std::string csm_shown() const;
  std::vector<MilestoneState> milestones;
  int person_days_bought = 0;
  std::vector<UnitUse> uses;

  // Cancelled by staff: no longer current (a new one may start), no reminders, no rule
  // confirming what was awaiting acceptance then.
  std::optional<Timestamp> cancelled_at;
  std::string cancelled_by;
  std::string cancel_reason;

  int person_days_used() const;
  // Every milestone done and every current deliverable confirmed.
  bool finished() const;
  // Neither finished nor cancelled: the one the group's commands act on.
  bool running() const { return !cancelled_at && !finished(); }
  const MilestoneState* find(std::string_view id) const;
};

// The latest engagement in `rows` (a tenant's "engagement" rows, oldest first), or the one whose
// start row is `id` when it is not 0, as it stands at `now` in the tenant's `zone` and `calendar`:
// a deliverable whose window has closed without an objection is confirmed by the five-day rule,
// whether or not the rule's row is written yet.
std::optional<Engagement> rebuild_engagement(const std::vector<TenantActivity>& rows, const HolidayCalendar& calendar,
                                             const Zone& zone, Timestamp now, std::int64_t id = 0);

// When a deliverable submitted at `at` must be answered: the fifth working day after its day.
Date acceptance_last_day(Timestamp at, const HolidayCalendar& calendar, const Zone& zone);

}  // namespace slabot
