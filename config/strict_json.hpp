#pragma once
// Parses the config text as strict JSON, with what nlohmann does not report by itself: a key given
// twice in one object. Errors give only a position: the parser's own text quotes the input, which
// may be a secret. Internal to config/.
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"

namespace slabot::config_detail {

struct StrictJson {
  std::optional<nlohmann::json> root;   // unset when the text is not JSON (one problem at "")
  std::vector<ConfigProblem> problems;  // duplicate keys, at their paths
};

StrictJson parse_strict_json(std::string_view text);

}  // namespace slabot::config_detail
