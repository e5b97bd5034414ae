#include "domain/tenant.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace slabot {
namespace {
constexpr std::array<std::pair<Package, std::string_view>, 4> kPackages{{
    {Package::selected, "Selected"},
    {Package::premium, "Premium"},
    {Package::elite, "Elite"},
    {Package::flagship, "Flagship"},
}};
}  // namespace

std::string_view package_name(Package package) {
  for (const auto& [value, name] : kPackages) {
    if (value == package) return name;
  }
  return "unknown";
}

std::optional<Package> parse_package(std::string_view text) {
  for (const auto& [value, name] : kPackages) {
    if (name.size() == text.size() &&
        std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) { return (a | 0x20) == (b | 0x20); })) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace slabot
