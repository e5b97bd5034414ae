#include "adapters/teams/teams_text.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include "adapters/mention_guard.hpp"

namespace slabot {
namespace {

constexpr std::string_view at_open = "<at>";
constexpr std::string_view at_close = "</at>";
constexpr std::string_view nbsp_utf8 = "\xC2\xA0";

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// "&#39;" / "&#x27;" without the '&' and ';': the code point, if it is a character.
std::optional<std::uint32_t> numeric_reference(std::string_view body) {
  if (body.size() < 2 || body.front() != '#') return std::nullopt;
  body.remove_prefix(1);
  int base = 10;
  if (body.front() == 'x' || body.front() == 'X') {
    base = 16;
    body.remove_prefix(1);
  }
  std::uint32_t code = 0;
  const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), code, base);
  if (body.empty() || error != std::errc{} || end != body.data() + body.size()) return std::nullopt;
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  return code;
}

bool is_space(std::string_view s) {
  return s.starts_with(' ') || s.starts_with('\t') || s.starts_with('\n') || s.starts_with('\r');
}

std::string trim(std::string_view s) {
  while (!s.empty() && (is_space(s) || s.starts_with(nbsp_utf8))) s.remove_prefix(s.starts_with(nbsp_utf8) ? 2 : 1);
  while (!s.empty() && (is_space(s.substr(s.size() - 1)) || s.ends_with(nbsp_utf8))) {
    s.remove_suffix(s.ends_with(nbsp_utf8) ? 2 : 1);
  }
  return std::string(s);
}

}  // namespace

std::string decode_html_entities(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> named[] = {{"nbsp", " "}, {"amp", "&"},   {"lt", "<"},
                                                                        {"gt", ">"},   {"quot", "\""}, {"apos", "'"}};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      const std::size_t semicolon = text.find(';', i);
      // References are short; a far-off ';' belongs to other text.
      if (semicolon != std::string_view::npos && semicolon - i <= 10) {
        const std::string_view body = text.substr(i + 1, semicolon - i - 1);
        bool decoded = false;
        for (const auto& [name, value] : named) {
          if (body == name) {
            out += value;
            decoded = true;
            break;
          }
        }
        if (!decoded) {
          if (const auto code = numeric_reference(body)) {
            append_utf8(out, *code == 0xA0 ? ' ' : *code);
            decoded = true;
          }
        }
        if (decoded) {
          i = semicolon + 1;
          continue;
        }
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::string teams_plain_text(std::string_view text) {
  std::string out;
  bool first = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find(at_open, i);
    const std::size_t close = open == std::string_view::npos ? open : text.find(at_close, open);
    if (close == std::string_view::npos) break;
    const std::string_view before = text.substr(i, open - i);
    std::string name = trim(decode_html_entities(text.substr(open + at_open.size(), close - open - at_open.size())));
    out += decode_html_entities(before);
    // The bot's own mention leads the message; any other mention is kept as a word.
    const bool own = first && trim(decode_html_entities(before)).empty();
    if (!own && !name.empty()) {
      std::erase(name, '"');  // a quote inside a name would unbalance the grammar's quoting
      out += name.find(' ') == std::string::npos ? "@" + name : "@\"" + name + "\"";
    }
    first = false;
    i = close + at_close.size();
  }
  out += decode_html_entities(text.substr(i));
  // A no-break space typed (or pasted) between words still separates them for the grammar.
  std::string spaced;
  spaced.reserve(out.size());
  for (std::size_t at = 0; at < out.size();) {
    if (std::string_view(out).substr(at).starts_with(nbsp_utf8)) {
      spaced.push_back(' ');
      at += nbsp_utf8.size();
    } else {
      spaced.push_back(out[at++]);
    }
  }
  return trim(spaced);
}

std::string teams_inert_text(std::string_view text) { return defuse_markup(text, {"at"}); }

}  // namespace slabot
