#pragma once
// Mattermost's mentions, and the text the bot posts there.
#include <string>
#include <string_view>

namespace slabot {

// `text` as Mattermost may show it to a channel: @all, @channel and @here (any case) notify
// everyone, and so do Slack's <!all>, <!channel> and <!here>, which Mattermost turns into them in
// webhook and slash-command posts (server app/slack.go, expandAnnouncement); <@userid> becomes a
// user's mention there too. Their '@' and '<' are written in full width (＠all, ＜!channel>):
// still readable, never a mention (Mattermost's mention parser takes only an ASCII '@' word).
std::string mattermost_inert_text(std::string_view text);

}  // namespace slabot
