#include "bot/http/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "adapters/wire/percent.hpp"
#include "domain/ascii.hpp"

namespace slabot {

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// key=value&key=value with the values of secret keys masked.
std::string redact_query(std::string_view query) {
  std::string out;
  bool first = true;
  for (const auto pair : split(query, '&')) {
    if (!first) out.push_back('&');
    first = false;
    const auto equals = pair.find('=');
    const auto key = pair.substr(0, equals);
    if (equals != std::string_view::npos && is_secret_query_key(percent_decode_lenient(key))) {
      out.append(key).push_back('=');
      out.append(redacted);
    } else {
      out.append(pair);
    }
  }
  return out;
}

// A Telegram bot token segment: "bot" + "<digits>:<secret>" (the colon may be escaped).
bool is_telegram_token_segment(std::string_view segment) {
  if (segment.size() <= 3 || segment.substr(0, 3) != "bot") return false;
  const auto rest = segment.substr(3);
  const bool has_colon = rest.find(':') != std::string_view::npos || ascii_lower(rest).find("%3a") != std::string::npos;
  return has_colon && std::isdigit(static_cast<unsigned char>(rest.front()));
}

std::string redact_path(std::string_view host, std::string_view path) {
  const bool slack_hooks = ascii_lower(host) == "hooks.slack.com";
  auto segments = split(path, '/');
  std::string out;
  // Slack: /services/<team>/<bot>/<token>; only the last part is the secret.
  int slack_index = -1;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto segment = segments[i];
    if (i > 0) out.push_back('/');
    const bool after_hook = i > 0 && (segments[i - 1] == "hook" || segments[i - 1] == "hooks");
    if (slack_index >= 0) ++slack_index;
    if (slack_hooks && segment == "services" && slack_index < 0) slack_index = 0;
    if (is_telegram_token_segment(segment)) {
      out.append("bot").append(redacted);
    } else if ((after_hook || slack_index == 3) && !segment.empty()) {
      out.append(redacted);
    } else {
      out.append(segment);
    }
  }
  return out;
}

// The host of "host:port" or "[v6]:port"; only compared with names, so brackets may stay.
std::string_view host_name(std::string_view authority) {
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.find(']') != std::string_view::npos) {
    return authority;
  }
  return authority.substr(0, colon);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_secret_query_key(std::string_view key) {
  static constexpr std::array<std::string_view, 18> exact = {
      "access_token",  "token",         "key",      "sign", "secret",     "signature",
      "sig",           "password",      "passwd",   "pwd",  "api_key",    "apikey",
      "client_secret", "refresh_token", "id_token", "auth", "app_secret", "private_key"};
  const std::string name = ascii_lower(key);
  if (std::find(exact.begin(), exact.end(), name) != exact.end()) return true;
  for (const std::string_view suffix :
       {"_token", "_secret", "_key", "_signature", "-token", "-secret", "-key", "-signature"}) {
    if (ends_with(name, suffix)) return true;
  }
  return false;
}

bool is_secret_header(std::string_view name) {
  static constexpr std::array<std::string_view, 7> exact = {
      "authorization", "proxy-authorization", "cookie", "set-cookie", "signature", "x-telegram-bot-api-secret-token",
      "x-api-key"};
  const std::string header = ascii_lower(name);
  if (std::find(exact.begin(), exact.end(), header) != exact.end()) return true;
  if (header.substr(0, 2) != "x-") return false;
  return header.find("signature") != std::string::npos || ends_with(header, "-token") || ends_with(header, "-secret") ||
         ends_with(header, "-key");
}

std::string redact_url(std::string_view url) {
  std::string out;
  std::string_view host;
  std::string_view rest = url;

  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const auto scheme = url.substr(0, scheme_end);
    const bool valid_scheme = !scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '+' || c == '-' || c == '.';
    });
    if (!valid_scheme) return std::string(redacted);
    out.append(url.substr(0, scheme_end + 3));
    rest = url.substr(scheme_end + 3);
    const auto authority_end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, authority_end);
    rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const auto userinfo = authority.substr(0, at);
      const auto colon = userinfo.find(':');
      if (colon != std::string_view::npos) {
        out.append(userinfo.substr(0, colon + 1)).append(redacted);
      } else {
        out.append(redacted);
      }
      out.push_back('@');
      authority.remove_prefix(at + 1);
    }
    out.append(authority);
    host = authority;
  } else if (url.empty() || url.front() != '/') {
    return std::string(redacted);
  }

  const auto query_at = rest.find_first_of("?#");
  out.append(redact_path(host_name(host), rest.substr(0, query_at)));
  if (query_at == std::string_view::npos) return out;
  rest.remove_prefix(query_at);
  if (rest.front() == '?') {
    const auto fragment_at = rest.find('#');
    out.push_back('?');
    out.append(
        redact_query(rest.substr(1, fragment_at == std::string_view::npos ? std::string_view::npos : fragment_at - 1)));
    if (fragment_at == std::string_view::npos) return out;
    rest.remove_prefix(fragment_at);
  }
  // A fragment is never sent, but OAuth-style ones carry tokens: same treatment as a query.
  out.push_back('#');
  out.append(redact_query(rest.substr(1)));
  return out;
}

std::string redact_header_value(std::string_view name, std::string_view value) {
  return is_secret_header(name) ? std::string(redacted) : std::string(value);
}

std::string describe_headers(const std::map<std::string, std::string>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out.append(", ");
    out.append(name).append(": ").append(redact_header_value(name, value));
  }
  return out;
}

}  // namespace slabot
