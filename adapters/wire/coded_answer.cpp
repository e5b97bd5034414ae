#include "adapters/wire/coded_answer.hpp"

#include <nlohmann/json.hpp>

#include "adapters/delivery.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr std::size_t max_message_text = 120;  // the message is for the log, keep it short

std::optional<long long> code_of(const json& body, const CodeTable& table) {
  if (!body.is_object()) return std::nullopt;
  for (const std::string_view name : table.code_fields) {
    const auto found = body.find(name);
    if (found != body.end() && found->is_number_integer()) return found->get<long long>();
  }
  return std::nullopt;
}

std::string message_of(const json& body, const CodeTable& table) {
  for (const std::string_view name : table.message_fields) {
    const auto found = body.find(name);
    if (found != body.end() && found->is_string() && !found->get_ref<const std::string&>().empty()) {
      return found->get<std::string>();
    }
  }
  return {};
}

std::optional<Duration> wait_of(const CodeRule& rule, const HttpResponse& response) {
  switch (rule.wait_from) {
    case CodeWait::retry_after: return retry_after(response);
    case CodeWait::fixed: return rule.wait;
    case CodeWait::outbox_backoff: break;
  }
  return std::nullopt;
}

DeliveryResult result_of(CodeMeaning meaning, std::optional<Duration> wait, std::string error) {
  switch (meaning) {
    case CodeMeaning::delivered: return Delivered{};
    case CodeMeaning::throttled: return Throttled{wait, std::move(error)};
    case CodeMeaning::retry_later: return RetryLater{wait, std::move(error)};
    case CodeMeaning::refused: return Refused{std::move(error)};
    case CodeMeaning::give_up: break;
  }
  return GiveUp{std::move(error)};
}

}  // namespace

DeliveryResult read_coded_answer(const HttpResponse& response, const CodeTable& table) {
  if (table.status_first && (response.status < 200 || response.status >= 300)) {
    return interpret_http_status(response);
  }
  const auto body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const auto code = code_of(body, table);
  if (!code) {
    const DeliveryResult by_status = interpret_http_status(response);
    if (std::holds_alternative<Delivered>(by_status)) {
      return RetryLater{std::nullopt, table.without_code(response.status)};
    }
    return by_status;
  }
  const std::string message = message_of(body, table);
  const std::string shown = message.empty()         ? message
                            : table.message_for_log ? table.message_for_log(message)
                                                    : shorten_for_log(message, max_message_text);
  const std::string error =
      std::string(table.error_prefix) + " " + std::to_string(*code) + (shown.empty() ? "" : ": " + shown);
  for (const CodeRule& rule : table.rules) {
    if (rule.code != *code) continue;
    if (!rule.when_message_has.empty() && message.find(rule.when_message_has) == std::string::npos) continue;
    return result_of(rule.meaning, wait_of(rule, response), error + std::string(rule.note));
  }
  return result_of(table.otherwise, std::nullopt, error);
}

}  // namespace slabot
