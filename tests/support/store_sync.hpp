#pragma once
// Waits for an asynchronous Store write, for tests that want one outcome at a time.
#include <future>

#include "storage/store.hpp"

namespace slabot::testing {

template <typename Submit>
WriteOutcome wait_for(Submit&& submit) {
  std::promise<WriteOutcome> promise;
  auto future = promise.get_future();
  submit([&promise](WriteOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

}  // namespace slabot::testing
