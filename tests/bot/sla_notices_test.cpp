// Who hears a ticket's notices: the group it was opened in, and the support side's channels that
// cover its tenant and severity; one message per destination, the support side's naming the tenant.
#include "bot/sla/sla_notices.hpp"

#include <catch2/catch.hpp>

#include <set>

#include "domain/sla_clock.hpp"

using namespace slabot;

namespace {

const Timestamp kT0 = from_unix_ms(1795329900000);
const DutyRoster kNoHandOvers;  // duty as the config has it

// Two tenants, each with a group on three platforms, and two support channels: a desk for Acme's
// urgent work only, and one for everything.
Config desk_config() {
  Config c;
  c.tenants = {{"acme", "Acme", Package::premium, "tom"}, {"globex", "Globex", Package::selected, ""}};
  c.staff = {{"erin", "Erin", Role::engineer, {{"slack", "U-ERIN"}}, true},
             {"tom", "Tom", Role::tam, {{"slack", "U-TOM"}}, false}};
  for (const std::string platform : {"slack", "dingtalk", "lark"})
    c.connections.push_back({platform, platform, {}, ""});
  for (const std::string tenant : {"acme", "globex"}) {
    for (const std::string platform : {"slack", "dingtalk", "lark"}) {
      c.channels.push_back({platform, tenant + "-" + platform, tenant});
    }
  }
  Channel acme_desk{"slack", "desk-acme", ""};
  acme_desk.covers = {"acme"};
  acme_desk.lowest_severity = 2;  // Critical and Urgent only
  c.channels.push_back(acme_desk);
  c.channels.push_back({"lark", "desk-all", ""});
  return c;
}

Ticket ticket(const std::string& tenant, int severity, const std::string& origin) {
  Ticket t;
  t.id = 7;
  t.tenant_id = tenant;
  t.severity = severity;
  t.title = "VPN down";
  t.origin = origin;
  t.clock_started_at = kT0;
  t.response_due_at = kT0 + std::chrono::minutes(15);
  t.escalation_level = kEscalationTam;
  return t;
}

std::set<std::string> destinations(const std::vector<OutboxItem>& items) {
  std::set<std::string> out;
  for (const auto& item : items) out.insert(item.message.connection + ":" + item.message.chat_id);
  return out;
}

}  // namespace

TEST_CASE("notices: a warning goes to the group the ticket was opened in, nowhere else") {
  LiveConfig live(desk_config());
  SlaNotices notices(live, kNoHandOvers);
  const SlaPolicy policy;
  const auto items = notices.stage_fired(ticket("acme", 1, "dingtalk:acme-dingtalk"), policy, 500, false, kT0);
  CHECK(destinations(items) == std::set<std::string>{"dingtalk:acme-dingtalk"});
}

TEST_CASE("notices: a climb reaches the origin group and the support channels that cover the tenant and severity") {
  LiveConfig live(desk_config());
  SlaNotices notices(live, kNoHandOvers);
  const SlaPolicy policy;
  const auto critical = notices.stage_fired(ticket("acme", 1, "lark:acme-lark"), policy, kBreachStage, true, kT0);
  CHECK(destinations(critical) == std::set<std::string>{"lark:acme-lark", "slack:desk-acme", "lark:desk-all"});
  // Acme's desk wants Urgent and worse: a High ticket reaches only the desk for everything.
  const auto high = notices.stage_fired(ticket("acme", 3, "lark:acme-lark"), policy, kBreachStage, true, kT0);
  CHECK(destinations(high) == std::set<std::string>{"lark:acme-lark", "lark:desk-all"});
  // Globex is not Acme's desk's to hear.
  const auto globex = notices.stage_fired(ticket("globex", 1, "slack:globex-slack"), policy, kBreachStage, true, kT0);
  CHECK(destinations(globex) == std::set<std::string>{"slack:globex-slack", "lark:desk-all"});
  for (const auto& item : critical) {
    const std::string& text = item.message.text;
    const bool support = item.message.chat_id.starts_with("desk-");
    INFO(text);
    CHECK(text.starts_with(support ? "#7 [Acme] Critical \"VPN down\"" : "#7 Critical \"VPN down\""));
  }
}

