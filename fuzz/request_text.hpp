#pragma once
// The adapters target's input: a webhook request written as text, so seeds can be read and
// written by hand, and the adapter and the clock are chosen by the input too:
//
//   slack 1700000000                  <- adapter name, then the verifier's "now" (unix seconds)
//   POST /hooks/fuzz                  <- method and target
//   x-slack-signature: v0=...         <- headers, one a line, until an empty line
//
//   token=...&text=ack+12             <- the body: every byte after the empty line, as is
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_types.hpp"
#include "domain/ascii.hpp"
#include "domain/time.hpp"

namespace slabot::fuzz {

struct FuzzRequest {
  std::string adapter;
  Timestamp now;
  HttpRequest request;
};

namespace detail {

// The line at the front of `text`, without its '\n' (and a '\r' before it), taken off `text`.
inline std::string_view take_line(std::string_view& text) {
  const auto end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace detail

// nullopt when the first line names no adapter or its clock is not a number: not a request.
inline std::optional<FuzzRequest> read_fuzz_request(std::string_view text) {
  FuzzRequest out;
  const std::string_view first = detail::take_line(text);
  const auto space = first.find(' ');
  out.adapter = std::string(first.substr(0, space));
  if (out.adapter.empty()) return std::nullopt;
  std::int64_t seconds = 1700000000;  // the tests' signing time
  if (space != std::string_view::npos) {
    const std::string_view digits = first.substr(space + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
    // Within a few centuries of now: the server's clock is a real one.
    if (error != std::errc{} || end != digits.data() + digits.size() || seconds < 0 || seconds > 10'000'000'000) {
      return std::nullopt;
    }
  }
  out.now = from_unix_ms(seconds * 1000);

  const std::string_view request_line = detail::take_line(text);
  const auto target = request_line.find(' ');
  out.request.method = std::string(request_line.substr(0, target));
  if (target != std::string_view::npos) out.request.target = std::string(request_line.substr(target + 1));

  // Header names are lower-cased, as the HTTP server hands them to adapters.
  while (!text.empty()) {
    const std::string_view line = detail::take_line(text);
    if (line.empty()) break;
    const auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    out.request.headers[ascii_lower(line.substr(0, colon))] = std::string(value);
  }
  out.request.body = std::string(text);
  return out;
}

}  // namespace slabot::fuzz
