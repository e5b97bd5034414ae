#include <catch2/catch.hpp>

#include "adapters/delivery.hpp"
#include "adapters/generic/generic_adapter.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {
HttpResponse answer(int status, std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  if (!retry_after.empty()) r.headers["retry-after"] = std::move(retry_after);
  return r;
}
}  // namespace

TEST_CASE("delivery: 2xx is delivered, 429 waits, 408/5xx retry, 400/413/422 are refused, other 4xx give up") {
  CHECK(std::holds_alternative<Delivered>(interpret_http_status(answer(200))));
  CHECK(std::holds_alternative<Delivered>(interpret_http_status(answer(204))));
  CHECK(std::get<GiveUp>(interpret_http_status(answer(404))).error == "HTTP 404");
  CHECK(std::holds_alternative<GiveUp>(interpret_http_status(answer(401))));
  CHECK(std::holds_alternative<GiveUp>(interpret_http_status(answer(403))));
  CHECK(std::get<Refused>(interpret_http_status(answer(400))).error == "HTTP 400");
  CHECK(std::holds_alternative<Refused>(interpret_http_status(answer(413))));
  CHECK(std::holds_alternative<Refused>(interpret_http_status(answer(422))));
  CHECK(std::holds_alternative<Throttled>(interpret_http_status(answer(429))));
  CHECK(std::holds_alternative<RetryLater>(interpret_http_status(answer(500))));
  CHECK(std::holds_alternative<RetryLater>(interpret_http_status(answer(503))));
  CHECK(std::holds_alternative<RetryLater>(interpret_http_status(answer(408))));
  CHECK(std::holds_alternative<RetryLater>(interpret_http_status(answer(0))));  // no answer at all
}

TEST_CASE("delivery: Retry-After in seconds is honoured; anything else is ignored") {
  CHECK(std::get<Throttled>(interpret_http_status(answer(429, "30"))).after == Duration(30s));
  CHECK_FALSE(std::get<Throttled>(interpret_http_status(answer(429))).after.has_value());
  CHECK(std::get<RetryLater>(interpret_http_status(answer(503, "12"))).after == Duration(12s));
  CHECK_FALSE(retry_after(answer(429, "Wed, 21 Oct 2026 07:28:00 GMT")).has_value());
  CHECK_FALSE(retry_after(answer(429, "-5")).has_value());
  CHECK_FALSE(retry_after(answer(429, "10x")).has_value());
}

TEST_CASE("generic: its answers read by status, and a reply url overrides the outbound url") {
  Connection c;
  c.name = "main";
  c.adapter = "generic";
  c.secrets["secret"] = "s";
  c.outbound_url = "https://example.com/out";
  const GenericAdapter adapter(c);
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(answer(502))));
  OutboundMessage message{"main", "c1", "hi", {}, "https://example.com/reply/1"};
  CHECK(adapter.render(message, Timestamp{}).url == "https://example.com/reply/1");
  message.url.clear();
  CHECK(adapter.render(message, Timestamp{}).url == "https://example.com/out");
}
