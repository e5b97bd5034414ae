#pragma once
// Text the bot repeats (a ticket title, a note, a reason) is partly what partners typed: on no
// platform may it mention everyone, nor open the platform's mention markup. The adapters call
// these on the message text before adding the bot's own mentions, which are structured
// (OutboundMessage::mentions) and never come from text. What replaces a live character is its
// full-width form: visible, read the same, and never markup or a mention on any platform.
#include <initializer_list>
#include <string>
#include <string_view>

namespace slabot {

// U+FF1C FULLWIDTH LESS-THAN SIGN and U+FF20 FULLWIDTH COMMERCIAL AT, as UTF-8.
inline constexpr std::string_view kInertLessThan = "\xEF\xBC\x9C";
inline constexpr std::string_view kInertAtSign = "\xEF\xBC\xA0";

// `text` with every '<' directly followed by one of `openers` (ASCII case-insensitively) written
// as U+FF1C: with {"at"}, `<at user_id="all">` cannot be a tag; with {"!"}, `<!channel>` cannot
// be Slack-style markup.
std::string defuse_markup(std::string_view text, std::initializer_list<std::string_view> openers);

// `text` with the '@' of every `@word` for the given `words` (ASCII case-insensitively; "@ALL",
// "@All") written as U+FF20, unless an ASCII letter or digit continues the word ("@allison"
// names a person) or stands right before the '@' ("ops@all.example" is an address). Any other
// character before it counts as a word break: platforms split words differently ("x.@all" and
// "_@all" are mentions on Mattermost), and a break too many only costs a full-width '@'.
std::string defuse_mention_words(std::string_view text, std::initializer_list<std::string_view> words);

}  // namespace slabot
