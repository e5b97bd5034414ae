#pragma once
// The open platform a stream connection talks to, for its session (the socket's open call) and
// its adapter (Lark's cards go to the same platform's IM API).
#include <string>

#include "config/config.hpp"

namespace slabot {

// The connection's stream_url when it has one (Lark's domain, a test's fake), else the platform's
// `default_base`; without a trailing slash.
std::string stream_api_base(const Connection& connection, const std::string& default_base);

}  // namespace slabot
