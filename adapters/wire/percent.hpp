#pragma once
// Percent-encoding (RFC 3986), both ways: form bodies, callback queries, signed URLs and proxy
// credentials all use it.
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// What a '+' means when decoding: a space in a form body (application/x-www-form-urlencoded),
// itself everywhere else (base64 values in a query, credentials in a URL).
enum class Plus { space, literal };

// `text` with every %XX turned into its byte; nullopt when a '%' is not followed by two hex
// digits (such text did not come from a well-behaved sender).
std::optional<std::string> percent_decode(std::string_view text, Plus plus);

// Lenient: a malformed escape stays as written, '+' is a space. Only for comparing names, never
// for a value anything is checked against.
std::string percent_decode_lenient(std::string_view text);

// Every byte but the unreserved ones (A-Z a-z 0-9 - _ . ~) as %XX, upper-case hex.
std::string percent_encode(std::string_view text);

}  // namespace slabot
