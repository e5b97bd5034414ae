#include "adapters/dingtalk/dingtalk_buttons.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/dingtalk/dingtalk_adapter.hpp"
#include "adapters/wire/percent.hpp"
#include "domain/message_action.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

const std::string robot_url = "https://oapi.dingtalk.com/robot/send?access_token=tok123";
const std::string link_prefix = "dtmd://dingtalkclient/sendMessage?content=";

Connection connection() {
  Connection c;
  c.name = "partners";
  c.adapter = "dingtalk";
  c.outbound_url = robot_url;
  c.secrets = {{"app_secret", "dingtalk-app-secret-for-tests"}, {"buttons", "links"}};
  return c;
}

OutboundMessage notice(std::vector<Mention> mentions) {
  OutboundMessage message;
  message.connection = "partners";
  message.chat_id = "cidG1";
  message.text = "#12 Critical \"DB down\": no response yet, 7m 30s left\nengineer: Erin";
  message.mentions = std::move(mentions);
  message.message_id = "slabot-msg-1";
  message.actions = {{ActionKind::ack, 12}, {ActionKind::escalate, 12}, {ActionKind::assign_to_me, 12}};
  return message;
}

// The text a tap on `url` sends, as DingTalk's client decodes the link's content.
std::string sent_by(const std::string& url) {
  REQUIRE(url.starts_with(link_prefix));
  const auto text = percent_decode(url.substr(link_prefix.size()), Plus::literal);
  REQUIRE(text);
  return *text;
}

}  // namespace

TEST_CASE("dingtalk buttons: a link sends the tap's command as the person who taps", "[dingtalk][buttons]") {
  CHECK(dingtalk_send_link({ActionKind::ack, 12}) == link_prefix + "%2Fack%2012");
  CHECK(sent_by(dingtalk_send_link({ActionKind::escalate, 7})) == "/escalate 7");
  CHECK(sent_by(dingtalk_send_link({ActionKind::assign_to_me, 7})) == "/assign 7 me");
}

TEST_CASE("dingtalk buttons: a notice without mentions is an ActionCard with one button per action",
          "[dingtalk][buttons]") {
  const DingTalkAdapter adapter(connection());
  const json body = json::parse(adapter.render(notice({}), from_unix_ms(1700000000000LL)).body);
  CHECK(body.at("msgtype") == "actionCard");
  CHECK_FALSE(body.contains("at"));
  CHECK(body.at("msgUuid") == "slabot-msg-1");  // the robot's idempotency key stays
  const json& card = body.at("actionCard");
  CHECK(card.at("title") == "#12 Critical \"DB down\": no response yet, 7m 30s left");
  // The plain text fallback: what to type where the client follows no link.
  CHECK(card.at("text") ==
        "#12 Critical \"DB down\": no response yet, 7m 30s left\n\nengineer: Erin\n\n"
        "or type /ack 12 · /escalate 12 · /assign 12 me");
  CHECK(card.at("btnOrientation") == "1");
  const json& buttons = card.at("btns");
  REQUIRE(buttons.size() == 3);
  CHECK(buttons[0].at("title") == "Acknowledge");
  CHECK(sent_by(buttons[0].at("actionURL")) == "/ack 12");
  CHECK(buttons[1].at("title") == "Escalate");
  CHECK(sent_by(buttons[1].at("actionURL")) == "/escalate 12");
  CHECK(buttons[2].at("title") == "Assign to me");
  CHECK(sent_by(buttons[2].at("actionURL")) == "/assign 12 me");
}

TEST_CASE("dingtalk buttons: a notice that mentions someone is markdown, so the mention still notifies",
          "[dingtalk][buttons]") {
  const DingTalkAdapter adapter(connection());
  const json body = json::parse(adapter.render(notice({{"erin-staff", "Erin"}}), from_unix_ms(1700000000000LL)).body);
  CHECK(body.at("msgtype") == "markdown");
  CHECK(body.at("at") == json{{"atUserIds", {"erin-staff"}}, {"isAtAll", false}});
  const std::string links = "[Acknowledge](" + link_prefix + "%2Fack%2012) · [Escalate](" + link_prefix +
                            "%2Fescalate%2012) · [Assign to me](" + link_prefix + "%2Fassign%2012%20me)";
  CHECK(body.at("markdown").at("text") ==
        "#12 Critical \"DB down\": no response yet, 7m 30s left\n\nengineer: Erin @erin-staff\n\n" + links +
            "\n\nor type /ack 12 · /escalate 12 · /assign 12 me");
  CHECK(body.at("markdown").at("title") == "#12 Critical \"DB down\": no response yet, 7m 30s left");
}

TEST_CASE("dingtalk buttons: only \"buttons\": \"links\" turns them on; another value is refused",
          "[dingtalk][buttons]") {
  Connection without = connection();
  without.secrets.erase("buttons");
  const json body = json::parse(DingTalkAdapter(without).render(notice({}), from_unix_ms(1700000000000LL)).body);
  CHECK(body.at("msgtype") == "text");
  CHECK(body.at("text").at("content") == notice({}).text);

  Connection typo = connection();
  typo.secrets["buttons"] = "link";
  CHECK_THROWS_AS(DingTalkAdapter(typo), std::invalid_argument);
}

TEST_CASE("dingtalk buttons: a message without actions stays plain text", "[dingtalk][buttons]") {
  const DingTalkAdapter adapter(connection());
  OutboundMessage message = notice({});
  message.actions.clear();
  const json body = json::parse(adapter.render(message, from_unix_ms(1700000000000LL)).body);
  CHECK(body.at("msgtype") == "text");
  CHECK(body.at("text").at("content") == message.text);
}

TEST_CASE("dingtalk buttons: text partners typed can open no link and no markup", "[dingtalk][buttons]") {
  // A title carrying its own dtmd link would make an engineer's tap send the partner's command.
  const std::string title = "[see](dtmd://dingtalkclient/sendMessage?content=%2Fclose%201) <b>x</b>";
  const std::string inert = dingtalk_markdown_text(title);
  CHECK(inert.find('[') == std::string::npos);
  CHECK(inert.find(']') == std::string::npos);
  CHECK(inert.find('<') == std::string::npos);
  CHECK(inert.find('>') == std::string::npos);
  CHECK(inert == "［see］(dtmd://dingtalkclient/sendMessage?content=%2Fclose%201) ＜b＞x＜/b＞");

  const DingTalkAdapter adapter(connection());
  OutboundMessage message = notice({{"erin-staff", "Erin"}});
  message.text = "#12 opened: Critical \"" + title + "\"";
  const json body = json::parse(adapter.render(message, from_unix_ms(1700000000000LL)).body);
  const std::string text = body.at("markdown").at("text");
  // The only links are slabot's own three.
  std::size_t links = 0;
  for (auto at = text.find("]("); at != std::string::npos; at = text.find("](", at + 1)) ++links;
  CHECK(links == 3);
}
