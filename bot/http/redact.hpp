#pragma once
// Hiding secrets before a URL or a header reaches a log line. Pure functions, no I/O: what the
// outbound client logs must never carry a token an operator could paste into a ticket.
#include <map>
#include <string>
#include <string_view>

namespace slabot {

// The mask every secret is replaced with.
inline constexpr std::string_view redacted = "***";

// True for a query-string key whose value is a credential: access_token, key, token, sign,
// secret, signature, password, api_key, client_secret, ... and keys ending in _token, _secret,
// _key or _signature. Case-insensitive.
bool is_secret_query_key(std::string_view key);

// True for a header whose value is a credential: Authorization, Proxy-Authorization, Cookie,
// X-*-Signature, X-*-Token, X-*-Secret, X-Telegram-Bot-Api-Secret-Token, X-Api-Key, ...
// Case-insensitive.
bool is_secret_header(std::string_view name);

// `url` with its secrets masked:
//   - the values of secret query keys:       ?access_token=abc&x=1  -> ?access_token=***&x=1
//   - Telegram's bot token in the path:      /bot123:ABC/sendMessage -> /bot***/sendMessage
//   - a webhook token at the end of Lark / Feishu's /hook/<token> and Slack's
//     /services/<team>/<bot>/<token> paths
//   - the password of user:password@ in the authority (proxy URLs)
// Anything that does not parse as a URL is masked as a whole, since it cannot be checked.
std::string redact_url(std::string_view url);

// The header's value, or the mask when is_secret_header(name).
std::string redact_header_value(std::string_view name, std::string_view value);

// "name: value, name: value" for a log line, secrets masked.
std::string describe_headers(const std::map<std::string, std::string>& headers);

}  // namespace slabot
