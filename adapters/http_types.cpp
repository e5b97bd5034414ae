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

const std::string& HttpResponse::header(const std::string& name) const { return find_header(headers, name); }

}  // namespace slabot
