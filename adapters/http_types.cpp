#include "adapters/http_types.hpp"

namespace slabot {

namespace {
const std::string& find_header(const std::map<std::string, std::string>& headers, const std::string& name) {
  static const std::string absent;
  const auto found = headers.find(name);
  return found == headers.end() ? absent : found->second;
}
}  // namespace

const std::string& HttpRequest::header(const std::string& name) const { return find_header(headers, name); }

std::string_view transport_failure_name(TransportFailure failure) {
  switch (failure) {
    case TransportFailure::none: return "answered";
    case TransportFailure::bad_request: return "bad request";
    case TransportFailure::resolve: return "DNS";
    case TransportFailure::connect: return "connect";
    case TransportFailure::proxy: return "proxy";
    case TransportFailure::tls: return "TLS";
    case TransportFailure::timeout: return "timeout";
    case TransportFailure::connection_lost: return "connection lost";
    case TransportFailure::too_large: return "too large";
    case TransportFailure::malformed: return "malformed answer";
    case TransportFailure::stopped: return "stopped";
    case TransportFailure::internal: return "internal error";
  }
  return "unknown";
}

const std::string& HttpResponse::header(const std::string& name) const { return find_header(headers, name); }

}  // namespace slabot
