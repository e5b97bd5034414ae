#pragma once
// Slack's message markup: the three escaped characters and the <...> tokens for users, channels,
// special mentions and links (api.slack.com "Formatting text for app surfaces").
#include <string>
#include <string_view>

namespace slabot {

// Escapes &, < and > as Slack requires of text an app sends, so that text typed by someone
// (a ticket title) cannot turn into a link or an <!channel> announcement.
std::string slack_escape(std::string_view text);

// Turns Slack markup in a slash command's text back into what the person typed, so the
// command grammar sees plain words: <@U1|ann> -> @ann, <@U1> -> @U1, <#C1|ops> -> #ops,
// <!here> -> @here, <!subteam^S1|@oncall> -> @oncall, <http://x|x> -> x, <http://x> -> http://x,
// and &amp; &lt; &gt; -> & < >. Anything else is kept as it is.
std::string slack_plain_text(std::string_view text);

}  // namespace slabot
