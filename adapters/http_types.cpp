#include "adapters/http_types.hpp"

namespace slabot {

const std::string& HttpRequest::header(const std::string& name) const {
  static const std::string absent;
  const auto found = headers.find(name);
  return found == headers.end() ? absent : found->second;
}

}  // namespace slabot
