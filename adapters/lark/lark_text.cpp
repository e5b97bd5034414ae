#include "adapters/lark/lark_text.hpp"

#include <cctype>

#include "adapters/mention_guard.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

constexpr std::string_view at_all_key = "@_all";

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

std::string lark_inbound_text(std::string_view text, const std::vector<LarkMention>& mentions,
                              std::vector<Mention>* mentioned) {
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
        if (mentioned && !mention->open_id.empty()) {
          bool seen = false;
          for (const auto& m : *mentioned) seen = seen || m.user_id == mention->open_id;
          if (!seen) mentioned->push_back({mention->open_id, mention->name});
        }
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

}  // namespace slabot
