#include "commands/clean_text.hpp"

#include <array>

#include "commands/utf8.hpp"

namespace slabot::text {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// The invisible characters (see the header for why each group is here).
constexpr std::array<Range, 15> kInvisible{{
    {0x00AD, 0x00AD},    // soft hyphen
    {0x034F, 0x034F},    // combining grapheme joiner (a mark, not Cf, but as invisible)
    {0x061C, 0x061C},    // Arabic letter mark (bidi)
    {0x180E, 0x180E},    // Mongolian vowel separator
    {0x200B, 0x200F},    // zero width space, non-joiner, joiner; LRM, RLM
    {0x202A, 0x202E},    // bidi embeddings and overrides
    {0x2060, 0x2064},    // word joiner, invisible math operators
    {0x2066, 0x2069},    // bidi isolates
    {0x206A, 0x206F},    // deprecated format characters
    {0xFEFF, 0xFEFF},    // byte order mark, zero width no-break space
    {0xFFF9, 0xFFFB},    // interlinear annotation
    {0x1BCA0, 0x1BCA3},  // shorthand format controls
    {0x1D173, 0x1D17A},  // musical symbol format controls
    {0xE0001, 0xE0001},  // language tag
    {0xE0020, 0xE007F},  // tag characters
}};

constexpr char32_t kZeroWidthJoiner = 0x200D;
constexpr char32_t kEmojiPresentation = 0xFE0F;  // variation selector 16
constexpr char32_t kBlackFlag = 0x1F3F4;
constexpr char32_t kLineSeparator = 0x2028;
constexpr char32_t kParagraphSeparator = 0x2029;
constexpr char32_t kCancelTag = 0xE007F;
constexpr std::size_t kMaxFlagTags = 7;                    // "gbeng" and its kind are 5
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool in(char32_t cp, char32_t first, char32_t last) { return cp >= first && cp <= last; }

// Emoji that a zero width joiner may join (Unicode's Extended_Pictographic, in its blocks).
bool is_pictographic(char32_t cp) {
  return cp == 0x00A9 || cp == 0x00AE || cp == 0x203C || cp == 0x2049 || cp == 0x2122 || cp == 0x2139 ||
         in(cp, 0x2194, 0x21AA) || in(cp, 0x2300, 0x23FF) || cp == 0x24C2 || in(cp, 0x25A0, 0x27BF) ||
         in(cp, 0x2934, 0x2935) || in(cp, 0x2B00, 0x2BFF) || cp == 0x3030 || cp == 0x303D || cp == 0x3297 ||
         cp == 0x3299 || in(cp, 0x1F000, 0x1FAFF) || in(cp, 0x1FC00, 0x1FFFD);
}

bool starts_with_pictographic(std::string_view s) {
  if (s.empty()) return false;
  const utf8::Decoded next = utf8::decode(s);
  return next.length != 0 && is_pictographic(next.code_point);
}

// Bytes of a subdivision flag's tags at the front of `s` (letters or digits as tags, then the
// cancel tag), 0 when there is none.
std::size_t flag_tags_length(std::string_view s) {
  std::size_t bytes = 0;
  for (std::size_t tags = 0; tags <= kMaxFlagTags && bytes < s.size(); ++tags) {
    const utf8::Decoded tag = utf8::decode(s.substr(bytes));
    if (tag.length == 0) return 0;
    bytes += tag.length;
    if (tag.code_point == kCancelTag) return tags == 0 ? 0 : bytes;
    if (!in(tag.code_point, 0xE0030, 0xE0039) && !in(tag.code_point, 0xE0061, 0xE007A)) return 0;
  }
  return 0;
}

bool is_ascii_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_control(char32_t cp) { return cp < 0x20 || in(cp, 0x7F, 0x9F); }

}  // namespace

bool is_invisible(char32_t code_point) {
  for (const Range& range : kInvisible) {
    if (in(code_point, range.first, range.last)) return true;
  }
  return false;
}

std::string without_invisible(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool after_emoji = false;  // the last character kept is (part of) an emoji
  while (!s.empty()) {
    const utf8::Decoded c = utf8::decode(s);
    if (c.length == 0) {  // not expected (the caller checked); copied, never dropped silently
      out.push_back(s.front());
      s.remove_prefix(1);
      after_emoji = false;
      continue;
    }
    const std::string_view bytes = s.substr(0, c.length);
    s.remove_prefix(c.length);
    if (c.code_point == kBlackFlag) {
      const std::size_t tags = flag_tags_length(s);
      out.append(bytes).append(s.substr(0, tags));
      s.remove_prefix(tags);
      after_emoji = true;
      continue;
    }
    if (c.code_point == kZeroWidthJoiner && after_emoji && starts_with_pictographic(s)) {
      out.append(bytes);
      continue;
    }
    if (c.code_point == kLineSeparator || c.code_point == kParagraphSeparator) {
      out.push_back(' ');
      after_emoji = false;
      continue;
    }
    if (is_invisible(c.code_point)) continue;  // what came before and after now touch
    out.append(bytes);
    after_emoji = is_pictographic(c.code_point) || (after_emoji && c.code_point == kEmojiPresentation);
  }
  return out;
}

std::string clean_name(std::string_view s) {
  std::string line;
  line.reserve(s.size());
  while (!s.empty()) {
    const utf8::Decoded c = utf8::decode(s);
    if (c.length == 0) {
      line.append(kReplacement);
      s.remove_prefix(1);
      continue;
    }
    if (is_control(c.code_point)) {
      line.push_back(' ');
    } else {
      line.append(s.substr(0, c.length));
    }
    s.remove_prefix(c.length);
  }
  std::string out = without_invisible(line);
  std::string_view trimmed(out);
  while (!trimmed.empty() && is_ascii_blank(trimmed.front())) trimmed.remove_prefix(1);
  while (!trimmed.empty() && is_ascii_blank(trimmed.back())) trimmed.remove_suffix(1);
  return std::string(trimmed);
}

}  // namespace slabot::text
