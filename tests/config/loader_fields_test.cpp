// The fields added after the first loader: designated TAMs, on-duty staff, rate limits, per-group
// webhooks, per-package SLA policies, outbox and http settings, and the adapter's own connection
// check.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"

using namespace slabot;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kSecret = "hunter2-Zq9";  // what must never show up in a message

AdapterRules rules() {
  AdapterRules rules;
  rules.known = {"console", "generic"};
  rules.required_secrets = [](const std::string& adapter) {
    return adapter == "generic" ? std::vector<std::string>{"secret"} : std::vector<std::string>{};
  };
  return rules;
}

EnvLookup env(std::map<std::string, std::string> vars = {{"SLABOT_GENERIC_SECRET", kSecret}}) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Valid, without any of the new fields: tests add one at a time.
json valid() {
  return json::parse(R"({
    "listen": "127.0.0.1:8080",
    "database": "slabot.db",
    "tenants": [
      {"id": "acme", "name": "Acme", "package": "premium"},
      {"id": "initech", "name": "Initech", "package": "selected"}
    ],
    "staff": [
      {"id": "alice", "name": "Alice Wang", "role": "tam"},
      {"id": "wei", "name": "Wei Zhang", "role": "engineer"},
      {"id": "marco", "name": "Marco Rossi", "role": "manager"}
    ],
    "connections": [
      {"name": "hooks", "adapter": "generic", "secrets": {"secret": "${SLABOT_GENERIC_SECRET}"}},
      {"name": "local", "adapter": "console"}
    ],
    "channels": [
      {"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"},
      {"connection": "hooks", "chat_id": "support", "support": true}
    ]
  })");
}

ConfigResult parse(const json& document, const AdapterRules& with = rules(), const EnvLookup& lookup = env()) {
  return parse_config(document.dump(), with, lookup);
}

Config parse_ok(const json& document) {
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  REQUIRE(result.problems.empty());
  REQUIRE(result.config.has_value());
  return *result.config;
}

bool has_problem(const ConfigResult& result, const std::string& path, const std::string& fragment = "") {
  for (const auto& problem : result.problems) {
    if (problem.path == path && problem.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// Refused with this problem (and, when `only`, no other).
void expect_problem(const json& document, const std::string& path, const std::string& fragment = "",
                    bool only = false) {
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, path, fragment));
  if (only) CHECK(result.problems.size() == 1);
}

}  // namespace

TEST_CASE("without the new fields, the defaults hold") {
  Config config = parse_ok(valid());
  CHECK(config.tenants[0].tam_id.empty());
  CHECK_FALSE(config.staff[1].on_duty);
  CHECK_FALSE(config.connections[0].rate_limit.has_value());
  CHECK(config.channels[0].outbound_url.empty());
  const SlaPolicy defaults;
  for (Package package : {Package::selected, Package::premium, Package::elite, Package::flagship}) {
    CHECK(config.sla.for_package(package).response_limits == defaults.response_limits);
    CHECK(config.sla.for_package(package).warn_at == defaults.warn_at);
    CHECK_FALSE(config.sla.for_package(package).repeat_every.has_value());
  }
  const OutboxSettings outbox;
  CHECK(config.outbox.max_attempts == outbox.max_attempts);
  CHECK(config.outbox.max_age == outbox.max_age);
  CHECK(config.outbox.first_retry == outbox.first_retry);
  CHECK(config.outbox.max_retry == outbox.max_retry);
}

TEST_CASE("the new top-level keys are known, and near misses are suggested") {
  json document = valid();
  document["package"] = json::object();
  expect_problem(document, "/package", "did you mean \"packages\"", true);
  document = valid();
  document["outbx"] = json::object();
  expect_problem(document, "/outbx", "did you mean \"outbox\"", true);
}

// ---- tenants[].tam -----------------------------------------------------------------------------

TEST_CASE("a tenant's tam names a staff member with role tam, after the staff are read") {
  json document = valid();
  document["tenants"][0]["tam"] = "alice";
  CHECK(parse_ok(document).tenants[0].tam_id == "alice");
  // Staff ids ignore case, as find_staff does; the id is kept as the staff list spells it.
  document["tenants"][0]["tam"] = "ALICE";
  CHECK(parse_ok(document).tenants[0].tam_id == "alice");
  document["tenants"][0]["tam"] = "${ACME_TAM}";
  ConfigResult result = parse(document, rules(), env({{"SLABOT_GENERIC_SECRET", "s"}, {"ACME_TAM", "alice"}}));
  REQUIRE(result.config.has_value());
  CHECK(result.config->tenants[0].tam_id == "alice");
  for (const char* package : {"elite", "flagship"}) {
    document["tenants"][0]["package"] = package;
    document["tenants"][0]["tam"] = "alice";
    CHECK(parse_ok(document).tenants[0].tam_id == "alice");
  }
}

