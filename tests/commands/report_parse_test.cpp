// `/report [YYYY-MM] [tenant|all]`: the month and the tenant in either order; one of each.
#include <catch2/catch.hpp>

#include <variant>

#include "commands/parser.hpp"

using namespace slabot;

namespace {

ParseResult parse(const std::string& text) { return parse_command(text, "slabot"); }

}  // namespace

TEST_CASE("/report takes a month and a tenant, each optional, in either order") {
  const auto bare = std::get<Command>(parse("/report"));
  CHECK(bare.verb == Verb::report);
  CHECK(bare.text.empty());
  CHECK(bare.tenant.empty());
  const auto both = std::get<Command>(parse("/report globex 2026-11"));
  CHECK(both.text == "2026-11");
  CHECK(both.tenant == "globex");
  const auto ticket_form = std::get<Command>(parse("/ticket report 2026-11 all"));
  CHECK(ticket_form.text == "2026-11");
  CHECK(ticket_form.tenant == "all");
  // The month's own checks are the service's (it knows the tenant's zone): any word starting
  // with a digit is taken for one.
  CHECK(std::get<Command>(parse("/report 2026-13")).text == "2026-13");
}

TEST_CASE("/report with two months or two tenants gets the usage") {
  const auto months = std::get<ParseError>(parse("/report 2026-11 2026-10"));
  CHECK(months.message == "report takes one month");
  CHECK(months.usage == "/report [YYYY-MM] [tenant|all]");
  CHECK(std::get<ParseError>(parse("/report acme globex")).message == "report takes one tenant");
  CHECK(std::get<ParseError>(parse("/report \"2026-11")).message == "unterminated quote");
  CHECK(std::get<ParseError>(parse("/report engagement acme globex")).message == "report engagement takes one tenant");
}

TEST_CASE("/report engagement asks for the engagement report, of a tenant the support side names") {
  const auto own = std::get<Command>(parse("/report Engagement"));
  CHECK(own.step == EngagementStep::report);
  CHECK(own.tenant.empty());
  const auto named = std::get<Command>(parse("/report engagement acme"));
  CHECK(named.step == EngagementStep::report);
  CHECK(named.tenant == "acme");
  // A month and a tenant as before.
  CHECK(std::get<Command>(parse("/report 2026-11 acme")).step == EngagementStep::none);
}
