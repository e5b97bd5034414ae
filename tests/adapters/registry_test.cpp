#include "adapters/registry.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("registry: generic is registered and needs a secret", "[registry]") {
  const auto names = known_adapters();
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::find(names.begin(), names.end(), "generic") != names.end());
  CHECK(is_known_adapter("generic"));
  CHECK_FALSE(is_known_adapter("carrier-pigeon"));
  CHECK(required_secrets("generic") == std::vector<std::string>{"secret"});
  CHECK(required_secrets("carrier-pigeon").empty());
}

TEST_CASE("registry: make_adapter builds by name and names the known ones otherwise", "[registry]") {
  Connection connection;
  connection.name = "main";
  connection.adapter = "generic";
  connection.secrets["secret"] = "s";
  const auto adapter = make_adapter(connection);
  REQUIRE(adapter);
  CHECK(adapter->adapter_name() == "generic");

  connection.adapter = "carrier-pigeon";
  try {
    make_adapter(connection);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("carrier-pigeon") != std::string::npos);
    CHECK(what.find("generic") != std::string::npos);
  }
}

TEST_CASE("registry: console is registered, needs no secret and takes no webhooks", "[registry]") {
  CHECK(is_known_adapter("console"));
  CHECK(required_secrets("console").empty());
  Connection connection;
  connection.name = "console";
  connection.adapter = "console";
  auto adapter = make_adapter(connection);
  CHECK(adapter->adapter_name() == "console");
  HttpRequest request;
  request.method = "POST";
  const auto verdict = adapter->verify(request, Timestamp{});
  REQUIRE(std::holds_alternative<Rejected>(verdict));
  CHECK(std::get<Rejected>(verdict).status == 404);
  OutboundMessage message{"console", "demo-group", "#1 breached", {{"erin", "Erin"}}, ""};
  const auto printed = adapter->render(message, Timestamp{});
  CHECK(printed.body == "#1 breached @erin");
  CHECK(printed.url == "console:demo-group");
}

TEST_CASE("registry: connection_problem says what make_adapter refuses, nothing when it builds", "[registry]") {
  Connection connection;
  connection.name = "main";
  connection.adapter = "generic";
  connection.secrets["secret"] = "s";
  CHECK_FALSE(connection_problem(connection).has_value());

  connection.secrets["secret"] = "";
  const auto problem = connection_problem(connection);
  REQUIRE(problem.has_value());
  CHECK(problem->find("needs a non-empty secret") != std::string::npos);

  connection.adapter = "carrier-pigeon";
  REQUIRE(connection_problem(connection).has_value());
  CHECK(connection_problem(connection)->find("unknown adapter") != std::string::npos);
}
