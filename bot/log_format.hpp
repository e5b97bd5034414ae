#pragma once
// How serve writes its log: text lines for a terminal and journald, or one JSON object a line
// for log shippers (`slabot serve --log-format json`). Secrets never reach a log line in either.
#include <memory>
#include <optional>
#include <string_view>

#include <spdlog/formatter.h>

namespace slabot {

enum class LogFormat { text, json };

// "text" or "json"; nullopt otherwise.
std::optional<LogFormat> parse_log_format(std::string_view text);

// {"time":"2026-12-03T17:30:00.123Z","level":"info","logger":"...","thread":123,"msg":"..."}: the
// time in UTC with milliseconds, the message JSON-escaped (bytes that are not UTF-8 replaced), a
// line each.
std::unique_ptr<spdlog::formatter> json_log_formatter();

// Sets the format of every logger, the default one included.
void use_log_format(LogFormat format);

}  // namespace slabot