TEST_CASE("a tam that is nobody, or not a tam, is reported at the tenant") {
  json document = valid();
  document["tenants"][0]["tam"] = "bob";
  expect_problem(document, "/tenants/0/tam", "no staff member with id \"bob\"", true);
  document["tenants"][0]["tam"] = "Alice Wang";  // a name is not an id
  expect_problem(document, "/tenants/0/tam", "no staff member with id \"Alice Wang\"", true);
  document["tenants"][0]["tam"] = "wei";
  expect_problem(document, "/tenants/0/tam", "\"wei\" is an engineer, not a tam", true);
  document["tenants"][0]["tam"] = "marco";
  expect_problem(document, "/tenants/0/tam", "\"marco\" is a manager, not a tam", true);
  document["tenants"][0]["tam"] = "";
  expect_problem(document, "/tenants/0/tam", "must not be empty", true);
  document["tenants"][0]["tam"] = 7;
  expect_problem(document, "/tenants/0/tam", "must be a string, not a number", true);
  document["tenants"][0].erase("tam");
  document["tenants"][0]["tams"] = "alice";
  expect_problem(document, "/tenants/0/tams", "did you mean \"tam\"", true);
}

TEST_CASE("a selected tenant is served by the TAM pool, so it has no tam") {
  json document = valid();
  document["tenants"][1]["tam"] = "alice";
  expect_problem(document, "/tenants/1/tam", "selected tenants are served by the TAM pool", true);
  document["tenants"][1]["package"] = "Selected";
  expect_problem(document, "/tenants/1/tam", "selected tenants are served by the TAM pool", true);
}

TEST_CASE("a tam whose own entry is faulty is reported once") {
  json document = valid();
  document["tenants"][0]["tam"] = "alice";
  document["staff"][0]["role"] = "tma";
  expect_problem(document, "/staff/0/role", "unknown role", true);
  // An unknown package: the reference is still checked.
  document = valid();
  document["tenants"][0]["package"] = "gold";
  document["tenants"][0]["tam"] = "wei";
  ConfigResult result = parse(document);
  CHECK(result.problems.size() == 2);
  CHECK(has_problem(result, "/tenants/0/tam", "is an engineer"));
}

// ---- staff[].on_duty ---------------------------------------------------------------------------

TEST_CASE("on_duty is an optional boolean, for engineers") {
  json document = valid();
  document["staff"][1]["on_duty"] = true;
  document["staff"][0]["on_duty"] = false;  // off duty is true of anyone
  Config config = parse_ok(document);
  CHECK(config.staff[1].on_duty);
  CHECK_FALSE(config.staff[0].on_duty);
  CHECK_FALSE(config.staff[2].on_duty);
  document["staff"][1]["on_duty"] = "yes";
  expect_problem(document, "/staff/1/on_duty", "must be a boolean, not a string", true);
  document = valid();
  document["staff"][0]["on_duty"] = true;
  expect_problem(document, "/staff/0/on_duty", "only engineers go on duty", true);
  document["staff"][0]["role"] = "boss";  // the role's own problem is enough
  expect_problem(document, "/staff/0/role", "unknown role", true);
  document = valid();
  document["staff"][1]["onduty"] = true;
  expect_problem(document, "/staff/1/onduty", "did you mean \"on_duty\"", true);
}

// ---- connections[].rate_limit ------------------------------------------------------------------

TEST_CASE("a connection's rate_limit is a positive count per duration") {
  json document = valid();
  document["connections"][1]["rate_limit"] = {{"messages", 20}, {"per", "1m"}};
  Config config = parse_ok(document);
  REQUIRE(config.connections[1].rate_limit.has_value());
  CHECK(config.connections[1].rate_limit->messages == 20);
  CHECK(config.connections[1].rate_limit->per == Duration(1min));
  CHECK_FALSE(config.connections[1].rate_limit->unlimited());
  CHECK_FALSE(config.connections[0].rate_limit.has_value());
  document["connections"][1]["rate_limit"] = {{"messages", 2147483647}, {"per", "${WINDOW}"}};
  ConfigResult result = parse(document, rules(), env({{"SLABOT_GENERIC_SECRET", "s"}, {"WINDOW", "1h30m"}}));
  REQUIRE(result.config.has_value());
  CHECK(result.config->connections[1].rate_limit->per == Duration(90min));
}

