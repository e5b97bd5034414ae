#pragma once
// One reading of Beast's errors for the server and the client alike: which mean the other side
// sent something that is not HTTP/1.1, as opposed to a stream that ended or a network failure.
// Included only by the .cpp files that already use Beast.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace slabot {

// Beast's parse errors, but not the ends of stream (the connection's, not the peer's bytes').
inline bool is_malformed_http(const boost::beast::error_code& ec) {
  namespace http = boost::beast::http;
  static const auto& parse_errors = http::make_error_code(http::error::bad_target).category();
  return ec.category() == parse_errors && ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace slabot
