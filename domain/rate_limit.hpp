#pragma once
#include "domain/time.hpp"

namespace slabot {

// At most `messages` per `per` to one destination; 0 messages means unlimited.
struct RateLimit {
  int messages = 0;
  Duration per{};
  bool unlimited() const { return messages <= 0 || per <= Duration::zero(); }
  bool operator==(const RateLimit&) const = default;
};

}  // namespace slabot
