#pragma once
// Buttons on DingTalk without a callback: links that make the tapper send the command.
//
// DingTalk's clients open `dtmd://dingtalkclient/sendMessage?content=<percent-encoded text>`
// from a robot's markdown or ActionCard message by sending that text into the conversation as
// the person who tapped (DingTalk's own chatbot SDK sends it from an ActionCard button and a
// markdown link in its examples; public robots use it for "tap to ask"). So a tap on
// "Acknowledge" is "/ack 12" said by the engineer: it reaches slabot as their message, through
// the same callback or Stream path, permissions and de-duplication as typing it, with no
// callback route of slabot's own. Interactive cards with real callbacks need templates made in
// DingTalk's developer console (Stream's card callback): not used.
//
// A message without mentions goes as an ActionCard with one button per action (btns). One with
// mentions goes as markdown with the same links under the text, because an ActionCard cannot
// @-mention anyone and a breach ping must still notify the engineer. Either way the text ends
// with what to type instead ("or type /ack 12 · /escalate 12"), for clients that do not follow
// the links.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "domain/message_action.hpp"

namespace slabot {

// "dtmd://dingtalkclient/sendMessage?content=%2Fack%2012": the tap sends tap_command(action).
std::string dingtalk_send_link(const MessageAction& action);

// The bot's plain text made inert as DingTalk markdown: '[' ']' '<' '>' become their full-width
// forms, so text partners typed (a ticket title) can open no link (a dtmd link would make an
// engineer's tap send a command the partner chose) and no HTML; each line break becomes a
// paragraph break, which DingTalk's markdown shows as a new line.
std::string dingtalk_markdown_text(std::string_view text);

// The body's message part for `text` with `actions` (not empty): msgtype "actionCard" with btns,
// or, when `with_mentions`, msgtype "markdown" with the links in the text. The caller adds "at"
// (markdown only), msgUuid, and sends it as any other body.
nlohmann::json dingtalk_buttons_body(const std::string& text, const std::vector<MessageAction>& actions,
                                     bool with_mentions);

}  // namespace slabot
