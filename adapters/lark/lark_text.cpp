#include "adapters/lark/lark_text.hpp"

#include <cctype>

#include "adapters/mention_guard.hpp"

namespace slabot {
namespace {

constexpr std::string_view at_all_key = "@_all";

// Length in bytes of the blank at the front of `s` (ASCII whitespace, or the no-break,
// four-per-em and ideographic spaces clients put around mentions); 0 when none.
std::size_t blank_at_front(std::string_view s) {
  if (s.empty()) return 0;
  if (std::isspace(static_cast<unsigned char>(s.front()))) return 1;
  for (std::string_view blank : {"\u00A0", "\u2005", "\u3000"}) {
    if (s.starts_with(blank)) return blank.size();
  }
  return 0;
}

std::size_t blank_at_back(std::string_view s) {
  if (s.empty()) return 0;
  if (std::isspace(static_cast<unsigned char>(s.back()))) return 1;
  for (std::string_view blank : {"\u00A0", "\u2005", "\u3000"}) {
    if (s.ends_with(blank)) return blank.size();
  }
  return 0;
}

std::string_view trim_blanks(std::string_view s) {
  while (const std::size_t n = blank_at_front(s)) s.remove_prefix(n);
  while (const std::size_t n = blank_at_back(s)) s.remove_suffix(n);
  return s;
}

// The mention whose placeholder starts `s`, preferring the longest ("@_user_10" over
// "@_user_1"); nullptr when none.
const LarkMention* mention_at(std::string_view s, const std::vector<LarkMention>& mentions) {
  const LarkMention* best = nullptr;
  for (const auto& mention : mentions) {
    if (mention.key.empty() || !s.starts_with(mention.key)) continue;
    if (!best || mention.key.size() > best->key.size()) best = &mention;
  }
  return best;
}

// Length of the placeholder that starts `s`, 0 when none.
std::size_t placeholder_at(std::string_view s, const std::vector<LarkMention>& mentions) {
  if (const LarkMention* mention = mention_at(s, mentions)) return mention->key.size();
  return s.starts_with(at_all_key) ? at_all_key.size() : 0;
}

// Characters that would end the attribute or the tag they are put in.
std::string markup_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '<' && c != '>' && c != '"') out.push_back(c);
  }
  return out;
}

}  // namespace

std::string lark_inbound_text(std::string_view text, const std::vector<LarkMention>& mentions) {
  text = trim_blanks(text);
  while (const std::size_t length = placeholder_at(text, mentions)) {
    text = trim_blanks(text.substr(length));
  }

  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    if (text.starts_with("@_")) {
      if (const LarkMention* mention = mention_at(text, mentions)) {
        out += "@" + (mention->name.empty() ? mention->open_id : mention->name);
        text.remove_prefix(mention->key.size());
        continue;
      }
      if (text.starts_with(at_all_key)) {
        out += "@all";
        text.remove_prefix(at_all_key.size());
        continue;
      }
    }
    out.push_back(text.front());
    text.remove_prefix(1);
  }
  return std::string(trim_blanks(out));
}

std::string lark_outbound_text(std::string_view text, const std::vector<Mention>& mentions) {
  // Lark documents no escape for text messages: a '<' that would open an <at> tag (`<at
  // user_id="all">` mentions everyone) is written in full width instead.
  std::string out = defuse_markup(text, {"at"});
  for (const auto& mention : mentions) {
    const std::string id = markup_safe(mention.user_id);
    if (id.empty()) continue;
    const std::string name = markup_safe(mention.name.empty() ? mention.user_id : mention.name);
    if (!out.empty()) out.push_back(' ');
    out += "<at user_id=\"" + id + "\">" + name + "</at>";
  }
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back up over continuation bytes to the start of the sequence that would be split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace slabot