TEST_CASE("a faulty rate_limit is reported at its part") {
  const std::string path = "/connections/1/rate_limit";
  json document = valid();
  document["connections"][1]["rate_limit"] = "20/m";
  expect_problem(document, path, "must be an object, not a string", true);
  document["connections"][1]["rate_limit"] = {{"per", "1m"}};
  expect_problem(document, path + "/messages", "missing required key", true);
  document["connections"][1]["rate_limit"] = {{"messages", 5}};
  expect_problem(document, path + "/per", "missing required key", true);
  for (const json& bad : {json(0), json(-3), json(2.5), json(5.0), json(1e3)}) {
    INFO(bad.dump());
    document["connections"][1]["rate_limit"] = {{"messages", bad}, {"per", "1m"}};
    expect_problem(document, path + "/messages", "must be a whole number, at least 1", true);
  }
  document["connections"][1]["rate_limit"] = {{"messages", 2147483648LL}, {"per", "1m"}};
  expect_problem(document, path + "/messages", "must be at most 2147483647", true);
  document["connections"][1]["rate_limit"] = {{"messages", "20"}, {"per", "1m"}};
  expect_problem(document, path + "/messages", "must be a number, not a string", true);
  for (const char* bad : {"0m", "fast", "1 m", "60"}) {
    INFO(bad);
    document["connections"][1]["rate_limit"] = {{"messages", 5}, {"per", bad}};
    expect_problem(document, path + "/per", "bad duration \"" + std::string(bad) + "\"", true);
  }
  document["connections"][1]["rate_limit"] = {{"messages", 5}, {"per", 60}};
  expect_problem(document, path + "/per", "must be a duration string such as \"15m\"", true);
  document["connections"][1]["rate_limit"] = {{"messages", 5}, {"per", "1m"}, {"burst", 10}};
  expect_problem(document, path + "/burst", "allowed here: messages, per", true);
}

// ---- channels[].outbound_url -------------------------------------------------------------------

