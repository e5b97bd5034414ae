#pragma once
// What every fuzz target uses to state an invariant. A broken one is a finding like a crash:
// it prints what broke and aborts, so libFuzzer saves the input as crash-<sha1>.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#define FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::slabot::fuzz::fail("invariant broken", #condition, __FILE__, __LINE__))

namespace slabot::fuzz {

[[noreturn]] inline void fail(const char* kind, std::string_view what, const char* file, int line) {
  std::fprintf(stderr, "fuzz: %s: %.*s (%s:%d)\n", kind, static_cast<int>(what.size()), what.data(), file, line);
  std::abort();
}

// Runs `call`, which the API promises never throws (or throws only what the caller handles):
// anything escaping is a finding, reported with its what().
template <class Call>
decltype(auto) no_throw(Call&& call, const char* file, int line) {
  try {
    return call();
  } catch (const std::exception& e) {
    fail("exception escaped", e.what(), file, line);
  } catch (...) {
    fail("exception escaped", "(not a std::exception)", file, line);
  }
}

}  // namespace slabot::fuzz

#define FUZZ_NO_THROW(expression) \
  ::slabot::fuzz::no_throw([&]() -> decltype(auto) { return expression; }, __FILE__, __LINE__)
