#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"

using namespace slabot;
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

// The smallest config that uses every section; tests break one thing at a time.
json valid() {
  return json::parse(R"({
    "listen": "127.0.0.1:8080",
    "database": "slabot.db",
    "tenants": [
      {"id": "acme", "name": "Acme", "package": "premium"},
      {"id": "globex", "name": "Globex", "package": "elite"}
    ],
    "staff": [
      {"id": "alice", "name": "Alice Wang", "role": "tam", "ids": {"generic": "u-alice", "slack": "U01ALICE"}},
      {"id": "wei", "name": "Wei Zhang", "role": "engineer", "ids": {"generic": "u-wei"}}
    ],
    "connections": [
      {"name": "hooks", "adapter": "generic", "secrets": {"secret": "${SLABOT_GENERIC_SECRET}"},
       "outbound_url": "https://example.com/slabot"},
      {"name": "local", "adapter": "console"}
    ],
    "channels": [
      {"connection": "hooks", "chat_id": "acme-7x24", "tenant": "acme"},
      {"connection": "hooks", "chat_id": "support", "support": true}
    ]
  })");
}

ConfigResult parse(const json& document, const EnvLookup& lookup = env()) {
  return parse_config(document.dump(), rules(), lookup);
}

ConfigResult parse_text(const std::string& text) { return parse_config(text, rules(), env()); }

// True when a problem sits at exactly `path` and its message contains `fragment`.
bool has_problem(const ConfigResult& result, const std::string& path, const std::string& fragment = "") {
  for (const auto& problem : result.problems) {
    if (problem.path == path && problem.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

// Expects the document to be refused with (at least) this problem.
void expect_problem(const json& document, const std::string& path, const std::string& fragment = "") {
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, path, fragment));
}

}  // namespace

