#include "adapters/slack/form_body.hpp"

#include "adapters/wire/percent.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
  std::map<std::string, std::string> form;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), Plus::space);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), Plus::space);
    if (!name || !value || !valid_utf8(*name) || !valid_utf8(*value)) return std::nullopt;
    form.emplace(std::move(*name), std::move(*value));  // emplace keeps the first value
  }
  return form;
}

const std::string& form_field(const std::map<std::string, std::string>& form, const std::string& name) {
  static const std::string absent;
  const auto found = form.find(name);
  return found == form.end() ? absent : found->second;
}

}  // namespace slabot
