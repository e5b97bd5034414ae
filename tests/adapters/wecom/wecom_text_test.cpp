#include "adapters/wecom/wecom_text.hpp"

#include <catch2/catch.hpp>

using namespace slabot::wecom;

TEST_CASE("wecom text: the query is percent-decoded, '+' kept", "[wecom][text]") {
  const auto query = parse_query("/hooks/wecom?msg_signature=ab12&timestamp=1&nonce=2&echostr=P9n%2Fq%2BY%3D%3D+x");
  REQUIRE(query);
  CHECK(query->at("msg_signature") == "ab12");
  CHECK(query->at("echostr") == "P9n/q+Y==+x");
  CHECK(parse_query("/hooks/wecom")->empty());
  CHECK(parse_query("/hooks/wecom?a=1&&b=")->at("b").empty());
  CHECK_FALSE(parse_query("/?a=%4"));
  CHECK_FALSE(parse_query("/?a=%g0"));
  CHECK_FALSE(parse_query("/?a=1&a=1"));
}

TEST_CASE("wecom text: the leading @-mention of the bot is stripped", "[wecom][text]") {
  CHECK(strip_bot_mention("@RobotA /ack 12", "") == "/ack 12");
  CHECK(strip_bot_mention("@RobotA\u2005/ack 12", "") == "/ack 12");       // four-per-em space
  CHECK(strip_bot_mention("\uFF20机器人\u3000/ack 12", "") == "/ack 12");  // full-width @, space
  CHECK(strip_bot_mention("  @RobotA  /ack 12", "") == "/ack 12");
  CHECK(strip_bot_mention("@RobotA", "") == "");
  CHECK(strip_bot_mention("/ack 12", "") == "/ack 12");
  CHECK(strip_bot_mention("please @RobotA /ack 12", "") == "please @RobotA /ack 12");

  // A name with a space needs bot_name; other names are left for the command parser.
  CHECK(strip_bot_mention("@SLA Bot\u2005/ack 12", "SLA Bot") == "/ack 12");
  CHECK(strip_bot_mention("@sla bot /ack 12", "@SLA Bot") == "/ack 12");
  CHECK(strip_bot_mention("@SLA Bot2 /ack 12", "SLA Bot") == "@SLA Bot2 /ack 12");
  CHECK(strip_bot_mention("@Ann /ack 12", "SLA Bot") == "@Ann /ack 12");
}

TEST_CASE("wecom text: truncation counts bytes and keeps characters whole", "[wecom][text]") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("0123456789", 10) == "0123456789");
  CHECK(truncate_utf8("0123456789A", 10) == "0123456\u2026");
  // "数" is 3 bytes: 4 of them are 12 bytes; 10 leaves room for 2 and the ellipsis.
  CHECK(truncate_utf8("数数数数", 10) == "数数\u2026");
  CHECK(truncate_utf8("数数数数", 8) == "数\u2026");
  CHECK(truncate_utf8("数数数数", 2) == "");
}
