#pragma once
// The text of a Teams activity as the bot's grammar wants it: Bot Framework text carries
// mentions as <at>Name</at> and HTML entities (&nbsp; after a mention, &amp;, &#39;, ...).
#include <string>
#include <string_view>

namespace slabot {

// Decodes HTML character references: the common named ones (&nbsp; becomes a plain space, so
// words stay apart for the grammar) and numeric ones (&#39; &#x27;). Unknown ones stay as is.
std::string decode_html_entities(std::string_view text);

// The message with the bot's own mention (the <at>...</at> it starts with, which Teams puts
// there because the webhook is only called when @-mentioned) removed, other mentions as
// @Name (@"Two Words" when the name has spaces, so /assign takes it as one person), entities
// decoded and the ends trimmed.
std::string teams_plain_text(std::string_view text);

// Text the bot sends to Teams, with a literal "<at" (any case) written "＜at": a mention is an
// <at>Name</at> tag matched by an entity the bot adds itself (OutboundMessage::mentions); text
// someone typed must not be able to write one, or to shadow the tag an entity points at.
std::string teams_inert_text(std::string_view text);

}  // namespace slabot
