#pragma once
// What the bot keeps of text someone typed (titles, notes, reasons, summaries, customer labels,
// display names) before it stores it and says it again in a group: no invisible characters that
// could reorder what others read ("abc\u202Etxt.exe" shows as "abcexe.txt") or hide words.
#include <string>
#include <string_view>

namespace slabot::text {

// An invisible format character removed from typed text. The table (clean_text.cpp) holds the
// Unicode format characters (category Cf) that show nothing and can spoof what is read:
//   bidi controls      U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069
//   zero width         U+200B..U+200D, U+2060..U+2064, U+FEFF, U+180E
//   soft hyphen        U+00AD
//   deprecated format  U+206A..U+206F
//   annotations        U+FFF9..U+FFFB
//   shorthand, music   U+1BCA0..U+1BCA3, U+1D173..U+1D17A
//   tags               U+E0001, U+E0020..U+E007F (invisible text smuggled after a word)
// and, though a mark rather than Cf, the combining grapheme joiner U+034F, as invisible.
// Left alone: Cf characters that show something or only shape their own script (the Arabic
// number signs U+0600..U+0605, U+06DD, U+070F, U+0890, U+0891, U+08E2, the Kaithi number signs,
// the Egyptian hieroglyph controls), and letters that merely look blank (Hangul fillers).
bool is_invisible(char32_t code_point);

// `s` (well-formed UTF-8) without its invisible characters, with two exceptions that are part
// of an emoji and cannot move or hide text: a zero width joiner between two emoji (the family
// 👨‍👩‍👧, the rainbow flag, 👩🏽‍💻) and the tag characters of a subdivision flag after 🏴
// (England, Scotland, Wales). The line and paragraph separators U+2028 and U+2029 become a space, as a line break does
// in the one-line fields. Nothing else changes.
std::string without_invisible(std::string_view s);

// A display name as the platform gave it, on one line: bytes that are not UTF-8 become U+FFFD,
// control characters and line breaks a space, invisible characters go as in without_invisible,
// and the ends are trimmed of ASCII blanks.
std::string clean_name(std::string_view s);

}  // namespace slabot::text
