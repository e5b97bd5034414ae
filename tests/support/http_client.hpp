#pragma once
// A tiny synchronous HTTP/1.1 client for loopback tests; Beast stays in the .cpp.
#include <map>
#include <string>

namespace slabot::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string content_type;
};

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body);

// A POST to a generic-adapter connection, signed with `secret` at unix time `signed_at`.
HttpResult post_generic(unsigned short port, const std::string& connection, const std::string& secret,
                        long long signed_at, const std::string& body);

}  // namespace slabot::testing
