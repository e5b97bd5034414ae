// Every adapter that takes a JSON body takes exactly one JSON document: bytes after it (a NUL,
// a second document, anything but whitespace) make the body malformed, 400. nlohmann's parser
// alone stops at a NUL and would read `{...}\0{...}` as the first document. (Lark, whose body is
// encrypted, is covered in tests/adapters/lark; Mattermost and Slack commands are forms, WeCom is
// XML.)
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "adapters/registry.hpp"
#include "adapters/wire.hpp"
#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;
using namespace std::string_literals;

namespace {

struct JsonPlatform {
  std::string adapter;
  std::map<std::string, std::string> secrets;
  std::string body;  // a body the adapter parses into a message (or answers, for Slack's URL check)
};

const std::vector<JsonPlatform> kPlatforms{
    {"generic", {{"secret", "s"}}, R"({"event_id":"e1","chat_id":"c1","user_id":"u1","text":"/help"})"},
    {"dingtalk",
     {{"app_secret", "a"}},
     R"({"msgtype":"text","msgId":"m1","conversationId":"cid1","senderStaffId":"s1","text":{"content":"/help"}})"},
    {"slack", {{"signing_secret", "s"}}, R"({"type":"url_verification","challenge":"c-123","token":"t"})"},
    {"teams",
     {{"security_token", "c2VjcmV0LWtleQ=="}},
     R"({"type":"message","id":"a1","text":"<at>Bot</at> /help","from":{"id":"29:x","aadObjectId":"aad1"},)"
     R"("conversation":{"id":"19:c1@thread.tacv2"}})"},
    {"telegram",
     {{"webhook_secret", "hook_secret"}, {"bot_token", "123:abc"}},
     R"({"update_id":1,"message":{"message_id":1,"text":"/help","chat":{"id":-100},"from":{"id":7,"first_name":"P"}}})"},
};

ParseOutcome parse(const JsonPlatform& platform, const std::string& body) {
  Connection connection;
  connection.name = platform.adapter;
  connection.adapter = platform.adapter;
  connection.secrets = platform.secrets;
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/" + platform.adapter;
  request.body = body;
  return make_adapter(connection)->parse(request);
}

bool accepted(const ParseOutcome& outcome) {
  if (const auto* parsed = std::get_if<ParsedMessages>(&outcome)) return parsed->messages.size() == 1;
  return std::holds_alternative<HttpAnswer>(outcome);
}

using testing::rejected_status;

}  // namespace

TEST_CASE("json bodies: one document, then only whitespace, or 400") {
  for (const JsonPlatform& platform : kPlatforms) {
    INFO(platform.adapter);
    REQUIRE(accepted(parse(platform, platform.body)));
    CHECK(accepted(parse(platform, platform.body + " \r\n\t")));
    for (const std::string& trailing : {"\0"s, "\0\0"s, "\0"s + platform.body, " "s + platform.body, "x"s, "}"s}) {
      INFO("followed by " << trailing.size() << " bytes starting " << static_cast<int>(trailing[0]));
      CHECK(rejected_status(parse(platform, platform.body + trailing)) == 400);
    }
    // (Slack reads a body that does not start with '{' as a slash command form.)
    if (platform.adapter != "slack") CHECK(rejected_status(parse(platform, "\0"s + platform.body)) == 400);
  }
}

TEST_CASE("json bodies: parse_json is strict where nlohmann alone stops at a NUL") {
  CHECK(parse_json(R"({"a":1})").is_object());
  CHECK(parse_json(" {\"a\":1}\n").is_object());
  CHECK(parse_json("{\"a\":1}\0"s).is_discarded());
  CHECK(parse_json("{\"a\":1}\0{\"b\":2}"s).is_discarded());
  CHECK(parse_json("{\"a\":\"x\\u0000y\"}").is_object());  // an escaped NUL inside a string is JSON
  CHECK(parse_json("{\"a\":1} {\"b\":2}").is_discarded());
  CHECK(parse_json("").is_discarded());
}
