// "packages": the response SLA of each support package (limits, warnings, repeats).
#include <array>
#include <map>

#include "config/json_path.hpp"
#include "config/validator.hpp"

namespace slabot::config_detail {
namespace {

// A severity key of "response": a name ("critical") or "sev1".."sev5", any letter case. Bare
// digits, which parse_severity also takes, are not: "1": "15m" reads like a count.
std::optional<int> severity_key(std::string_view key) {
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos) return std::nullopt;
  return parse_severity(key);
}

std::string number_text(double value) { return nlohmann::json(value).dump(); }

}  // namespace

void Validator::read_packages(const json& root, Config& config) {
  const json* packages = member(root, "", "packages", Need::optional);
  if (packages == nullptr) return;
  const std::string path = "/packages";
  if (!is_object(*packages, path)) return;
  std::map<Package, std::string> first_at;
  for (const auto& [name, policy] : packages->items()) {
    std::string package_path = child_path(path, name);
    auto package = parse_package(name);
    if (!package) {
      report(package_path, "unknown package " + json_quoted(name) + " (one of: selected, premium, elite, flagship)");
      continue;
    }
    auto [first, inserted] = first_at.emplace(*package, package_path);
    if (!inserted) {
      report(package_path, "the same package as " + first->second + " (package names ignore letter case)");
      continue;
    }
    read_package(policy, package_path, config.sla.for_package(*package));
  }
}

void Validator::read_package(const json& value, const std::string& path, SlaPolicy& policy) {
  if (!is_object(value, path)) return;
  check_keys(value, path, {"response", "warn_at", "repeat_every"});
  if (const json* response = member(value, path, "response", Need::optional)) {
    read_response_limits(*response, child_path(path, "response"), policy);
  }
  if (const json* warn_at = member(value, path, "warn_at", Need::optional)) {
    read_warn_at(*warn_at, child_path(path, "warn_at"), policy);
  }
  if (auto every = duration(value, path, "repeat_every", Need::optional)) policy.repeat_every = *every;
}

void Validator::read_response_limits(const json& value, const std::string& path, SlaPolicy& policy) {
  if (!is_object(value, path)) return;
  std::array<std::string, kLeastSevere> first_at;  // per severity: the key that set it
  for (const auto& [key, limit] : value.items()) {
    std::string key_path = child_path(path, key);
    auto severity = severity_key(key);
    if (!severity) {
      report(key_path, "unknown severity " + json_quoted(key) +
                           " (one of: critical, urgent, high, medium, low, or sev1 to sev5)");
      continue;
    }
    std::string& first = first_at[static_cast<std::size_t>(*severity - 1)];
    if (!first.empty()) {
      report(key_path, "the same severity as " + first);
      continue;
    }
    first = key_path;
    if (auto parsed = duration_value(limit, key_path))
      policy.response_limits[static_cast<std::size_t>(*severity - 1)] = *parsed;
  }
}

void Validator::read_warn_at(const json& value, const std::string& path, SlaPolicy& policy) {
  if (!value.is_array()) {
    report(path, "must be an array of fractions such as [0.5, 0.8], not " + a_type(value));
    return;
  }
  std::vector<double> fractions;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& item = value[i];
    std::string item_path = child_path(path, i);
    if (!item.is_number()) {
      report(item_path, "must be a number, not " + a_type(item));
      ok = false;
      continue;
    }
    double fraction = item.get<double>();
    if (!(fraction > 0.0 && fraction < 1.0)) {
      report(item_path, "must be more than 0 and less than 1 (a fraction of the response window)");
      ok = false;
      continue;
    }
    // Against the largest so far: each value that is out of order is named.
    if (!fractions.empty() && fraction <= fractions.back()) {
      report(item_path, "must be greater than " + number_text(fractions.back()) +
                            ", the largest value before it (ascending, no repeats)");
      ok = false;
      continue;
    }
    fractions.push_back(fraction);
  }
  if (ok) policy.warn_at = std::move(fractions);
}

}  // namespace slabot::config_detail