TEST_CASE("the shipped example config loads cleanly") {
  ConfigResult result =
      load_config_file(SLABOT_SOURCE_DIR "/config/example.json", rules(), env({{"SLABOT_GENERIC_SECRET", "s"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.problems.empty());
  REQUIRE(result.config.has_value());
  const Config& config = *result.config;
  CHECK(config.listen_address == "127.0.0.1");
  CHECK(config.listen_port == 8080);
  CHECK(config.bot_name == "slabot");
  REQUIRE(config.tenants.size() >= 2);
  CHECK(config.tenants[0].package != config.tenants[1].package);
  for (Role role : {Role::engineer, Role::tam, Role::manager, Role::admin}) {
    CHECK(std::any_of(config.staff.begin(), config.staff.end(), [&](const StaffMember& s) { return s.role == role; }));
  }
  const Connection* generic = nullptr;
  for (const auto& connection : config.connections) {
    if (connection.adapter == "generic") generic = &connection;
  }
  REQUIRE(generic != nullptr);
  CHECK(generic->secrets.at("secret") == "s");
  for (const auto& tenant : config.tenants) {
    CHECK(std::any_of(config.channels.begin(), config.channels.end(),
                      [&](const Channel& c) { return c.tenant_id == tenant.id; }));
  }
  CHECK(std::any_of(config.channels.begin(), config.channels.end(), [](const Channel& c) { return c.support_side(); }));
}

TEST_CASE("the example config needs its secret from the environment") {
  ConfigResult result = load_config_file(SLABOT_SOURCE_DIR "/config/example.json", rules(), env({}));
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, "/connections/0/secrets/secret", "environment variable SLABOT_GENERIC_SECRET is not set"));
}

TEST_CASE("a valid config becomes the Config it describes") {
  ConfigResult result = parse(valid());
  INFO(format_problems(result.problems));
  REQUIRE(result.problems.empty());
  REQUIRE(result.config.has_value());
  const Config& config = *result.config;
  CHECK(config.database_path == "slabot.db");
  CHECK(config.bot_name == "slabot");  // the default
  REQUIRE(config.tenants.size() == 2);
  CHECK(config.tenants[1].id == "globex");
  CHECK(config.tenants[1].name == "Globex");
  CHECK(config.tenants[1].package == Package::elite);
  REQUIRE(config.staff.size() == 2);
  CHECK(config.staff[0].role == Role::tam);
  CHECK(config.staff[0].platform_ids.at("slack") == "U01ALICE");
  CHECK(config.staff[1].role == Role::engineer);
  REQUIRE(config.connections.size() == 2);
  CHECK(config.connections[0].secrets.at("secret") == kSecret);
  CHECK(config.connections[0].outbound_url == "https://example.com/slabot");
  CHECK(config.connections[1].secrets.empty());
  CHECK(config.connections[1].outbound_url.empty());
  REQUIRE(config.channels.size() == 2);
  CHECK(config.channels[0].tenant_id == "acme");
  CHECK(config.channels[1].support_side());
  CHECK(config.channels[1].chat_id == "support");
}

TEST_CASE("bot_name is optional and restricted") {
  json document = valid();
  document["bot_name"] = "ops_bot2";
  ConfigResult result = parse(document);
  REQUIRE(result.config.has_value());
  CHECK(result.config->bot_name == "ops_bot2");
  document["bot_name"] = "ops bot";
  expect_problem(document, "/bot_name", "letters");
  document["bot_name"] = "";
  expect_problem(document, "/bot_name");
}

TEST_CASE("text that is not JSON is reported with the byte position") {
  ConfigResult result = parse_text("{\"listen\": ,}");
  CHECK_FALSE(result.config.has_value());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].path.empty());
  CHECK(result.problems[0].message.find("not valid JSON") != std::string::npos);
  CHECK(result.problems[0].message.find("byte 12") != std::string::npos);

  result = parse_text("{\n  \"listen\": \"x\"\n  \"database\": 1\n}");
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message.find("line 3, column 12") != std::string::npos);

  result = parse_text("{\"listen\": \"127.0.0.1:80\"");
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message.find("end of input") != std::string::npos);

  result = parse_text("");
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("a number beyond a double is a problem, not an exception") {
  // Found by fuzz_config: nlohmann throws out_of_range (not parse_error) for 1e999, which escaped
  // parse_config, and check-config and serve died of it (terminate, exit 134).
  for (const char* text : {"{\"listen\": 1e999}", "5555555E5557", "{\"http\": {\"max_connections\": -1e400}}"}) {
    INFO(text);
    ConfigResult result;
    REQUIRE_NOTHROW(result = parse_text(text));
    CHECK_FALSE(result.config.has_value());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].path.empty());
    CHECK(result.problems[0].message == "not valid JSON: a number too large for a double (beyond 1.7e308)");
  }
}

TEST_CASE("the root must be an object") {
  for (const char* text : {"[]", "\"config\"", "42", "null"}) {
    ConfigResult result = parse_text(text);
    CHECK_FALSE(result.config.has_value());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].path.empty());
    CHECK(result.problems[0].message.find("must be a JSON object") != std::string::npos);
  }
}

TEST_CASE("missing required keys are reported where they belong") {
  for (const char* key : {"listen", "database", "tenants", "staff", "connections", "channels"}) {
    json document = valid();
    document.erase(key);
    expect_problem(document, std::string("/") + key, "missing required key");
  }
  json document = valid();
  document["tenants"][1].erase("package");
  expect_problem(document, "/tenants/1/package", "missing required key");
  document = valid();
  document["staff"][0].erase("role");
  expect_problem(document, "/staff/0/role", "missing required key");
  document = valid();
  document["connections"][1].erase("adapter");
  expect_problem(document, "/connections/1/adapter", "missing required key");
  document = valid();
  document["channels"][0].erase("chat_id");
  expect_problem(document, "/channels/0/chat_id", "missing required key");
}