TEST_CASE("notices: a ticket whose group is unknown (older, or since removed) reaches every group of its tenant") {
  LiveConfig live(desk_config());
  SlaNotices notices(live, kNoHandOvers);
  const SlaPolicy policy;
  for (const std::string origin : {"", "teams:gone"}) {
    const auto items = notices.stage_fired(ticket("globex", 2, origin), policy, 500, false, kT0);
    CHECK(destinations(items) ==
          std::set<std::string>{"slack:globex-slack", "dingtalk:globex-dingtalk", "lark:globex-lark"});
  }
}

TEST_CASE("notices: /escalate sends nothing to the channel it was typed in, and says whom it reached") {
  LiveConfig live(desk_config());
  SlaNotices notices(live, kNoHandOvers);
  const Ticket t = ticket("acme", 1, "slack:acme-slack");
  const auto from_group = notices.escalated(t, "Pat: no answer", kT0, "slack:acme-slack");
  CHECK(destinations(from_group.messages) == std::set<std::string>{"slack:desk-acme", "lark:desk-all"});
  CHECK(from_group.to_whom == "TAM: Tom");
  const auto from_desk = notices.escalated(t, "Erin", kT0, "lark:desk-all");
  CHECK(destinations(from_desk.messages) == std::set<std::string>{"slack:acme-slack", "slack:desk-acme"});
}

TEST_CASE("notices: the engineers on duty now hear a warning; with none, the TAM does, and the text says why") {
  Config c = desk_config();
  c.staff.push_back({"bob", "Bob", Role::engineer, {{"slack", "U-BOB"}}, false});
  LiveConfig live(c);
  DutyRoster duty;
  SlaNotices notices(live, duty);
  Ticket t = ticket("acme", 1, "slack:acme-slack");
  t.escalation_level = kEscalationEngineer;
  const SlaPolicy policy;
  auto warning = [&] { return notices.stage_fired(t, policy, 0, false, kT0 + std::chrono::minutes(8)).at(0); };
  CHECK(warning().message.text.find("; engineer: Erin") != std::string::npos);
  duty.apply({"bob", true, kT0, "Bob"});
  duty.apply({"erin", false, kT0, "Erin"});
  CHECK(warning().message.text.find("; engineer: Bob") != std::string::npos);
  REQUIRE(warning().message.mentions.size() == 1);
  CHECK(warning().message.mentions[0].user_id == "U-BOB");
  duty.apply({"bob", false, kT0 + std::chrono::minutes(1), "Bob"});
  CHECK(warning().message.text.find("; nobody on duty, so TAM: Tom") != std::string::npos);
  REQUIRE(warning().message.mentions.size() == 1);
  CHECK(warning().message.mentions[0].user_id == "U-TOM");
  // An assignee answers whoever is on duty.
  t.assignee_id = "erin";
  CHECK(warning().message.text.find("; engineer: Erin") != std::string::npos);
}

TEST_CASE("notices: warnings, breach pings and escalations carry buttons; the support side's add Assign to me",
          "[buttons]") {
  LiveConfig live(desk_config());
  SlaNotices notices(live, kNoHandOvers);
  const SlaPolicy policy;
  const std::vector<MessageAction> group{{ActionKind::ack, 7}, {ActionKind::escalate, 7}};
  const std::vector<MessageAction> support{
      {ActionKind::ack, 7}, {ActionKind::escalate, 7}, {ActionKind::assign_to_me, 7}};
  const Ticket t = ticket("acme", 1, "lark:acme-lark");
  const auto warning = notices.stage_fired(t, policy, 500, false, kT0);
  const auto breach = notices.stage_fired(t, policy, kBreachStage, true, kT0);
  const auto escalation = notices.escalated(t, "Pat", kT0, "");
  std::size_t support_copies = 0;
  for (const auto* items : {&warning, &breach, &escalation.messages}) {
    REQUIRE_FALSE(items->empty());
    for (const auto& item : *items) {
      const bool desk = item.message.chat_id.starts_with("desk-");
      support_copies += desk ? 1 : 0;
      INFO(item.message.chat_id);
      CHECK(item.message.actions == (desk ? support : group));
    }
  }
  CHECK(support_copies == 4);  // the breach's and the escalation's, at both desks
  // A closure summary is no call to act.
  const auto closed = notices.closed(
      t, [](const Zone&) { return std::string("summary"); }, kT0, "");
  REQUIRE_FALSE(closed.empty());
  for (const auto& item : closed) CHECK(item.message.actions.empty());
}
