#include "adapters/wire/stream_base.hpp"

namespace slabot {

std::string stream_api_base(const Connection& connection, const std::string& default_base) {
  std::string base = connection.stream_url.empty() ? default_base : connection.stream_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace slabot