TEST_CASE("values of the wrong type are reported") {
  json document = valid();
  document["listen"] = 8080;
  expect_problem(document, "/listen", "must be a string, not a number");
  document = valid();
  document["channels"] = json::object();
  expect_problem(document, "/channels", "must be an array, not an object");
  document = valid();
  document["tenants"][1] = "globex";
  expect_problem(document, "/tenants/1", "must be an object, not a string");
  document = valid();
  document["channels"][1]["support"] = "yes";
  expect_problem(document, "/channels/1/support", "must be a boolean");
  document = valid();
  document["staff"][0]["ids"] = json::array({"u-alice"});
  expect_problem(document, "/staff/0/ids", "must be an object");
  document = valid();
  document["staff"][0]["ids"]["slack"] = 17;
  expect_problem(document, "/staff/0/ids/slack", "must be a string");
  document = valid();
  document["connections"][0]["secrets"]["secret"] = json();
  expect_problem(document, "/connections/0/secrets/secret", "must be a string, not null");
}

TEST_CASE("a \"support\" of the wrong type is not also called missing") {
  json document = valid();
  document["channels"][1]["support"] = "yes";
  ConfigResult result = parse(document);
  CHECK(result.problems.size() == 1);
}

TEST_CASE("unknown keys are reported, with a suggestion for near misses") {
  json document = valid();
  document["chanels"] = json::array();
  expect_problem(document, "/chanels", "did you mean \"channels\"");
  document = valid();
  document["channels"][0]["chatid"] = "x";
  expect_problem(document, "/channels/0/chatid", "did you mean \"chat_id\"");
  document = valid();
  document["staff"][1]["email"] = "wei@example.com";
  expect_problem(document, "/staff/1/email", "allowed here: id, name, role, ids");
  document = valid();
  document["connections"][0]["outbound"] = "https://x";
  expect_problem(document, "/connections/0/outbound", "unknown key");
}

TEST_CASE("a key given twice in one object is reported") {
  std::string text = valid().dump();
  // Append a second "listen" to the root object.
  text.insert(text.size() - 1, ",\"listen\":\"127.0.0.1:9\"");
  ConfigResult result = parse_text(text);
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, "/listen", "given twice"));

  text = R"({"listen":"127.0.0.1:1","database":"d","tenants":[],"staff":[],"connections":[],
             "channels":[{"support":true,"connection":"a","chat_id":"x"},
                         {"connection":"a","chat_id":"y","chat_id":"z"}]})";
  result = parse_text(text);
  CHECK(has_problem(result, "/channels/1/chat_id", "given twice"));
  CHECK_FALSE(has_problem(result, "/channels/0/chat_id", "given twice"));
}

TEST_CASE("listen must be an IP address and a port") {
  for (const char* bad :
       {"localhost:8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80a", "127.0.0.1:-80",
        "256.1.1.1:80", "::1:8080", "[::1]8080", "[::1:8080", "[127.0.0.1]:80", ":8080", "", "127.0.0.1:0008080"}) {
    INFO(bad);
    json document = valid();
    document["listen"] = bad;
    expect_problem(document, "/listen", "bad listen address");
  }
  json document = valid();
  document["listen"] = "[::1]:65535";
  ConfigResult result = parse(document);
  REQUIRE(result.config.has_value());
  CHECK(result.config->listen_address == "::1");
  CHECK(result.config->listen_port == 65535);
  document["listen"] = "0.0.0.0:1";
  result = parse(document);
  REQUIRE(result.config.has_value());
  CHECK(result.config->listen_address == "0.0.0.0");
  CHECK(result.config->listen_port == 1);
}

TEST_CASE("empty and malformed ids and names are reported") {
  json document = valid();
  document["tenants"][0]["id"] = "";
  expect_problem(document, "/tenants/0/id", "must not be empty");
  document = valid();
  document["tenants"][1]["name"] = "  ";
  expect_problem(document, "/tenants/1/name", "must not be empty");
  document = valid();
  document["staff"][1]["id"] = "";
  expect_problem(document, "/staff/1/id", "must not be empty");
  document = valid();
  document["staff"][1]["id"] = "wei zhang";
  expect_problem(document, "/staff/1/id", "letters, digits");
  document = valid();
  document["staff"][0]["name"] = "";
  expect_problem(document, "/staff/0/name", "must not be empty");
  document = valid();
  document["staff"][0]["ids"]["slack"] = "";
  expect_problem(document, "/staff/0/ids/slack", "must not be empty");
  document = valid();
  document["connections"][1]["name"] = "";
  expect_problem(document, "/connections/1/name", "must not be empty");
  document = valid();
  document["channels"][0]["chat_id"] = "";
  expect_problem(document, "/channels/0/chat_id", "must not be empty");
  document = valid();
  document["channels"][0]["tenant"] = "";
  expect_problem(document, "/channels/0/tenant", "must not be empty");
}

