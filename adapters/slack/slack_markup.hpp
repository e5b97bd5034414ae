#pragma once
// Slack's message markup: the three escaped characters and the <...> tokens for users, channels,
// special mentions and links (api.slack.com "Formatting text for app surfaces").
#include <string>
#include <string_view>
#include <vector>

#include "domain/message.hpp"

namespace slabot {

// Escapes &, < and > as Slack requires of text an app sends, so that text typed by someone
// (a ticket title) cannot turn into a link or an <!channel> announcement.
std::string slack_escape(std::string_view text);

// Turns Slack markup in a slash command's text back into what the person typed, so the
// command grammar sees plain words: <@U1|ann> -> @ann, <@U1> -> @U1, <#C1|ops> -> #ops,
// <!here> -> @here, <!subteam^S1|@oncall> -> @oncall, <http://x|x> -> x, <http://x> -> http://x,
// and &amp; &lt; &gt; -> & < >. Anything else is kept as it is.
std::string slack_plain_text(std::string_view text);

// The users a slash command's text @-mentions, as Slack marks them up: <@U1|ann> is {U1, ann},
// <@U1> is {U1, ""} (api.slack.com "Formatting text for app surfaces": a command's text carries
// them when the command escapes users). Once each, in order.
std::vector<Mention> slack_user_mentions(std::string_view text);

}  // namespace slabot
