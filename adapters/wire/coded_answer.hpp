#pragma once
// Reading a platform that answers HTTP 200 with an error code in the body (DingTalk, Lark,
// WeCom): each platform is a table of its codes, this is the one reader.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/chat_adapter.hpp"

namespace slabot {

// What a code means for the outbox (the DeliveryResult kinds).
enum class CodeMeaning { delivered, throttled, retry_later, refused, give_up };

// How long a throttled code says to wait.
enum class CodeWait {
  outbox_backoff,  // unset: the outbox's backoff
  retry_after,     // the answer's Retry-After header, if any
  fixed,           // CodeRule::wait
};

struct CodeRule {
  long long code = 0;
  CodeMeaning meaning = CodeMeaning::give_up;
  CodeWait wait_from = CodeWait::outbox_backoff;
  Duration wait = {};
  // When set, the rule applies only when the platform's message contains this (one code with
  // several causes); otherwise the next rule for the code, or the table's default.
  std::string_view when_message_has = {};
  std::string_view note = {};  // appended to the error, e.g. " (the session expired)"
};

struct CodeTable {
  std::string_view error_prefix;                 // "DingTalk errcode": "DingTalk errcode 310000: ..."
  std::vector<std::string_view> code_fields;     // the first that holds an integer is the code
  std::vector<std::string_view> message_fields;  // the first non-empty string is the message
  std::vector<CodeRule> rules;                   // the first that matches wins
  CodeMeaning otherwise = CodeMeaning::give_up;  // unknown codes: the same request fails again
  // A non-2xx status is read by its status alone, whatever the body (WeCom); otherwise a body
  // with a code is read by its code whatever the status (DingTalk, Lark).
  bool status_first = false;
  // The error when a 2xx carries no code: not the platform's answer (a proxy's page, say), so
  // whether it arrived is unknown and it is retried. Given the HTTP status.
  std::string (*without_code)(int status) = nullptr;
  // The platform's message as it may go to the log (shortened, keys blanked); unset: at most
  // 120 bytes, cut on a character boundary.
  std::string (*message_for_log)(std::string message) = nullptr;
};

DeliveryResult read_coded_answer(const HttpResponse& response, const CodeTable& table);

}  // namespace slabot
