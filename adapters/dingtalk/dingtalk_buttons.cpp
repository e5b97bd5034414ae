#include "adapters/dingtalk/dingtalk_buttons.hpp"

#include <nlohmann/json.hpp>

#include "adapters/mention_guard.hpp"
#include "adapters/wire/percent.hpp"
#include "adapters/wire/text.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr std::string_view kInertOpenBracket = "\xEF\xBC\xBB";   // U+FF3B
constexpr std::string_view kInertCloseBracket = "\xEF\xBC\xBD";  // U+FF3D
constexpr std::string_view kInertGreaterThan = "\xEF\xBC\x9E";   // U+FF1E
// What shows in the conversation list and the notification: the message's first line, cut.
constexpr std::size_t kTitleBytes = 120;

std::string title_of(std::string_view text) {
  const auto end = text.find('\n');
  return truncate_utf8(text.substr(0, end), kTitleBytes);
}

// "or type /ack 12 · /escalate 12": what a client that does not follow the links needs.
std::string typed_fallback(const std::vector<MessageAction>& actions) {
  std::string line = "or type ";
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) line += " · ";
    line += tap_command(actions[i]);
  }
  return line;
}

}  // namespace

std::string dingtalk_send_link(const MessageAction& action) {
  return "dtmd://dingtalkclient/sendMessage?content=" + percent_encode(tap_command(action));
}

std::string dingtalk_markdown_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '[': out += kInertOpenBracket; break;
      case ']': out += kInertCloseBracket; break;
      case '<': out += kInertLessThan; break;
      case '>': out += kInertGreaterThan; break;
      case '\n': out += "\n\n"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

json dingtalk_buttons_body(const std::string& text, const std::vector<MessageAction>& actions, bool with_mentions) {
  const std::string markdown = dingtalk_markdown_text(text);
  if (with_mentions) {
    std::string links;
    for (const auto& action : actions) {
      if (!links.empty()) links += " · ";
      links += "[" + std::string(action_label(action.kind)) + "](" + dingtalk_send_link(action) + ")";
    }
    return {{"msgtype", "markdown"},
            {"markdown",
             {{"title", title_of(text)}, {"text", markdown + "\n\n" + links + "\n\n" + typed_fallback(actions)}}}};
  }
  json buttons = json::array();
  for (const auto& action : actions) {
    buttons.push_back({{"title", std::string(action_label(action.kind))}, {"actionURL", dingtalk_send_link(action)}});
  }
  return {{"msgtype", "actionCard"},
          {"actionCard",
           {{"title", title_of(text)},
            {"text", markdown + "\n\n" + typed_fallback(actions)},
            {"btnOrientation", "1"},
            {"btns", std::move(buttons)}}}};
}

}  // namespace slabot
