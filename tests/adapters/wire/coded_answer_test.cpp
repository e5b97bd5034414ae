#include "adapters/wire/coded_answer.hpp"

#include <catch2/catch.hpp>

#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;

namespace {

std::string without_code(int status) { return "Example answered HTTP " + std::to_string(status) + " without a code"; }

std::string blanked(std::string) { return "(blanked)"; }

// A made-up platform: every kind of rule once.
const CodeTable& table() {
  static const CodeTable example{
      .error_prefix = "Example code",
      .code_fields = {"code", "OldCode"},
      .message_fields = {"msg", "OldMsg"},
      .rules =
          {
              {.code = 0, .meaning = CodeMeaning::delivered},
              {.code = 1, .meaning = CodeMeaning::throttled, .wait_from = CodeWait::retry_after},
              {.code = 2,
               .meaning = CodeMeaning::throttled,
               .wait_from = CodeWait::fixed,
               .wait = std::chrono::minutes(10)},
              {.code = 3, .meaning = CodeMeaning::throttled},
              {.code = 4, .meaning = CodeMeaning::refused},
              {.code = 5,
               .meaning = CodeMeaning::retry_later,
               .when_message_has = "timestamp",
               .note = " (signed afresh)"},
          },
      .without_code = without_code,
  };
  return example;
}

using testing::answer;

}  // namespace

TEST_CASE("coded answer: each code reads as its rule says, keeping the platform's reason", "[wire]") {
  CHECK(std::holds_alternative<Delivered>(read_coded_answer(answer(200, R"({"code":0})"), table())));

  const auto waited =
      read_coded_answer(answer(200, R"({"code":1,"msg":"slow down"})", {{"retry-after", "7"}}), table());
  REQUIRE(std::holds_alternative<Throttled>(waited));
  CHECK(std::get<Throttled>(waited).after == Duration(std::chrono::seconds(7)));
  CHECK(std::get<Throttled>(waited).error == "Example code 1: slow down");

  const auto muted = read_coded_answer(answer(200, R"({"code":2})"), table());
  REQUIRE(std::holds_alternative<Throttled>(muted));
  CHECK(std::get<Throttled>(muted).after == Duration(std::chrono::minutes(10)));
  CHECK(std::get<Throttled>(muted).error == "Example code 2");

  // The outbox's backoff, even when the answer has a Retry-After.
  const auto busy = read_coded_answer(answer(200, R"({"code":3})", {{"retry-after", "7"}}), table());
  REQUIRE(std::holds_alternative<Throttled>(busy));
  CHECK_FALSE(std::get<Throttled>(busy).after);

  const auto refused = read_coded_answer(answer(200, R"({"code":4,"msg":"too long"})"), table());
  REQUIRE(std::holds_alternative<Refused>(refused));
  CHECK(std::get<Refused>(refused).error == "Example code 4: too long");

  const auto unknown = read_coded_answer(answer(200, R"({"code":99,"msg":"robot removed"})"), table());
  REQUIRE(std::holds_alternative<GiveUp>(unknown));
  CHECK(std::get<GiveUp>(unknown).error == "Example code 99: robot removed");
}

TEST_CASE("coded answer: a rule with a message condition applies only when the message has it", "[wire]") {
  const auto stale = read_coded_answer(answer(200, R"({"code":5,"msg":"invalid timestamp"})"), table());
  REQUIRE(std::holds_alternative<RetryLater>(stale));
  CHECK(std::get<RetryLater>(stale).error == "Example code 5: invalid timestamp (signed afresh)");
  CHECK(std::holds_alternative<GiveUp>(
      read_coded_answer(answer(200, R"({"code":5,"msg":"keywords not in content"})"), table())));
}

TEST_CASE("coded answer: the first integer code field and non-empty message field count", "[wire]") {
  const auto old = read_coded_answer(answer(200, R"({"code":"4","OldCode":4,"msg":"","OldMsg":"legacy"})"), table());
  REQUIRE(std::holds_alternative<Refused>(old));
  CHECK(std::get<Refused>(old).error == "Example code 4: legacy");
}

TEST_CASE("coded answer: a long message is cut on a character boundary, or as the platform says", "[wire]") {
  std::string long_msg = "a";
  for (int i = 0; i < 100; ++i) long_msg += "\u4f60";  // 301 bytes; byte 120 is inside the 40th
  const auto cut = delivery_error(read_coded_answer(answer(200, R"({"code":4,"msg":")" + long_msg + "\"}"), table()));
  CHECK(cut == "Example code 4: " + long_msg.substr(0, 118) + "...");

  CodeTable custom = table();
  custom.message_for_log = blanked;
  CHECK(delivery_error(read_coded_answer(answer(200, R"({"code":4,"msg":"key=abc"})"), custom)) ==
        "Example code 4: (blanked)");
}

TEST_CASE("coded answer: without a code, the HTTP status decides and a 2xx is retried", "[wire]") {
  for (const char* body : {"<html>proxy</html>", "", "[]", R"({"code":"0"})", R"({"other":0})"}) {
    INFO(body);
    const auto result = read_coded_answer(answer(200, body), table());
    REQUIRE(std::holds_alternative<RetryLater>(result));
    CHECK(std::get<RetryLater>(result).error == "Example answered HTTP 200 without a code");
  }
  CHECK(std::holds_alternative<GiveUp>(read_coded_answer(answer(404, "not found"), table())));
  CHECK(std::holds_alternative<Throttled>(read_coded_answer(answer(429, ""), table())));
}

TEST_CASE("coded answer: the status goes first only where the table says so", "[wire]") {
  // A 503 whose body says delivered: the code wins by default, the status where it goes first.
  CHECK(std::holds_alternative<Delivered>(read_coded_answer(answer(503, R"({"code":0})"), table())));
  CodeTable status_first = table();
  status_first.status_first = true;
  CHECK(std::holds_alternative<RetryLater>(read_coded_answer(answer(503, R"({"code":0})"), status_first)));
}
