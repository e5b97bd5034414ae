#include "adapters/slack/slack_markup.hpp"

#include "adapters/slack/error_code.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("slack markup: the three characters Slack reserves are escaped", "[slack]") {
  CHECK(slack_escape("a < b > c & d") == "a &lt; b &gt; c &amp; d");
  CHECK(slack_escape("<!channel>") == "&lt;!channel&gt;");  // typed text never becomes an announcement
  CHECK(slack_escape("plain") == "plain");
}

TEST_CASE("slack markup: the users a text mentions, by id, once each", "[slack]") {
  const auto mentions = slack_user_mentions("csm <@U024BE7LH|wei> and <@W1> <#C1|ops> <!here> <@U024BE7LH|wei>");
  REQUIRE(mentions.size() == 2);
  CHECK(mentions[0].user_id == "U024BE7LH");
  CHECK(mentions[0].name == "wei");
  CHECK(mentions[1].user_id == "W1");
  CHECK(mentions[1].name.empty());
  // Typed words are not mentions: Slack escapes a typed '<' as &lt;.
  CHECK(slack_user_mentions("csm @wei &lt;@U1&gt; <@").empty());
  CHECK(slack_user_mentions("<@U1|a &amp; b>").front().name == "a & b");
}

TEST_CASE("slack markup: tokens become what the person saw", "[slack]") {
  CHECK(slack_plain_text("<@U1|ann>") == "@ann");
  CHECK(slack_plain_text("<@U1>") == "@U1");
  CHECK(slack_plain_text("<#C1|ops>") == "#ops");
  CHECK(slack_plain_text("<#C1>") == "#C1");
  CHECK(slack_plain_text("<!here> <!channel> <!everyone>") == "@here @channel @everyone");
  CHECK(slack_plain_text("<!subteam^S1|@oncall>") == "@oncall");
  CHECK(slack_plain_text("<!date^1392734382^{date}|Feb 18, 2014>") == "Feb 18, 2014");
  CHECK(slack_plain_text("<mailto:a@example.com|a@example.com>") == "a@example.com");
  CHECK(slack_plain_text("<https://example.com/a?b=1&amp;c=2>") == "https://example.com/a?b=1&c=2");
  CHECK(slack_plain_text("x &lt;y&gt; &amp;&amp; z") == "x <y> && z");
}

TEST_CASE("slack markup: malformed markup is kept as it is", "[slack]") {
  CHECK(slack_plain_text("a < b") == "a < b");
  CHECK(slack_plain_text("a <<@U1|ann>") == "a <@ann");
  CHECK(slack_plain_text("&quot;") == "&quot;");  // Slack escapes only & < >
  CHECK(slack_plain_text("") == "");
}

TEST_CASE("error codes are shown only when they look like one", "[slack]") {
  CHECK(safe_error_code("channel_not_found") == "channel_not_found");
  CHECK(safe_error_code("ratelimited") == "ratelimited");
  CHECK(safe_error_code("web.incoming_webhook.channel.app_error") == "web.incoming_webhook.channel.app_error");
  CHECK(safe_error_code("").empty());
  CHECK(safe_error_code("xoxb-1234-abcd").empty());              // a token
  CHECK(safe_error_code("bywsw8zt5jgpte3nm65qjiru6h").empty());  // a webhook key
  CHECK(safe_error_code("Channel Not Found").empty());
  CHECK(safe_error_code(std::string(65, 'a')).empty());
  CHECK(describe_error("HTTP 404", "no_service") == "HTTP 404: no_service");
  CHECK(describe_error("HTTP 404", "<html>") == "HTTP 404");
}
