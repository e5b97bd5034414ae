#pragma once
// Reading an adapter's outcomes in tests, and the platform answers they read.
#include <map>
#include <string>
#include <variant>

#include <catch2/catch.hpp>

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

// The one message a parse outcome holds (the test fails otherwise).
inline InboundMessage only_message(const ParseOutcome& outcome) {
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  REQUIRE(parsed->messages.size() == 1);
  return parsed->messages.front();
}

// A platform's answer to a send.
inline HttpResponse answer(int status, std::string body, std::map<std::string, std::string> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

}  // namespace slabot::testing
