// Plain mode: a Lark app without an Encrypt Key sends its events as plain JSON, checked only by
// the verification token in the body (header.token in schema 2.0, the top-level token in the v1
// shape and in the URL verification). Lark's "Receive events" guide and its SDKs
// (oapi-sdk-python's EventDispatcherHandler: no signature check without an encrypt key).
#include "adapters/lark/lark_adapter.hpp"

#include <utility>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/adapters/lark/lark_test_connection.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

const std::string token = "lark-plain-verification-token";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

Connection plain_connection() { return testing::lark_plain_connection(token); }

HttpRequest request(std::string body, std::map<std::string, std::string> headers = {}) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/hooks/feishu";
  r.headers = std::move(headers);
  r.headers["content-type"] = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

// The vendor's im.message.receive_v1 shape, unencrypted, with `header_token` as its token.
json message_event(const std::string& header_token) {
  return {{"schema", "2.0"},
          {"header",
           {{"event_id", "5e3702a84e847582be8db7fb73283c02"},
            {"event_type", "im.message.receive_v1"},
            {"create_time", "1608725989000"},
            {"token", header_token},
            {"app_id", "cli_9f5343c580712544"},
            {"tenant_key", "2ca1d211f64f6438"}}},
          {"event",
           {{"sender", {{"sender_id", {{"open_id", "ou_pat"}}}, {"sender_type", "user"}}},
            {"message",
             {{"message_id", "om_1"},
              {"chat_id", "oc_group"},
              {"chat_type", "group"},
              {"message_type", "text"},
              {"content", R"({"text":"@_user_1 /ticket open P2 login fails"})"},
              {"mentions", {{{"key", "@_user_1"}, {"name", "slabot"}, {"id", {{"open_id", "ou_bot"}}}}}}}}}}};
}

int status_of(const VerifyResult& result) {
  const auto* rejected = std::get_if<Rejected>(&result);
  return rejected ? rejected->status : 0;
}

int status_of(const ParseOutcome& outcome) {
  const auto* rejected = std::get_if<Rejected>(&outcome);
  return rejected ? rejected->status : 0;
}

std::string reason_of(const VerifyResult& result) {
  const auto* rejected = std::get_if<Rejected>(&result);
  return rejected ? rejected->reason : "";
}

}  // namespace

TEST_CASE("lark plain: an event with the right header.token verifies and parses", "[lark]") {
  const LarkAdapter adapter(plain_connection());
  const auto event = request(message_event(token).dump());
  CHECK(std::holds_alternative<Verified>(adapter.verify(event, now)));
  const ParseOutcome outcome = adapter.parse(event);
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  REQUIRE(parsed->messages.size() == 1);
  CHECK(parsed->messages[0].event_id == "5e3702a84e847582be8db7fb73283c02");
  CHECK(parsed->messages[0].chat_id == "oc_group");
  CHECK(parsed->messages[0].user_id == "ou_pat");
  CHECK(parsed->messages[0].text == "/ticket open P2 login fails");
}

TEST_CASE("lark plain: a wrong or missing token is refused with 401 before parsing", "[lark]") {
  const LarkAdapter adapter(plain_connection());
  CHECK(status_of(adapter.verify(request(message_event("someone-else").dump()), now)) == 401);
  CHECK(status_of(adapter.verify(request(message_event("").dump()), now)) == 401);
  json no_token = message_event(token);
  no_token["header"].erase("token");
  CHECK(status_of(adapter.verify(request(no_token.dump()), now)) == 401);
  // In schema 2.0 the token is header.token: one at the top level does not stand in for it.
  no_token["token"] = token;
  CHECK(status_of(adapter.verify(request(no_token.dump()), now)) == 401);
  // parse checks it too, whatever called it.
  CHECK(status_of(adapter.parse(request(message_event("someone-else").dump()))) == 401);
}

