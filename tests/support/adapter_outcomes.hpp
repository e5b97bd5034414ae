#pragma once
// Reading an adapter's verify and parse outcomes in tests.
#include <variant>

#include "adapters/chat_adapter.hpp"

namespace slabot::testing {

// The status of a Rejected outcome; 0 when it was not rejected.
inline int rejected_status(const VerifyResult& result) {
  const auto* rejected = std::get_if<Rejected>(&result);
  return rejected ? rejected->status : 0;
}

inline int rejected_status(const ParseOutcome& outcome) {
  const auto* rejected = std::get_if<Rejected>(&outcome);
  return rejected ? rejected->status : 0;
}

}  // namespace slabot::testing
