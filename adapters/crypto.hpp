#pragma once
// Thin OpenSSL wrappers shared by every adapter's signing code. Byte strings travel as
// std::string (raw bytes, not text); nothing here implements a primitive by hand.
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);

// Raw digests: 32 and 20 bytes.
std::string sha256(std::string_view data);
std::string sha1(std::string_view data);

// Lower-case hex of raw bytes.
std::string hex_encode(std::string_view bytes);
// Accepts either case; nullopt on an odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

// Standard alphabet with '=' padding (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);
// Strict about alphabet, length and padding (no whitespace, no line breaks); nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

// Equality whose running time depends only on the lengths, never on where the inputs differ:
// for comparing a received signature or token with the expected one.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace slabot
