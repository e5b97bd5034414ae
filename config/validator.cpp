// The Validator's reporting and typed-value readers; the sections are in read_*.cpp.
#include "config/validator.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "config/duration.hpp"
#include "config/env_substitution.hpp"
#include "config/json_path.hpp"
#include "config/text_checks.hpp"
#include "domain/url.hpp"

namespace slabot::config_detail {

void Validator::report(std::string path, std::string message) {
  problems_.push_back({std::move(path), std::move(message)});
}

void Validator::check_keys(const json& object, const std::string& path,
                           std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key";
    std::string_view best = closest_key(key, allowed);
    if (!best.empty()) {
      message += " (did you mean " + json_quoted(best) + "?)";
    } else {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      message += "; allowed here: " + join(names);
    }
    report(child_path(path, key), message);
  }
}

const Validator::json* Validator::member(const json& object, const std::string& path, std::string_view key, Need need) {
  auto it = object.find(std::string(key));
  if (it != object.end()) return &*it;
  if (need == Need::required) report(child_path(path, key), "missing required key");
  return nullptr;
}

std::optional<std::string> Validator::text(const json& object, const std::string& path, std::string_view key,
                                           Need need) {
  const json* value = member(object, path, key, need);
  if (value == nullptr) return std::nullopt;
  return text_value(*value, child_path(path, key));
}

std::optional<std::string> Validator::text_value(const json& value, const std::string& path) {
  if (!value.is_string()) {
    report(path, "must be a string, not " + a_type(value));
    return std::nullopt;
  }
  Substitution substituted = substitute_env(value.get_ref<const std::string&>(), env_);
  for (auto& problem : substituted.problems) report(path, std::move(problem));
  return std::move(substituted.text);
}

std::optional<bool> Validator::boolean(const json& object, const std::string& path, std::string_view key, Need need) {
  const json* value = member(object, path, key, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    report(child_path(path, key), "must be a boolean, not " + a_type(*value));
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<int> Validator::positive_integer(const json& object, const std::string& path, std::string_view key,
                                               Need need) {
  const json* value = member(object, path, key, need);
  if (value == nullptr) return std::nullopt;
  std::string value_path = child_path(path, key);
  if (!value->is_number()) {
    report(value_path, "must be a number, not " + a_type(*value));
    return std::nullopt;
  }
  // 2.5, 1e3 and 3.0 are floats to the parser: a count is written as a plain whole number.
  if (!value->is_number_unsigned() || value->get<std::uint64_t>() < 1) {
    report(value_path, "must be a whole number, at least 1");
    return std::nullopt;
  }
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  if (value->get<std::uint64_t>() > max) {
    report(value_path, "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  return static_cast<int>(value->get<std::uint64_t>());
}

std::optional<Duration> Validator::duration(const json& object, const std::string& path, std::string_view key,
                                            Need need) {
  const json* value = member(object, path, key, need);
  if (value == nullptr) return std::nullopt;
  return duration_value(*value, child_path(path, key));
}

std::optional<Duration> Validator::duration_value(const json& value, const std::string& path) {
  if (value.is_number()) {
    report(path, "must be a duration string such as \"15m\" or \"1h30m\", not a number");
    return std::nullopt;
  }
  auto written = text_value(value, path);
  if (!written) return std::nullopt;
  if (auto parsed = parse_duration(*written)) return parsed;
  report(path, "bad duration " + json_quoted(*written) +
                   " (expected whole numbers with units d, h, m, s, largest first, e.g. \"30s\", \"15m\", "
                   "\"4h\", \"1d\", \"1h30m\"; more than zero and at most " +
                   format_config_duration(kMaxConfigDuration) + ")");
  return std::nullopt;
}

std::optional<Zone> Validator::zone(const json& object, const std::string& path) {
  auto name = text(object, path, "timezone", Need::optional);
  if (!name) return std::nullopt;
  std::string error;
  if (auto found = Zone::find(*name, error)) return found;
  report(child_path(path, "timezone"), error);
  return std::nullopt;
}

bool Validator::is_object(const json& value, const std::string& path) {
  if (value.is_object()) return true;
  report(path, "must be an object, not " + a_type(value));
  return false;
}

bool Validator::not_blank(const std::string& value, const std::string& path) {
  if (!is_blank(value)) return true;
  report(path, "must not be empty");
  return false;
}

bool Validator::valid_id(const std::string& value, const std::string& path) {
  if (!not_blank(value, path)) return false;
  if (only_chars(value, "_.-")) return true;
  report(path, "must be letters, digits, '_', '.' and '-' only");
  return false;
}

bool Validator::valid_http_url(const std::string& url, const std::string& path) {
  // The client's own parser: a URL accepted here is one the outbox can send to. Its messages
  // never quote the URL (webhook URLs carry tokens).
  std::string error;
  if (parse_url(url, error)) return true;
  report(path, "must be an absolute http:// or https:// URL naming a host: " + error);
  return false;
}

void Validator::for_each_object(const json& root, std::string_view key, const ReadItem& read) {
  const json* list = member(root, "", key, Need::required);
  if (list == nullptr) return;
  std::string path = child_path("", key);
  if (!list->is_array()) {
    report(path, "must be an array, not " + a_type(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    if (!item.is_object()) {
      report(child_path(path, i), "must be an object, not " + a_type(item));
      continue;
    }
    read(item, child_path(path, i));
  }
}

void Validator::for_each_string_entry(const json& object, const std::string& path, std::string_view key,
                                      const VisitEntry& visit) {
  const json* entries = member(object, path, key, Need::optional);
  if (entries == nullptr) return;
  std::string entries_path = child_path(path, key);
  if (!is_object(*entries, entries_path)) return;
  for (const auto& [name, value] : entries->items()) {
    std::string entry_path = child_path(entries_path, name);
    if (auto entry = text_value(value, entry_path)) visit(name, *entry, entry_path);
  }
}

}  // namespace slabot::config_detail