TEST_CASE("duplicate tenant and staff ids are reported at the second one") {
  json document = valid();
  document["tenants"][1]["id"] = "acme";
  ConfigResult result = parse(document);
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, "/tenants/1/id", "duplicate tenant id \"acme\" (first at /tenants/0/id)"));
  CHECK_FALSE(has_problem(result, "/tenants/0/id"));

  document = valid();
  document["staff"][1]["id"] = "Alice";  // find_staff ignores case, so this would be ambiguous
  expect_problem(document, "/staff/1/id", "duplicate staff id \"Alice\" (first at /staff/0/id)");
}

TEST_CASE("a platform user id may belong to one staff member only") {
  json document = valid();
  document["staff"][1]["ids"]["slack"] = "U01ALICE";
  expect_problem(document, "/staff/1/ids/slack", "already given to another staff member (/staff/0/ids/slack)");
  // The same id on different platforms is two different users.
  document = valid();
  document["staff"][1]["ids"]["slack"] = "u-alice";
  CHECK(parse(document).config.has_value());
}

TEST_CASE("roles and packages must be known; partner is not a staff role") {
  json document = valid();
  document["staff"][0]["role"] = "boss";
  expect_problem(document, "/staff/0/role", "unknown role \"boss\"");
  document["staff"][0]["role"] = "partner";
  expect_problem(document, "/staff/0/role", "partner is not a staff role");
  document = valid();
  document["tenants"][0]["package"] = "gold";
  expect_problem(document, "/tenants/0/package", "unknown package \"gold\"");
  for (const char* package : {"selected", "premium", "elite", "flagship"}) {
    document["tenants"][0]["package"] = package;
    CHECK(parse(document).config.has_value());
  }
}

TEST_CASE("an unknown adapter is reported with the known ones") {
  json document = valid();
  document["connections"][1]["adapter"] = "telegramm";
  expect_problem(document, "/connections/1/adapter",
                 "unknown adapter \"telegramm\" (known adapters: console, generic)");
}

TEST_CASE("connections must have their adapter's secrets, none of them empty") {
  json document = valid();
  document["connections"][0]["secrets"].erase("secret");
  expect_problem(document, "/connections/0/secrets/secret", "missing secret, required by the generic adapter");
  document = valid();
  document["connections"][0].erase("secrets");
  expect_problem(document, "/connections/0/secrets/secret", "missing secret");
  document = valid();
  document["connections"][0]["secrets"]["secret"] = "";
  expect_problem(document, "/connections/0/secrets/secret", "must not be empty");
  // Empty after substitution counts too.
  ConfigResult result = parse(valid(), env({{"SLABOT_GENERIC_SECRET", ""}}));
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, "/connections/0/secrets/secret", "must not be empty"));
  // Extra secrets are the adapter's business; the console adapter needs none.
  document = valid();
  document["connections"][1]["secrets"] = {{"token", "t"}};
  CHECK(parse(document).config.has_value());
}

TEST_CASE("connection names are unique and URL-safe; outbound URLs are http(s)") {
  json document = valid();
  document["connections"][1]["name"] = "hooks";
  expect_problem(document, "/connections/1/name", "duplicate connection name \"hooks\" (first at /connections/0/name)");
  for (const char* bad : {"hooks/x", "my hooks", "hooks?x=1", "hooks.x"}) {
    document = valid();
    document["connections"][1]["name"] = bad;
    expect_problem(document, "/connections/1/name", "letters, digits, '_' and '-' only");
  }
  document = valid();
  document["connections"][1]["name"] = "Local_hooks-2";
  document["channels"] = json::array({{{"connection", "Local_hooks-2"}, {"chat_id", "x"}, {"support", true}}});
  CHECK(parse(document).config.has_value());
  for (const char* bad : {"ftp://example.com", "example.com/hook", "https://", "", "HTTPX://a"}) {
    document = valid();
    document["connections"][0]["outbound_url"] = bad;
    expect_problem(document, "/connections/0/outbound_url", "http:// or https://");
  }
  document = valid();
  document["connections"][0]["outbound_url"] = "http://10.0.0.5:9000/in";
  CHECK(parse(document).config.has_value());
}