TEST_CASE("a channel may have its own http(s) outbound_url, never quoted in messages") {
  json document = valid();
  document["channels"][0]["outbound_url"] = "https://oapi.example.com/robot/send?access_token=${ACME_ROBOT}";
  ConfigResult result = parse(document, rules(), env({{"SLABOT_GENERIC_SECRET", "s"}, {"ACME_ROBOT", "tok123"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  CHECK(result.config->channels[0].outbound_url == "https://oapi.example.com/robot/send?access_token=tok123");
  CHECK(result.config->channels[1].outbound_url.empty());
  // The HTTP client's own parser decides: what check-config accepts, the outbox can send to.
  for (const char* bad : {"ftp://robot?token=hunter2-url", "robot.example.com/send", "https://", "",
                          "https://user:hunter2@robot.example.com/send", "https://robot example.com/hunter2",
                          "https://robot.example.com:99999/hunter2", "https://[::1/hunter2",
                          "robot.example/send?token=hunter2&next=https://x"}) {
    INFO(bad);
    document["channels"][0]["outbound_url"] = bad;
    ConfigResult refused = parse(document);
    CHECK(refused.problems.size() == 1);
    CHECK(
        has_problem(refused, "/channels/0/outbound_url", "must be an absolute http:// or https:// URL naming a host"));
    CHECK(format_problems(refused.problems).find("hunter2") == std::string::npos);
  }
  document["channels"][0]["outbound_url"] = json::array();
  expect_problem(document, "/channels/0/outbound_url", "must be a string, not an array", true);
}

// ---- packages ----------------------------------------------------------------------------------

TEST_CASE("packages override response limits, warnings and repeats; the rest keeps the defaults") {
  json document = valid();
  document["packages"] = json::parse(R"({
    "Premium": {"response": {"critical": "10m", "sev2": "30m", "LOW": "1d"}, "warn_at": [0.25, 0.5, 0.9],
                "repeat_every": "15m"},
    "elite": {"warn_at": []},
    "flagship": {}
  })");
  Config config = parse_ok(document);
  const SlaPolicy defaults;
  const SlaPolicy& premium = config.sla.for_package(Package::premium);
  CHECK(premium.response_limit(1) == Duration(10min));
  CHECK(premium.response_limit(2) == Duration(30min));
  CHECK(premium.response_limit(3) == defaults.response_limit(3));
  CHECK(premium.response_limit(4) == defaults.response_limit(4));
  CHECK(premium.response_limit(5) == Duration(24h));
  CHECK(premium.warn_at == std::vector<double>{0.25, 0.5, 0.9});
  CHECK(premium.repeat_every == std::optional<Duration>(15min));
  const SlaPolicy& elite = config.sla.for_package(Package::elite);
  CHECK(elite.warn_at.empty());  // no warnings, only the breach
  CHECK(elite.response_limits == defaults.response_limits);
  CHECK_FALSE(elite.repeat_every.has_value());
  for (Package package : {Package::selected, Package::flagship}) {
    CHECK(config.sla.for_package(package).response_limits == defaults.response_limits);
    CHECK(config.sla.for_package(package).warn_at == defaults.warn_at);
  }
}

TEST_CASE("packages: unknown or repeated package names are reported") {
  json document = valid();
  document["packages"] = json::array();
  expect_problem(document, "/packages", "must be an object, not an array", true);
  document["packages"] = {{"gold", json::object()}};
  expect_problem(document, "/packages/gold", "unknown package \"gold\" (one of: selected, premium, elite, flagship)",
                 true);
  document["packages"] = {{"Premium", json::object()}, {"premium", json::object()}};
  expect_problem(document, "/packages/premium", "the same package as /packages/Premium", true);
  document["packages"] = {{"premium", "fast"}};
  expect_problem(document, "/packages/premium", "must be an object, not a string", true);
  document["packages"] = {{"premium", {{"warnat", json::array()}}}};
  expect_problem(document, "/packages/premium/warnat", "did you mean \"warn_at\"", true);
}

TEST_CASE("packages: response limits are positive durations per known severity") {
  const std::string path = "/packages/elite/response";
  json document = valid();
  document["packages"]["elite"]["response"] = "15m";
  expect_problem(document, path, "must be an object, not a string", true);
  for (const char* key : {"severe", "1", "sev6", "sev0", ""}) {
    INFO(key);
    document["packages"]["elite"]["response"] = {{key, "15m"}};
    expect_problem(document, path + "/" + key, "unknown severity", true);
  }
  document["packages"]["elite"]["response"] = {{"critical", "10m"}, {"sev1", "12m"}};
  expect_problem(document, path + "/sev1", "the same severity as " + path + "/critical", true);
  for (const json& bad : {json("0m"), json("15 min"), json("-5m"), json(""), json(true)}) {
    INFO(bad.dump());
    document["packages"]["elite"]["response"] = {{"urgent", bad}};
    expect_problem(document, path + "/urgent", "", true);
  }
  document["packages"]["elite"]["response"] = {{"urgent", "0m"}};
  expect_problem(document, path + "/urgent", "bad duration \"0m\"", true);
  document["packages"]["elite"]["response"] = {{"urgent", 40}};
  expect_problem(document, path + "/urgent", "must be a duration string", true);
}

TEST_CASE("packages: warn_at is ascending unique fractions strictly between 0 and 1") {
  const std::string path = "/packages/selected/warn_at";
  json document = valid();
  document["packages"]["selected"]["warn_at"] = 0.5;
  expect_problem(document, path, "must be an array of fractions", true);
  document["packages"]["selected"]["warn_at"] = {0, 0.5};
  expect_problem(document, path + "/0", "more than 0 and less than 1", true);
  document["packages"]["selected"]["warn_at"] = {0.5, 1};
  expect_problem(document, path + "/1", "more than 0 and less than 1", true);
  document["packages"]["selected"]["warn_at"] = {0.5, 1.5, -0.1};
  ConfigResult result = parse(document);
  CHECK(result.problems.size() == 2);
  document["packages"]["selected"]["warn_at"] = {0.8, 0.5};
  expect_problem(document, path + "/1", "must be greater than 0.8", true);
  document["packages"]["selected"]["warn_at"] = {0.5, 0.5};
  expect_problem(document, path + "/1", "must be greater than 0.5", true);
  document["packages"]["selected"]["warn_at"] = {0.5, 0.9, 0.6, 0.7};  // each against the largest so far
  result = parse(document);
  CHECK(result.problems.size() == 2);
  CHECK(has_problem(result, path + "/2", "must be greater than 0.9"));
  CHECK(has_problem(result, path + "/3", "must be greater than 0.9"));
  document["packages"]["selected"]["warn_at"] = {"50%"};
  expect_problem(document, path + "/0", "must be a number, not a string", true);
}

TEST_CASE("packages: repeat_every is a positive duration") {
  json document = valid();
  document["packages"]["flagship"]["repeat_every"] = "0s";
  expect_problem(document, "/packages/flagship/repeat_every", "bad duration", true);
  document["packages"]["flagship"]["repeat_every"] = "2h";
  CHECK(parse_ok(document).sla.for_package(Package::flagship).repeat_every == std::optional<Duration>(2h));
}

// ---- outbox ------------------------------------------------------------------------------------

TEST_CASE("outbox settings override the defaults") {
  json document = valid();
  document["outbox"] = {{"max_attempts", 5}, {"max_age", "6h"}, {"first_retry", "5s"}, {"max_retry", "5s"}};
  Config config = parse_ok(document);
  CHECK(config.outbox.max_attempts == 5);
  CHECK(config.outbox.max_age == Duration(6h));
  CHECK(config.outbox.first_retry == Duration(5s));
  CHECK(config.outbox.max_retry == Duration(5s));  // equal is fine
  document["outbox"] = {{"max_retry", "1h"}};
  config = parse_ok(document);
  CHECK(config.outbox.max_retry == Duration(1h));
  CHECK(config.outbox.first_retry == OutboxSettings{}.first_retry);
  CHECK(config.outbox.max_attempts == OutboxSettings{}.max_attempts);
}

TEST_CASE("faulty outbox settings are reported at their key") {
  json document = valid();
  document["outbox"] = json::array();
  expect_problem(document, "/outbox", "must be an object, not an array", true);
  document["outbox"] = {{"max_attempts", 0}};
  expect_problem(document, "/outbox/max_attempts", "must be a whole number, at least 1", true);
  document["outbox"] = {{"max_age", "forever"}};
  expect_problem(document, "/outbox/max_age", "bad duration \"forever\"", true);
  document["outbox"] = {{"first_retry", "5m"}, {"max_retry", "1m"}};
  expect_problem(document, "/outbox/max_retry", "must not be shorter than first_retry (5m)", true);
  // Against the defaults (first_retry 2s, max_retry 1m) when only one is given.
  document["outbox"] = {{"max_retry", "1s"}};
  expect_problem(document, "/outbox/max_retry", "must not be shorter than first_retry (2s, the default)", true);
  document["outbox"] = {{"first_retry", "1h"}};
  expect_problem(document, "/outbox/first_retry", "must not be longer than max_retry (1m, the default)", true);
  // A faulty one is not compared as well.
  document["outbox"] = {{"first_retry", "1h"}, {"max_retry", "soon"}};
  expect_problem(document, "/outbox/max_retry", "bad duration", true);
  document["outbox"] = {{"retries", 3}};
  expect_problem(document, "/outbox/retries", "allowed here: max_attempts, max_age, first_retry, max_retry", true);
}

// ---- http ---------------------------------------------------------------------------------------

TEST_CASE("http settings override the defaults, each on its own") {
  const HttpSettings defaults;
  CHECK(parse_ok(valid()).http.max_connections == defaults.max_connections);
  json document = valid();
  document["http"] = {{"max_connections", 64},
                      {"first_request_timeout", "3s"},
                      {"request_timeout", "20s"},
                      {"idle_timeout", "1m"},
                      {"shutdown_timeout", "30s"}};
  Config config = parse_ok(document);
  CHECK(config.http.max_connections == 64);
  CHECK(config.http.first_request_timeout == Duration(3s));
  CHECK(config.http.request_timeout == Duration(20s));
  CHECK(config.http.idle_timeout == Duration(1min));
  CHECK(config.http.shutdown_timeout == Duration(30s));
  document["http"] = {{"shutdown_timeout", "2s"}};
  config = parse_ok(document);
  CHECK(config.http.shutdown_timeout == Duration(2s));
  CHECK(config.http.max_connections == defaults.max_connections);
  CHECK(config.http.first_request_timeout == defaults.first_request_timeout);
  CHECK(config.http.request_timeout == defaults.request_timeout);
  CHECK(config.http.idle_timeout == defaults.idle_timeout);
}

TEST_CASE("faulty http settings are reported at their key") {
  json document = valid();
  document["http"] = "fast";
  expect_problem(document, "/http", "must be an object, not a string", true);
  document["http"] = {{"max_connections", 0}};
  expect_problem(document, "/http/max_connections", "must be a whole number, at least 1", true);
  document["http"] = {{"max_connections", "512"}};
  expect_problem(document, "/http/max_connections", "must be a number", true);
  document["http"] = {{"first_request_timeout", "0s"}};
  expect_problem(document, "/http/first_request_timeout", "", true);
  document["http"] = {{"request_timeout", 10}};
  expect_problem(document, "/http/request_timeout", "", true);
  document["http"] = {{"idle_timeout", "soon"}};
  expect_problem(document, "/http/idle_timeout", "bad duration", true);
  document["http"] = {{"shutdown_timout", "5s"}};
  expect_problem(document, "/http/shutdown_timout", "did you mean \"shutdown_timeout\"", true);
}

// ---- timezone (tenants, staff, support channels) ---------------------------------------------

TEST_CASE("timezones are IANA names from the system's tz database, UTC when not given") {
  Config defaults = parse_ok(valid());
  CHECK(defaults.tenants[0].zone.is_utc());
  CHECK(defaults.staff[0].zone.is_utc());
  CHECK(defaults.reader_zone(defaults.channels[1]).is_utc());
  json document = valid();
  document["tenants"][0]["timezone"] = "Asia/Shanghai";
  document["staff"][1]["timezone"] = "Europe/Berlin";
  document["channels"][1]["timezone"] = "Europe/Berlin";
  Config config = parse_ok(document);
  CHECK(config.tenants[0].zone.name() == "Asia/Shanghai");
  CHECK(config.tenants[1].zone.is_utc());
  CHECK(config.staff[1].zone.name() == "Europe/Berlin");
  // Who reads which: a tenant's group its tenant's zone, the support channel its own.
  CHECK(config.reader_zone(config.channels[0]).name() == "Asia/Shanghai");
  CHECK(config.reader_zone(config.channels[1]).name() == "Europe/Berlin");
}

TEST_CASE("check-config names an unknown timezone at its path, wherever it is") {
  json document = valid();
  document["tenants"][1]["timezone"] = "Asia/Shangai";
  document["staff"][2]["timezone"] = "europe/rome";
  document["channels"][1]["timezone"] = "CEST";
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK_FALSE(result.config.has_value());
  CHECK(result.problems.size() == 3);
  CHECK(has_problem(result, "/tenants/1/timezone", "unknown timezone \"Asia/Shangai\" (an IANA name"));
  CHECK(has_problem(result, "/staff/2/timezone", "did you mean \"Europe/Rome\"?"));
  CHECK(has_problem(result, "/channels/1/timezone", "unknown timezone \"CEST\""));
  document = valid();
  document["tenants"][0]["timezone"] = 8;  // an offset is not a zone: it cannot follow daylight saving
  expect_problem(document, "/tenants/0/timezone", "must be a string", true);
}

TEST_CASE("a tenant's group takes its tenant's timezone, not one of its own") {
  json document = valid();
  document["channels"][0]["timezone"] = "Asia/Shanghai";
  expect_problem(document, "/channels/0/timezone", "set it on the tenant", true);
}

// ---- AdapterRules::check_connection ------------------------------------------------------------

TEST_CASE("check_connection sees each complete connection and its message is reported at secrets") {
  std::vector<Connection> seen;
  AdapterRules checking = rules();
  checking.check_connection = [&seen](const Connection& connection) -> std::optional<std::string> {
    seen.push_back(connection);
    if (connection.adapter == "generic" && connection.secrets.at("secret").size() < 16) {
      return "secret must be at least 16 characters";
    }
    return std::nullopt;
  };
  json document = valid();
  document["connections"][0]["outbound_url"] = "https://example.com/in";
  document["connections"][0]["rate_limit"] = {{"messages", 3}, {"per", "1s"}};
  ConfigResult result = parse(document, checking, env({{"SLABOT_GENERIC_SECRET", "0123456789abcdef"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  REQUIRE(seen.size() == 2);  // the console connection needs no secret and is checked too
  CHECK(seen[0].name == "hooks");
  CHECK(seen[0].secrets.at("secret") == "0123456789abcdef");  // substituted
  CHECK(seen[0].outbound_url == "https://example.com/in");
  CHECK(seen[0].rate_limit.has_value());
  CHECK(seen[1].adapter == "console");

  seen.clear();
  result = parse(document, checking, env({{"SLABOT_GENERIC_SECRET", "short"}}));
  CHECK_FALSE(result.config.has_value());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].path == "/connections/0/secrets");
  CHECK(result.problems[0].message == "secret must be at least 16 characters");
}

TEST_CASE("check_connection is not asked about unknown adapters or missing and unreadable secrets") {
  int calls = 0;
  AdapterRules checking = rules();
  checking.check_connection = [&calls](const Connection&) -> std::optional<std::string> {
    ++calls;
    return "refused";
  };
  json document = valid();
  document["connections"].erase(1);
  document["connections"][0]["adapter"] = "fax";
  CHECK_FALSE(has_problem(parse(document, checking), "/connections/0/secrets"));
  document = valid();
  document["connections"].erase(1);
  document["connections"][0]["secrets"].erase("secret");
  parse(document, checking);
  document["connections"][0]["secrets"] = "x";
  parse(document, checking);
  document["connections"][0]["secrets"] = {{"secret", "${UNSET}"}};
  parse(document, checking);
  document["connections"][0]["secrets"] = {{"secret", "x"}, {"extra", ""}};
  parse(document, checking);
  CHECK(calls == 0);
  document["connections"][0]["secrets"] = {{"secret", "x"}};
  ConfigResult result = parse(document, checking);
  CHECK(calls == 1);
  CHECK(has_problem(result, "/connections/0/secrets", "refused"));
}

TEST_CASE("a check_connection message that quotes a secret, or throws, never leaks it") {
  AdapterRules quoting = rules();
  quoting.check_connection = [](const Connection& connection) -> std::optional<std::string> {
    if (connection.adapter != "generic") return std::nullopt;
    return "bad key " + connection.secrets.at("secret");
  };
  ConfigResult result = parse(valid(), quoting);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].path == "/connections/0/secrets");
  CHECK(result.problems[0].message.find("the generic adapter refuses these secrets") != std::string::npos);
  CHECK(format_problems(result.problems).find(kSecret) == std::string::npos);

  json document = valid();
  document["connections"][0]["outbound_url"] = "https://example.com/hook?token=abc";
  AdapterRules url_quoting = rules();
  url_quoting.check_connection = [](const Connection& connection) -> std::optional<std::string> {
    if (connection.adapter != "generic") return std::nullopt;
    return "cannot use " + connection.outbound_url;
  };
  result = parse(document, url_quoting);
  REQUIRE(result.problems.size() == 1);
  CHECK(format_problems(result.problems).find("token=abc") == std::string::npos);

  AdapterRules throwing = rules();
  throwing.check_connection = [](const Connection& connection) -> std::optional<std::string> {
    if (connection.adapter == "generic")
      throw std::invalid_argument("secret is not base64 " + connection.secrets.at("secret"));
    throw 42;
  };
  result = parse(valid(), throwing);
  INFO(format_problems(result.problems));
  REQUIRE(result.problems.size() == 2);
  CHECK(has_problem(result, "/connections/0/secrets", "the generic adapter refuses these secrets"));
  CHECK(has_problem(result, "/connections/1/secrets", "the console adapter refuses these secrets"));
  CHECK(format_problems(result.problems).find(kSecret) == std::string::npos);

  throwing.check_connection = [](const Connection&) -> std::optional<std::string> {
    throw std::runtime_error("key is not base64");
  };
  result = parse(valid(), throwing);
  CHECK(has_problem(result, "/connections/0/secrets", "key is not base64"));
}

// ---- all of it ---------------------------------------------------------------------------------

TEST_CASE("problems in the new fields are all reported together, with the old ones") {
  json document = valid();
  document["listen"] = "nowhere";
  document["tenants"][0]["tam"] = "wei";
  document["staff"][0]["on_duty"] = 1;
  document["connections"][1]["rate_limit"] = {{"messages", 0}, {"per", "1m"}};
  document["channels"][0]["outbound_url"] = "x";
  document["packages"] = {{"elite", {{"warn_at", {0.9, 0.1}}}}};
  document["outbox"] = {{"max_age", "1y"}};
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK(result.problems.size() == 7);
  CHECK(has_problem(result, "/listen"));
  CHECK(has_problem(result, "/tenants/0/tam"));
  CHECK(has_problem(result, "/staff/0/on_duty"));
  CHECK(has_problem(result, "/connections/1/rate_limit/messages"));
  CHECK(has_problem(result, "/channels/0/outbound_url"));
  CHECK(has_problem(result, "/packages/elite/warn_at/1"));
  CHECK(has_problem(result, "/outbox/max_age"));
}

// ---- the example -------------------------------------------------------------------------------

TEST_CASE("the shipped example shows every new field") {
  ConfigResult result =
      load_config_file(SLABOT_SOURCE_DIR "/config/example.json", rules(), env({{"SLABOT_GENERIC_SECRET", "s"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  const Config& config = *result.config;
  CHECK(std::any_of(config.tenants.begin(), config.tenants.end(), [&](const Tenant& t) {
    const StaffMember* tam = config.find_staff(t.tam_id);
    return !t.tam_id.empty() && tam != nullptr && tam->role == Role::tam;
  }));
  CHECK(std::any_of(config.staff.begin(), config.staff.end(),
                    [](const StaffMember& s) { return s.on_duty && s.role == Role::engineer; }));
  CHECK(std::any_of(config.connections.begin(), config.connections.end(),
                    [](const Connection& c) { return c.rate_limit.has_value(); }));
  const SlaPolicy defaults;
  CHECK(std::any_of(config.sla.by_package.begin(), config.sla.by_package.end(),
                    [&](const SlaPolicy& p) { return p.warn_at != defaults.warn_at; }));
  const OutboxSettings outbox_defaults;
  CHECK(
      (config.outbox.max_attempts != outbox_defaults.max_attempts || config.outbox.max_age != outbox_defaults.max_age));
  CHECK(std::any_of(config.tenants.begin(), config.tenants.end(), [](const Tenant& t) { return !t.zone.is_utc(); }));
  CHECK(std::any_of(config.staff.begin(), config.staff.end(), [](const StaffMember& s) { return !s.zone.is_utc(); }));
  CHECK(std::any_of(config.channels.begin(), config.channels.end(),
                    [](const Channel& c) { return c.support_side() && !c.zone.is_utc(); }));
}

// ---- a support channel's share of the desk ----------------------------------------------------

TEST_CASE("a support channel may cover some tenants and a lowest severity; a tenant's group may not") {
  json document = valid();
  Config defaults = parse_ok(document);
  CHECK(defaults.channels[1].covers.empty());
  CHECK(defaults.channels[1].lowest_severity == 5);
  CHECK(defaults.channels[1].hears("initech", 5));

  document["channels"][1]["tenants"] = {"acme"};
  document["channels"][1]["lowest_severity"] = "urgent";
  const Config desk = parse_ok(document);
  CHECK(desk.channels[1].covers == std::vector<std::string>{"acme"});
  CHECK(desk.channels[1].lowest_severity == 2);
  CHECK(desk.channels[1].hears("acme", 2));
  CHECK_FALSE(desk.channels[1].hears("acme", 3));
  CHECK_FALSE(desk.channels[1].hears("initech", 1));

  json wrong = valid();
  wrong["channels"][0]["lowest_severity"] = "high";
  expect_problem(wrong, "/channels/0/lowest_severity", "is for a support-side channel", true);
  wrong = valid();
  wrong["channels"][1]["tenants"] = {"acme", "nobody"};
  expect_problem(wrong, "/channels/1/tenants/1", "no tenant with id \"nobody\"", true);
  wrong["channels"][1]["tenants"] = json::array();
  expect_problem(wrong, "/channels/1/tenants", "must be a non-empty array", true);
  wrong = valid();
  wrong["channels"][1]["lowest_severity"] = "sev9";
  expect_problem(wrong, "/channels/1/lowest_severity", "must be a severity", true);
}

// ---- tenants[].contract_start and reminders ----------------------------------------------------

TEST_CASE("a tenant's contract_start is a real date; without one the contract year is the calendar year") {
  json document = valid();
  Config config = parse_ok(document);
  CHECK_FALSE(config.tenants[0].contract_start.has_value());
  CHECK(config.reminders.health_check_before == std::chrono::days(7));
  document["tenants"][0]["contract_start"] = "2026-03-01";
  config = parse_ok(document);
  REQUIRE(config.tenants[0].contract_start.has_value());
  CHECK(*config.tenants[0].contract_start ==
        std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::March, std::chrono::day{1}});
  for (const char* bad : {"2026-02-30", "1 March 2026", "2026-3-1"}) {
    document["tenants"][0]["contract_start"] = bad;
    expect_problem(document, "/tenants/0/contract_start", "write it as 2026-03-01", true);
  }
  document["tenants"][0]["contract_start"] = 20260301;
  expect_problem(document, "/tenants/0/contract_start", "", true);
}

TEST_CASE("reminders: how long before a health check falls due the bot reminds") {
  json document = valid();
  document["reminders"] = {{"health_check_before", "3d"}};
  CHECK(parse_ok(document).reminders.health_check_before == std::chrono::days(3));
  document["reminders"] = {{"health_check_before", "soon"}};
  expect_problem(document, "/reminders/health_check_before", "bad duration", true);
  document["reminders"] = {{"before", "3d"}};
  expect_problem(document, "/reminders/before", "health_check_before", true);
  document["reminders"] = json::array();
  expect_problem(document, "/reminders", "must be an object", true);
}
