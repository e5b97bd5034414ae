// channels[].secrets: a group robot's own signing secret, validated by the real adapters (through
// make_adapter, as check-config does) and carried to them in Connection::group_secrets.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "config/loader.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

// What must never show up in a message.
const std::string kAcmeSecret = "SECacme-group-secret-9f";
const std::string kGlobexSecret = "globex-lark-group-secret-4c";

// As bot/app.cpp wires it: the registry's adapters, each built once to check its secrets.
AdapterRules real_rules() {
  return AdapterRules{known_adapters(), required_secrets, connection_problem, stream_secrets};
}

EnvLookup env() {
  const std::map<std::string, std::string> vars = {{"ACME_ROBOT_SECRET", kAcmeSecret},
                                                   {"GLOBEX_BOT_SECRET", kGlobexSecret}};
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

json valid() {
  return json::parse(R"({
    "listen": "127.0.0.1:8080",
    "database": "slabot.db",
    "tenants": [
      {"id": "acme", "name": "Acme", "package": "premium"},
      {"id": "globex", "name": "Globex", "package": "elite"}
    ],
    "staff": [{"id": "wei", "name": "Wei Zhang", "role": "engineer"}],
    "connections": [
      {"name": "ding", "adapter": "dingtalk",
       "secrets": {"app_secret": "app-secret", "robot_secret": "SECconnection-robot"},
       "outbound_url": "https://oapi.dingtalk.com/robot/send?access_token=support"},
      {"name": "lark", "adapter": "lark",
       "secrets": {"encrypt_key": "ek", "verification_token": "vt", "bot_secret": "connection-bot"},
       "outbound_url": "https://open.feishu.cn/open-apis/bot/v2/hook/support"},
      {"name": "hooks", "adapter": "generic", "secrets": {"secret": "generic-hook-secret"}}
    ],
    "channels": [
      {"connection": "ding", "chat_id": "cidAcme==", "tenant": "acme",
       "outbound_url": "https://oapi.dingtalk.com/robot/send?access_token=acme",
       "secrets": {"robot_secret": "${ACME_ROBOT_SECRET}"}},
      {"connection": "ding", "chat_id": "cidSupport==", "support": true},
      {"connection": "lark", "chat_id": "oc_globex", "tenant": "globex",
       "outbound_url": "https://open.feishu.cn/open-apis/bot/v2/hook/globex",
       "secrets": {"bot_secret": "${GLOBEX_BOT_SECRET}"}},
      {"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"}
    ]
  })");
}

ConfigResult parse(const json& document, const AdapterRules& rules = real_rules()) {
  return parse_config(document.dump(), rules, env());
}