TEST_CASE("channels must name an existing connection and tenant") {
  json document = valid();
  document["channels"][0]["connection"] = "hookz";
  expect_problem(document, "/channels/0/connection", "no connection named \"hookz\"");
  document = valid();
  document["channels"][0]["tenant"] = "acne";
  expect_problem(document, "/channels/0/tenant", "no tenant with id \"acne\"");
}

TEST_CASE("a channel is a tenant's or the support side's, never both or neither") {
  json document = valid();
  document["channels"][0]["support"] = true;
  expect_problem(document, "/channels/0", "both");
  document = valid();
  document["channels"][1]["support"] = false;
  expect_problem(document, "/channels/1", "needs \"tenant\"");
  document = valid();
  document["channels"][1].erase("support");
  expect_problem(document, "/channels/1", "needs \"tenant\"");
  // support: false next to a tenant is just explicit.
  document = valid();
  document["channels"][0]["support"] = false;
  ConfigResult result = parse(document);
  REQUIRE(result.config.has_value());
  CHECK(result.config->channels[0].tenant_id == "acme");
}

TEST_CASE("two channels may not share a connection and chat id") {
  json document = valid();
  document["channels"].push_back({{"connection", "hooks"}, {"chat_id", "acme-7x24"}, {"tenant", "globex"}});
  expect_problem(document, "/channels/2/chat_id", "the same connection and chat_id as /channels/0");
  // The same chat id on another connection is another group.
  document = valid();
  document["channels"].push_back({{"connection", "local"}, {"chat_id", "acme-7x24"}, {"tenant", "globex"}});
  CHECK(parse(document).config.has_value());
}

TEST_CASE("every problem is reported, not just the first") {
  json document = valid();
  document["listen"] = "nowhere";
  document["tenants"][1]["package"] = "gold";
  document["staff"][0]["role"] = "boss";
  document["connections"][1]["adapter"] = "fax";
  document["channels"][0]["tenant"] = "nobody";
  document["extra"] = 1;
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK_FALSE(result.config.has_value());
  CHECK(result.problems.size() == 6);
  CHECK(has_problem(result, "/listen"));
  CHECK(has_problem(result, "/tenants/1/package"));
  CHECK(has_problem(result, "/staff/0/role"));
  CHECK(has_problem(result, "/connections/1/adapter"));
  CHECK(has_problem(result, "/channels/0/tenant"));
  CHECK(has_problem(result, "/extra"));
}

