#include "adapters/generic/generic_adapter.hpp"

#include <algorithm>
#include <cctype>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;

namespace {

const std::string secret = "test-secret";
const std::string timestamp = "1700000000";
const Timestamp signed_at = from_unix_ms(1700000000LL * 1000);
const std::string body = R"({"event_id":"e1","chat_id":"c1","user_id":"u1","user_name":"Ann","text":"/ticket help"})";
// Derived independently of our code:
//   printf '%s' '1700000000.{"event_id":"e1","chat_id":"c1","user_id":"u1","user_name":"Ann","text":"/ticket help"}' |
//   openssl dgst -sha256 -hmac test-secret
const std::string good_signature = "sha256=65e1a58c15e4e814393a825d44b4d0e5b6b2094848fc7906665381c1a6d5673e";

Connection connection(const std::string& key = secret) {
  Connection c;
  c.name = "main";
  c.adapter = "generic";
  c.secrets["secret"] = key;
  c.outbound_url = "http://127.0.0.1:9/outbound";
  return c;
}

HttpRequest signed_request(std::string request_body = body, std::string signature = good_signature,
                           std::string ts = timestamp) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/main";
  request.headers["content-type"] = "application/json";
  if (!ts.empty()) request.headers["x-slabot-timestamp"] = std::move(ts);
  if (!signature.empty()) request.headers["x-slabot-signature"] = std::move(signature);
  request.body = std::move(request_body);
  return request;
}

using testing::rejected_status;

// Parses a body that needs no signature (parse() runs only after verify()).
ParseOutcome parse_body(const std::string& text) { return GenericAdapter(connection()).parse(signed_request(text)); }

}  // namespace

TEST_CASE("generic: a correctly signed request verifies", "[generic]") {
  const GenericAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(signed_request(), signed_at)));
  // Hex case does not matter; the bytes do.
  std::string upper = good_signature;
  std::transform(upper.begin() + 7, upper.end(), upper.begin() + 7,
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  CHECK(std::holds_alternative<Verified>(adapter.verify(signed_request(body, upper), signed_at)));
}

TEST_CASE("generic: tampering, a wrong secret or a bad signature is refused with 401", "[generic]") {
  const GenericAdapter adapter(connection());
  std::string tampered = body;
  tampered.replace(tampered.find("help"), 4, "HELP");
  CHECK(rejected_status(adapter.verify(signed_request(tampered), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body + " "), signed_at)) == 401);
  // Same bytes, other timestamp: the timestamp is part of what is signed.
  CHECK(rejected_status(adapter.verify(signed_request(body, good_signature, "1700000001"), signed_at)) == 401);

  const GenericAdapter other(connection("another-secret"));
  CHECK(rejected_status(other.verify(signed_request(), signed_at)) == 401);

  const std::string hex = good_signature.substr(7);
  CHECK(rejected_status(adapter.verify(signed_request(body, hex), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, "sha1=" + hex), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, "sha256=zz" + hex.substr(2)), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, "sha256=" + hex.substr(2)), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, "sha256="), signed_at)) == 401);
}

TEST_CASE("generic: missing headers are refused with 401", "[generic]") {
  const GenericAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(signed_request(body, ""), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, good_signature, ""), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(signed_request(body, "", ""), signed_at)) == 401);
}

TEST_CASE("generic: timestamps outside five minutes either way are refused", "[generic]") {
  const GenericAdapter adapter(connection());
  using std::chrono::minutes;
  using std::chrono::seconds;
  const auto verify_at = [&](Timestamp now) { return adapter.verify(signed_request(), now); };
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at + minutes(5))));
  CHECK(std::holds_alternative<Verified>(verify_at(signed_at - minutes(5))));
  CHECK(rejected_status(verify_at(signed_at + minutes(5) + seconds(1))) == 401);  // stale
  CHECK(rejected_status(verify_at(signed_at - minutes(5) - seconds(1))) == 401);  // future
  CHECK(rejected_status(verify_at(signed_at + std::chrono::hours(24))) == 401);
}

TEST_CASE("generic: a timestamp that is not unix seconds is refused", "[generic]") {
  const GenericAdapter adapter(connection());
  for (const char* ts : {"abc", "-1700000000", "1700000000.5", " 1700000000", "99999999999999999999"}) {
    CAPTURE(ts);
    CHECK(rejected_status(adapter.verify(signed_request(body, good_signature, ts), signed_at)) == 401);
  }
}

TEST_CASE("generic: parse yields one message with every field", "[generic]") {
  const auto outcome = parse_body(body);
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  REQUIRE(parsed->messages.size() == 1);
  const InboundMessage& message = parsed->messages.front();
  CHECK(message.platform == "generic");
  CHECK(message.event_id == "e1");
  CHECK(message.chat_id == "c1");
  CHECK(message.user_id == "u1");
  CHECK(message.user_name == "Ann");
  CHECK(message.text == "/ticket help");
}

TEST_CASE("generic: user_name defaults to user_id and text may be empty", "[generic]") {
  for (const char* text : {R"({"event_id":"e","chat_id":"c","user_id":"u","text":""})",
                           R"({"event_id":"e","chat_id":"c","user_id":"u","user_name":"","text":""})",
                           R"({"event_id":"e","chat_id":"c","user_id":"u","user_name":null,"text":""})"}) {
    CAPTURE(text);
    const auto outcome = parse_body(text);
    const auto* parsed = std::get_if<ParsedMessages>(&outcome);
    REQUIRE(parsed);
    CHECK(parsed->messages.at(0).user_name == "u");
    CHECK(parsed->messages.at(0).text.empty());
  }
}

