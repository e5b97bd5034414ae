#include "adapters/wecom/wecom_text.hpp"

#include "adapters/wire.hpp"
#include "adapters/wire/percent.hpp"
#include "adapters/wire/text.hpp"

namespace slabot::wecom {
namespace {

// Bytes of the separator at the front of `s` (ASCII whitespace, NBSP, U+2000..U+200A, U+202F,
// U+3000), or 0.
std::size_t separator_length(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (s.starts_with("\xC2\xA0")) return 2;
  if (s.size() >= 3 && s.starts_with("\xE2\x80")) {
    const auto third = static_cast<unsigned char>(s[2]);
    if ((third >= 0x80 && third <= 0x8A) || third == 0xAF) return 3;
  }
  if (s.starts_with("\xE3\x80\x80")) return 3;
  return 0;
}

std::string_view skip_separators(std::string_view s) {
  while (const std::size_t n = separator_length(s)) s.remove_prefix(n);
  return s;
}

// '@' or the full-width '＠' a Chinese input method may produce.
std::size_t mention_mark(std::string_view s) {
  if (s.starts_with('@')) return 1;
  if (s.starts_with("\xEF\xBC\xA0")) return 3;
  return 0;
}

}  // namespace

std::optional<std::map<std::string, std::string>> parse_query(std::string_view target) {
  std::map<std::string, std::string> query;
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return query;
  std::string_view rest = target.substr(question + 1);
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), Plus::literal);
    auto value =
        percent_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), Plus::literal);
    if (!name || !value) return std::nullopt;
    if (!query.emplace(std::move(*name), std::move(*value)).second) return std::nullopt;
  }
  return query;
}

std::string strip_bot_mention(std::string_view text, std::string_view bot_name) {
  const std::string_view start = skip_separators(text);
  const std::size_t mark = mention_mark(start);
  if (mark == 0) return std::string(text);
  std::string_view after = start.substr(mark);
  if (const std::size_t name_mark = mention_mark(bot_name)) bot_name.remove_prefix(name_mark);

  if (!bot_name.empty()) {
    if (!istarts_with(after, bot_name)) return std::string(text);
    after.remove_prefix(bot_name.size());
    // "@slabot2" is someone else.
    if (!after.empty() && separator_length(after) == 0) return std::string(text);
  } else {
    while (!after.empty() && separator_length(after) == 0) after.remove_prefix(1);
  }
  return std::string(skip_separators(after));
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  static constexpr std::string_view ellipsis = "\xE2\x80\xA6";  // "…"
  if (max_bytes < ellipsis.size()) return slabot::truncate_utf8(text, max_bytes);
  return slabot::truncate_utf8(text, max_bytes - ellipsis.size()) + std::string(ellipsis);
}

}  // namespace slabot::wecom
