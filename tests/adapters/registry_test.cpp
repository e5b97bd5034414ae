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

TEST_CASE("registry: make_adapter builds by name and names the known ones otherwise",
          "[registry]") {
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
