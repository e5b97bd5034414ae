#include "adapters/mention_guard.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("mention guard: a '<' that opens mention markup is written in full width") {
  CHECK(defuse_markup("<at user_id=\"all\"></at>", {"at"}) == "\uFF1Cat user_id=\"all\"></at>");
  CHECK(defuse_markup("<AT>x</AT> <At>", {"at"}) == "\uFF1CAT>x</AT> \uFF1CAt>");
  CHECK(defuse_markup("<!channel> <@U1> <#C1>", {"!", "@"}) == "\uFF1C!channel> \uFF1C@U1> <#C1>");
  CHECK(defuse_markup("a < b, <b>, <", {"at", "!"}) == "a < b, <b>, <");
  CHECK(defuse_markup("", {"at"}).empty());
}

TEST_CASE("mention guard: the '@' of a channel-wide word is written in full width") {
  const auto defuse = [](std::string_view text) { return defuse_mention_words(text, {"all", "channel", "here"}); };
  CHECK(defuse("@all") == "\uFF20all");
  CHECK(defuse("@ALL, @Channel: @here.") == "\uFF20ALL, \uFF20Channel: \uFF20here.");
  CHECK(defuse("x.@all _@here (@channel) 数据@all") == "x.\uFF20all _\uFF20here (\uFF20channel) 数据\uFF20all");
  CHECK(defuse("@all\u3000now @here_") == "\uFF20all\u3000now \uFF20here_");
  // A word the name only begins, or an address, is someone's, not everyone.
  CHECK(defuse("@allison @channels @here2 ops@all.example me@here") ==
        "@allison @channels @here2 ops@all.example me@here");
  CHECK(defuse("@ all @") == "@ all @");
}
