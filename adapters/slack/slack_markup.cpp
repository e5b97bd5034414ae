#include "adapters/slack/slack_markup.hpp"

namespace slabot {
namespace {

// The three entities Slack escapes; every other '&' is literal.
std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("&amp;")) {
      out.push_back('&');
      i += 5;
    } else if (rest.starts_with("&lt;")) {
      out.push_back('<');
      i += 4;
    } else if (rest.starts_with("&gt;")) {
      out.push_back('>');
      i += 4;
    } else {
      out.push_back(rest.front());
      ++i;
    }
  }
  return out;
}

// One <...> token, without its brackets, as the person saw it.
std::string token_text(std::string_view inner) {
  const std::size_t bar = inner.find('|');
  const std::string_view target = inner.substr(0, bar);
  const std::string_view label = bar == std::string_view::npos ? std::string_view{} : inner.substr(bar + 1);
  if (target.starts_with('@') || target.starts_with('#')) {
    // A user or channel: the label is the name shown (without its sigil); else the id.
    return std::string(1, target.front()) + std::string(label.empty() ? target.substr(1) : label);
  }
  if (target.starts_with('!')) {
    if (!label.empty()) return std::string(label);                     // <!subteam^S1|@oncall>, <!date^...|fallback>
    return "@" + std::string(target.substr(1, target.find('^') - 1));  // <!here>, <!channel>
  }
  return std::string(label.empty() ? target : label);  // a link: what was typed
}

}  // namespace

std::string slack_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::vector<Mention> slack_user_mentions(std::string_view text) {
  std::vector<Mention> out;
  for (std::size_t i = 0; (i = text.find("<@", i)) != std::string_view::npos;) {
    const std::size_t close = text.find('>', i);
    if (close == std::string_view::npos) break;
    const std::string_view inner = text.substr(i + 2, close - i - 2);
    i = close + 1;
    const std::size_t bar = inner.find('|');
    const std::string_view id = inner.substr(0, bar);
    if (id.empty() || id.find('<') != std::string_view::npos) continue;
    const std::string label = bar == std::string_view::npos ? std::string() : decode_entities(inner.substr(bar + 1));
    bool seen = false;
    for (const auto& m : out) seen = seen || m.user_id == id;
    if (!seen) out.push_back({std::string(id), label});
  }
  return out;
}

std::string slack_plain_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t plain_from = 0;  // start of the text not yet copied
  std::size_t i = 0;
  while ((i = text.find('<', i)) != std::string_view::npos) {
    const std::size_t close = text.find('>', i);
    // Slack escapes a typed '<', so a bare one only appears in malformed input: keep it.
    if (close == std::string_view::npos) break;
    const std::string_view inner = text.substr(i + 1, close - i - 1);
    if (inner.find('<') != std::string_view::npos) {
      ++i;
      continue;
    }
    out += decode_entities(text.substr(plain_from, i - plain_from));
    out += decode_entities(token_text(inner));
    i = plain_from = close + 1;
  }
  out += decode_entities(text.substr(plain_from));
  return out;
}

}  // namespace slabot