TEST_CASE("${NAME} is replaced from the environment in any string value") {
  json document = valid();
  document["database"] = "${DATA_DIR}/slabot-${SITE}.db";
  document["listen"] = "127.0.0.1:${PORT}";
  document["staff"][1]["ids"]["slack"] = "${WEI_SLACK}";
  ConfigResult result = parse(document, env({{"SLABOT_GENERIC_SECRET", kSecret},
                                             {"DATA_DIR", "/var/lib/slabot"},
                                             {"SITE", "sg"},
                                             {"PORT", "9090"},
                                             {"WEI_SLACK", "U02WEI"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  CHECK(result.config->database_path == "/var/lib/slabot/slabot-sg.db");
  CHECK(result.config->listen_port == 9090);
  CHECK(result.config->staff[1].platform_ids.at("slack") == "U02WEI");
  CHECK(result.config->connections[0].secrets.at("secret") == kSecret);
}

TEST_CASE("a substituted value is not expanded again, and $ alone is literal") {
  json document = valid();
  document["database"] = "$HOME/a$b${DB}";
  ConfigResult result = parse(document, env({{"SLABOT_GENERIC_SECRET", kSecret}, {"DB", "${OTHER}"}}));
  INFO(format_problems(result.problems));
  REQUIRE(result.config.has_value());
  CHECK(result.config->database_path == "$HOME/a$b${OTHER}");
}

TEST_CASE("unset and malformed environment references are reported at their path") {
  json document = valid();
  document["database"] = "${DATA_DIR}/x-${ALSO_MISSING}.db";
  ConfigResult result = parse(document);
  CHECK_FALSE(result.config.has_value());
  CHECK(has_problem(result, "/database", "environment variable DATA_DIR is not set"));
  CHECK(has_problem(result, "/database", "environment variable ALSO_MISSING is not set"));

  document = valid();
  document["channels"][0]["chat_id"] = "${UNCLOSED";
  expect_problem(document, "/channels/0/chat_id", "unterminated ${");
  document["channels"][0]["chat_id"] = "${}";
  expect_problem(document, "/channels/0/chat_id", "malformed ${...}");
  document["channels"][0]["chat_id"] = "${9LIVES}";
  expect_problem(document, "/channels/0/chat_id", "malformed ${...}");

  // No lookup at all: every reference is unset.
  result = parse_config(valid().dump(), rules(), EnvLookup{});
  CHECK(has_problem(result, "/connections/0/secrets/secret", "SLABOT_GENERIC_SECRET is not set"));
}

TEST_CASE("secret values never appear in problem messages") {
  auto leaks = [](const ConfigResult& result) {
    return format_problems(result.problems).find("hunter2") != std::string::npos;
  };
  // A secret substituted into a connection with every other thing wrong.
  json document = valid();
  document["connections"][0]["adapter"] = "fax";
  document["connections"][0]["name"] = "bad name";
  document["connections"][0]["outbound_url"] = "ftp://x/?token=hunter2-url";
  document["connections"][0]["secrets"]["extra"] = "hunter2-literal${";
  document["connections"][0]["secrets"]["other"] = "hunter2-${bad name}";
  document["connections"][0]["secrets"]["third"] = "hunter2-${UNSET}";
  ConfigResult result = parse(document);
  INFO(format_problems(result.problems));
  CHECK(result.problems.size() >= 6);
  CHECK_FALSE(leaks(result));
  // A secret where the JSON breaks: the parser's own message would quote it.
  result = parse_text(R"({"connections": [{"secrets": {"secret": "hunter2-raw)"
                      "\x01"
                      R"("}}]})");
  REQUIRE(result.problems.size() == 1);
  CHECK_FALSE(leaks(result));
  result = parse_text(R"({"connections": [{"secrets": {"secret": hunter2}}]})");
  REQUIRE(result.problems.size() == 1);
  CHECK_FALSE(leaks(result));
}

TEST_CASE("a file that cannot be read is one problem at the root") {
  ConfigResult result = load_config_file(SLABOT_SOURCE_DIR "/config/no-such-file.json", rules(), env());
  CHECK_FALSE(result.config.has_value());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].path.empty());
  CHECK(result.problems[0].message.find("cannot open config file") != std::string::npos);
  CHECK(result.problems[0].message.find("No such file") != std::string::npos);

  result = load_config_file(SLABOT_SOURCE_DIR "/config", rules(), env());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message.find("directory") != std::string::npos);
}

TEST_CASE("format_problems writes one line per problem") {
  std::vector<ConfigProblem> problems{
      {"", "not valid JSON: syntax error at byte 3 (line 1, column 3)"},
      {"/channels/2/tenant", "no tenant with id \"x\""},
      {"/a~1b\nc", "bad\r\nthing"},
  };
  CHECK(format_problems(problems) ==
        "(root): not valid JSON: syntax error at byte 3 (line 1, column 3)\n"
        "/channels/2/tenant: no tenant with id \"x\"\n"
        "/a~1b?c: bad??thing\n");
  CHECK(format_problems({}).empty());
}

TEST_CASE("keys with '/' or '~' are escaped in paths") {
  json document = valid();
  document["staff"][0]["ids"]["a/b~c"] = "";
  expect_problem(document, "/staff/0/ids/a~1b~0c", "must not be empty");
}