bool has_problem(const ConfigResult& result, const std::string& path, const std::string& fragment = "") {
  for (const auto& problem : result.problems) {
    if (problem.path == path && problem.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// Refused with exactly this one problem, and no message quotes a secret.
void expect_only_problem(const json& document, const std::string& path, const std::string& fragment) {
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK_FALSE(result.config.has_value());
  CHECK(result.problems.size() == 1);
  CHECK(has_problem(result, path, fragment));
  CHECK(format_problems(result.problems).find(kAcmeSecret) == std::string::npos);
  CHECK(format_problems(result.problems).find(kGlobexSecret) == std::string::npos);
}

}  // namespace

TEST_CASE("channels[].secrets reach the connection, by chat_id, substituted") {
  ConfigResult result = parse(valid());
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  const Config& config = *result.config;

  const Connection* ding = config.find_connection("ding");
  REQUIRE(ding != nullptr);
  CHECK(ding->secrets.at("robot_secret") == "SECconnection-robot");  // the connection's own stays
  CHECK(ding->group_secrets ==
        std::map<std::string, std::map<std::string, std::string>>{{"cidAcme==", {{"robot_secret", kAcmeSecret}}}});

  const Connection* lark = config.find_connection("lark");
  REQUIRE(lark != nullptr);
  CHECK(lark->group_secrets ==
        std::map<std::string, std::map<std::string, std::string>>{{"oc_globex", {{"bot_secret", kGlobexSecret}}}});

  CHECK(config.find_connection("hooks")->group_secrets.empty());
  // The adapters take them.
  CHECK_NOTHROW(make_adapter(*ding));
  CHECK_NOTHROW(make_adapter(*lark));
}

TEST_CASE("a secret the connection's adapter does not take per group is a problem that names the right one") {
  json document = valid();
  document["channels"][0]["secrets"] = {{"bot_secret", "${ACME_ROBOT_SECRET}"}};  // Lark's name on DingTalk
  expect_only_problem(document, "/channels/0/secrets",
                      "the dingtalk adapter takes no per-group secret \"bot_secret\" (a group's robot secret is: "
                      "robot_secret)");

  document = valid();
  document["channels"][2]["secrets"] = {{"robot_secret", "${GLOBEX_BOT_SECRET}"}};
  expect_only_problem(document, "/channels/2/secrets", "a group's robot secret is: bot_secret");

  // A connection-level secret is not a group's either.
  document = valid();
  document["channels"][0]["secrets"] = {{"robot_secret", "${ACME_ROBOT_SECRET}"}, {"app_secret", "x"}};
  expect_only_problem(document, "/channels/0/secrets", "no per-group secret \"app_secret\"");

  document = valid();
  document["channels"][3]["outbound_url"] = "https://example.com/acme";
  document["channels"][3]["secrets"] = {{"secret", "${ACME_ROBOT_SECRET}"}};
  expect_only_problem(document, "/channels/3/secrets",
                      "the generic adapter takes no per-group secret \"secret\" "
                      "(it takes no per-group secrets)");
}

TEST_CASE("a group's secrets are checked like a connection's") {
  json document = valid();
  document["channels"][0]["secrets"] = {{"robot_secret", ""}};
  expect_only_problem(document, "/channels/0/secrets/robot_secret", "must not be empty");

  document["channels"][0]["secrets"] = {{"robot_secret", "${UNSET_SECRET}"}};
  expect_only_problem(document, "/channels/0/secrets/robot_secret", "UNSET_SECRET");

  document["channels"][0]["secrets"] = {{"robot_secret", 7}};
  expect_only_problem(document, "/channels/0/secrets/robot_secret", "must be a string");

  document["channels"][0]["secrets"] = "SECinline";
  expect_only_problem(document, "/channels/0/secrets", "must be an object");

  // An empty object gives nothing and is fine.
  document["channels"][0]["secrets"] = json::object();
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  CHECK(result.config->find_connection("ding")->group_secrets.empty());
}

TEST_CASE("a group's secret needs the group's own outbound_url") {
  json document = valid();
  document["channels"][0].erase("outbound_url");
  expect_only_problem(document, "/channels/0/secrets", "give this channel its \"outbound_url\" too");
}

TEST_CASE("a group's secrets are not checked against a connection that is already refused") {
  json document = valid();
  document["connections"][0]["secrets"].erase("app_secret");
  document["channels"][0]["secrets"] = {{"wrong_name", "${ACME_ROBOT_SECRET}"}};
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK(result.problems.size() == 1);
  CHECK(has_problem(result, "/connections/0/secrets/app_secret", "missing secret"));

  // Nor when the channel names no connection.
  document = valid();
  document["channels"][0]["connection"] = "nowhere";
  result = parse(document);
  INFO(format_problems(result.problems));
  CHECK(result.problems.size() == 1);
  CHECK(has_problem(result, "/channels/0/connection", "no connection named"));
}

TEST_CASE("an adapter message that quotes a group's secret is withheld") {
  AdapterRules quoting = real_rules();
  quoting.check_connection = [](const Connection& connection) -> std::optional<std::string> {
    for (const auto& [chat_id, secrets] : connection.group_secrets) {
      for (const auto& [name, value] : secrets) return "cannot use " + value;
    }
    return std::nullopt;
  };
  ConfigResult result = parse(valid(), quoting);
  INFO(format_problems(result.problems));
  REQUIRE(result.problems.size() == 2);
  CHECK(has_problem(result, "/channels/0/secrets", "the dingtalk adapter refuses these secrets"));
  CHECK(has_problem(result, "/channels/2/secrets", "the lark adapter refuses these secrets"));
  CHECK(format_problems(result.problems).find(kAcmeSecret) == std::string::npos);
  CHECK(format_problems(result.problems).find(kGlobexSecret) == std::string::npos);
}
