#include "adapters/lark/lark_text.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

namespace {

const std::vector<LarkMention> mentions = {
    {"@_user_1", "slabot", "ou_bot"},
    {"@_user_2", "Tom", "ou_tom"},
    {"@_user_10", "Tina", "ou_tina"},
    {"@_user_3", "", "ou_nameless"},
};

}  // namespace

TEST_CASE("lark text: leading mentions address the message and are removed", "[lark]") {
  CHECK(lark_inbound_text("@_user_1 /ticket help", mentions) == "/ticket help");
  CHECK(lark_inbound_text("  @_user_2 @_user_1\u2005/ack T-3 ", mentions) == "/ack T-3");
  CHECK(lark_inbound_text("@_user_1", mentions).empty());
}

TEST_CASE("lark text: later placeholders become @name", "[lark]") {
  CHECK(lark_inbound_text("@_user_1 /ticket assign T-3 @_user_2", mentions) == "/ticket assign T-3 @Tom");
  // The longest key wins: @_user_10 is not @_user_1 followed by "0".
  CHECK(lark_inbound_text("@_user_1 /ticket assign T-3 @_user_10", mentions) == "/ticket assign T-3 @Tina");
  CHECK(lark_inbound_text("@_user_1 ping @_user_3 and @_all", mentions) == "ping @ou_nameless and @all");
  // A placeholder Lark did not list stays as written.
  CHECK(lark_inbound_text("@_user_1 cc @_user_9", mentions) == "cc @_user_9");
  CHECK(lark_inbound_text("/ticket help", {}) == "/ticket help");
}

TEST_CASE("lark text: the people later placeholders name are the message's mentions, by open_id", "[lark]") {
  std::vector<Mention> mentioned;
  CHECK(lark_inbound_text("@_user_1 /engagement csm @_user_2 @_user_3 @_user_2 @_all @_user_9", mentions, &mentioned) ==
        "/engagement csm @Tom @ou_nameless @Tom @all @_user_9");
  REQUIRE(mentioned.size() == 2);  // the bot addressed in front is not one of them, nor @_all
  CHECK(mentioned[0].user_id == "ou_tom");
  CHECK(mentioned[0].name == "Tom");
  CHECK(mentioned[1].user_id == "ou_nameless");
  CHECK(mentioned[1].name.empty());
  mentioned.clear();
  lark_inbound_text("@_user_1 @_user_2 /help", mentions, &mentioned);
  CHECK(mentioned.empty());
}

TEST_CASE("lark text: outbound mentions are <at> tags after the text", "[lark]") {
  CHECK(lark_outbound_text("T-7 breached", {{"ou_tom", "Tom"}, {"ou_x", ""}}) ==
        R"(T-7 breached <at user_id="ou_tom">Tom</at> <at user_id="ou_x">ou_x</at>)");
  CHECK(lark_outbound_text("", {{"ou_tom", "Tom"}}) == R"(<at user_id="ou_tom">Tom</at>)");
  // Quotes and angle brackets cannot break out of the tag.
  CHECK(lark_outbound_text("x", {{"ou\"><at user_id=\"all", "A<b>"}}) == R"(x <at user_id="ouat user_id=all">Ab</at>)");
  CHECK(lark_outbound_text("x", {{"", "nobody"}}) == "x");
}

TEST_CASE("lark text: a literal <at in the bot's text is defused, visibly", "[lark]") {
  // A full-width '<' (U+FF1C): still read as typed, never a tag; no invisible character, which
  // the bot removes from what people type.
  const std::string out = lark_outbound_text(R"(title: <at user_id="all"></at> and <AT)", {});
  CHECK(out == "title: \uFF1Cat user_id=\"all\"></at> and \uFF1CAT");
  CHECK(lark_outbound_text("a < b, <b>", {}) == "a < b, <b>");
}
