// The words a group reads for the SLA clock's stages: never the internal names.
#include "commands/ticket_view.hpp"

#include <catch2/catch.hpp>

#include "domain/sla_clock.hpp"

using namespace slabot;

TEST_CASE("ticket view: SLA stages in the timeline read as words; other actions as recorded") {
  CHECK(action_words("sla warn50") == "SLA warning, 50% of the response time gone");
  CHECK(action_words("sla warn12.5") == "SLA warning, 12.5% of the response time gone");
  CHECK(action_words("sla breach") == "response SLA breached");
  CHECK(action_words("sla repeat-2") == "reminder 2, still no response");
  CHECK(action_words("acknowledged") == "acknowledged");
  CHECK(action_words("sla warnx") == "sla warnx");  // an unknown stage is shown, not hidden
}

TEST_CASE("ticket view: every stage name reads back as its code") {
  for (const int code : {1, 125, 500, 800, 999, kBreachStage, kBreachStage + 1, kBreachStage + 12}) {
    CHECK(parse_stage_name(stage_name(code)) == code);
  }
  for (const char* bad : {"", "warn", "warn0", "warn100", "warn5.", "warn5.12", "repeat-0", "repeat-", "breach2"}) {
    CHECK_FALSE(parse_stage_name(bad).has_value());
  }
}

TEST_CASE("ticket view: the support side's line names the tenant and sub-customer in brackets") {
  Ticket t;
  t.id = 3;
  t.severity = 1;
  t.title = "VPN down";
  t.sub_customer = "shop-42";
  CHECK(ticket_line(t, "Globex") == "#3 [Globex / shop-42] Critical open \"VPN down\"");
  CHECK(ticket_line(t) == "#3 Critical open \"VPN down\" for shop-42");
  t.sub_customer.clear();
  CHECK(whose(t, "Globex") == "[Globex]");
  CHECK(whose(t, "").empty());
}
