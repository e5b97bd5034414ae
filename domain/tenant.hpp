#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// Support packages of seed 000, section 3.2.
enum class Package { selected, premium, elite, flagship };

std::string_view package_name(Package package);  // "Selected", "Premium", ...
std::optional<Package> parse_package(std::string_view text);  // lower-case names

// One partner (reseller). Sub-customers are labels on tickets, not tenants.
struct Tenant {
  std::string id;
  std::string name;
  Package package = Package::selected;
};

}  // namespace slabot