TEST_CASE("generic: malformed bodies, missing fields and wrong types are refused with 400", "[generic]") {
  for (const char* text : {
           "", "not json", R"({"event_id":"e1",)", R"(["e1","c1","u1"])", R"("a string")",
           R"({"chat_id":"c","user_id":"u","text":"x"})",                // no event_id
           R"({"event_id":"e","user_id":"u","text":"x"})",               // no chat_id
           R"({"event_id":"e","chat_id":"c","text":"x"})",               // no user_id
           R"({"event_id":"e","chat_id":"c","user_id":"u"})",            // no text
           R"({"event_id":"","chat_id":"c","user_id":"u","text":"x"})",  // empty event_id
           R"({"event_id":"e","chat_id":"","user_id":"u","text":"x"})",  // empty chat_id
           R"({"event_id":"e","chat_id":"c","user_id":"","text":"x"})",  // empty user_id
           R"({"event_id":1,"chat_id":"c","user_id":"u","text":"x"})",
           R"({"event_id":"e","chat_id":["c"],"user_id":"u","text":"x"})",
           R"({"event_id":"e","chat_id":"c","user_id":"u","text":null})",
           R"({"event_id":"e","chat_id":"c","user_id":"u","user_name":7,"text":"x"})",
           "{\"event_id\":\"e\",\"chat_id\":\"c\",\"user_id\":\"u\",\"text\":\"\xff\"}",  // not UTF-8
       }) {
    CAPTURE(text);
    CHECK(rejected_status(parse_body(text)) == 400);
  }
}

TEST_CASE("generic: sync_reply answers 200 with {\"reply\": ...}", "[generic]") {
  const GenericAdapter adapter(connection());
  const HttpAnswer answer = adapter.sync_reply(InboundMessage{}, "Ticket \"T-1\" opened");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  CHECK(nlohmann::json::parse(answer.body) == nlohmann::json{{"reply", "Ticket \"T-1\" opened"}});
}

TEST_CASE("generic: render posts a signed JSON body to the outbound url", "[generic]") {
  const GenericAdapter adapter(connection());
  OutboundMessage message;
  message.connection = "main";
  message.chat_id = "c1";
  message.text = "hello";
  message.mentions = {{"u1", "Una"}, {"u2", "Udo"}};
  // Milliseconds are dropped: the header carries whole seconds.
  const OutboundRequest request = adapter.render(message, signed_at + std::chrono::milliseconds(999));

  CHECK(request.method == "POST");
  CHECK(request.url == "http://127.0.0.1:9/outbound");
  CHECK(request.body == R"({"chat_id":"c1","mentions":["u1","u2"],"text":"hello"})");
  CHECK(request.headers.at("Content-Type") == "application/json");
  CHECK(request.headers.at("X-Slabot-Timestamp") == "1700000000");
  // printf '%s' '1700000000.{"chat_id":"c1","mentions":["u1","u2"],"text":"hello"}' | openssl dgst -sha256 -hmac
  // test-secret
  CHECK(request.headers.at("X-Slabot-Signature") ==
        "sha256=bb2ae3154565c859b8c4cd41ed6caf8ef6997fe54b4f1f5ab3a2903d779a2b63");

  // And the receiving side of the same protocol accepts it.
  HttpRequest received;
  received.method = request.method;
  received.body = request.body;
  received.headers["x-slabot-timestamp"] = request.headers.at("X-Slabot-Timestamp");
  received.headers["x-slabot-signature"] = request.headers.at("X-Slabot-Signature");
  CHECK(std::holds_alternative<Verified>(adapter.verify(received, signed_at)));
}

TEST_CASE("generic: no rate limit, and a secret is required", "[generic]") {
  CHECK(GenericAdapter(connection()).rate_limit().messages == 0);
  CHECK_THROWS_AS(GenericAdapter(connection("")), std::invalid_argument);
  Connection without = connection();
  without.secrets.clear();
  CHECK_THROWS_AS(GenericAdapter(without), std::invalid_argument);
}

TEST_CASE("generic: mentions name people by user id, with the name shown", "[generic]") {
  const InboundMessage message = testing::only_message(
      parse_body(R"({"event_id":"e","chat_id":"c","user_id":"u","text":"/engagement csm @Wei",)"
                 R"("mentions":[{"user_id":"u-wei","user_name":"Wei Zhang"},{"user_id":"u-li"}]})"));
  REQUIRE(message.mentions.size() == 2);
  CHECK(message.mentions[0].user_id == "u-wei");
  CHECK(message.mentions[0].name == "Wei Zhang");
  CHECK(message.mentions[1].user_id == "u-li");
  CHECK(message.mentions[1].name.empty());
  CHECK(testing::only_message(parse_body(body)).mentions.empty());
  for (const char* bad : {R"("mentions":"u-wei")", R"("mentions":["u-wei"])", R"("mentions":[{"user_id":""}])",
                          R"("mentions":[{"user_name":"Wei"}])", R"("mentions":[{"user_id":"u","user_name":7}])"}) {
    INFO(bad);
    CHECK(rejected_status(parse_body(std::string(R"({"event_id":"e","chat_id":"c","user_id":"u","text":"x",)") + bad +
                                     "}")) == 400);
  }
}