TEST_CASE("lark plain: the v1 shape is checked by its top-level token", "[lark]") {
  const LarkAdapter adapter(plain_connection());
  const json v1 = {{"uuid", "41b5f371157e3d2b9bb2a8a2bb8b11a4"},
                   {"token", token},
                   {"ts", "1608725989.000"},
                   {"type", "event_callback"},
                   {"event", {{"type", "message"}, {"msg_type", "text"}, {"text", "/ticket help"}}}};
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(v1.dump()), now)));
  // Verified, but slabot reads schema 2.0 events only, as in encrypted mode.
  CHECK(status_of(adapter.parse(request(v1.dump()))) == 400);
  json wrong = v1;
  wrong["token"] = "someone-else";
  CHECK(status_of(adapter.verify(request(wrong.dump()), now)) == 401);
}

TEST_CASE("lark plain: the URL verification is answered on its token", "[lark]") {
  const LarkAdapter adapter(plain_connection());
  const json check = {{"challenge", "ajls384kdjx98XX"}, {"token", token}, {"type", "url_verification"}};
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(check.dump()), now)));
  const ParseOutcome outcome = adapter.parse(request(check.dump()));
  const auto* answer = std::get_if<HttpAnswer>(&outcome);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body == R"({"challenge":"ajls384kdjx98XX"})");
  json wrong = check;
  wrong["token"] = "someone-else";
  CHECK(status_of(adapter.verify(request(wrong.dump()), now)) == 401);
  CHECK(status_of(adapter.parse(request(wrong.dump()))) == 401);
}

TEST_CASE("lark plain: X-Lark-* headers are not read (Lark keys its signature with the Encrypt Key)", "[lark]") {
  const LarkAdapter adapter(plain_connection());
  const auto event = request(
      message_event(token).dump(),
      {{"x-lark-request-timestamp", "1"}, {"x-lark-request-nonce", "n"}, {"x-lark-signature", "not-a-signature"}});
  CHECK(std::holds_alternative<Verified>(adapter.verify(event, now)));
}

TEST_CASE("lark plain: a body in the other mode is refused with 400, saying which side to fix", "[lark]") {
  // An encrypted body: the app has an Encrypt Key in Lark that this connection lacks.
  const LarkAdapter plain(plain_connection());
  const auto encrypted = plain.verify(request(R"({"encrypt":"AAECAwQFBgcICQoLDA0ODw=="})"), now);
  CHECK(status_of(encrypted) == 400);
  CHECK(reason_of(encrypted).find("set it as encrypt_key") != std::string::npos);
  CHECK(status_of(plain.verify(request("not json"), now)) == 400);

  // A plain body on an encrypted-mode connection: Lark encrypts every event of an app with a key,
  // so this is not Lark's, or the key was removed there; never read on its token alone.
  Connection with_key = plain_connection();
  with_key.secrets["encrypt_key"] = "lark-encrypt-key";
  const LarkAdapter encrypted_mode(with_key);
  const json check = {{"challenge", "c"}, {"token", token}, {"type", "url_verification"}};
  const auto unsigned_plain = encrypted_mode.verify(request(check.dump()), now);
  CHECK(status_of(unsigned_plain) == 400);
  CHECK(reason_of(unsigned_plain).find("remove encrypt_key here for plain mode") != std::string::npos);
  CHECK(status_of(encrypted_mode.parse(request(message_event(token).dump()))) == 400);
}

TEST_CASE("lark plain: encrypt_key is optional, never empty; mode_of says which mode", "[lark]") {
  CHECK_NOTHROW(LarkAdapter(plain_connection()));
  Connection empty_key = plain_connection();
  empty_key.secrets["encrypt_key"] = "";
  CHECK_THROWS_WITH(LarkAdapter(empty_key), Catch::Contains("\"encrypt_key\" is empty; remove it for plain mode"));
  CHECK(LarkAdapter::mode_of(plain_connection()).rfind("plain mode", 0) == 0);
  Connection with_key = plain_connection();
  with_key.secrets["encrypt_key"] = "k";
  CHECK(LarkAdapter::mode_of(with_key).rfind("encrypted mode", 0) == 0);
}
