// Partner text the bot repeats (a title, a note, a reason) can never mention everyone, on any
// registered platform, in a message the bot starts or in a synchronous reply; the bot's own
// mentions (OutboundMessage::mentions) still work. One row per platform says how its
// channel-wide mentions are written and checks the rendered request for them: a new adapter
// fails here until it has a row.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "tests/support/adapter_requests.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

// What partners have been seen to type, in every platform's syntax for "everyone".
const std::vector<std::string> kPartnerInputs{
    "@all",
    "@channel",
    "@here",
    "@everyone",
    "@ALL",
    "@Channel",
    "x.@all",
    "_@here",
    "-@channel",
    "@all.",
    "@here:",
    "(@channel)",
    "（@all）",
    "@all\u3000now",
    "数据@here",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!all>",
    "<!subteam^S1|@oncall>",
    "<@U0ERIN>",
    "<#C1|general>",
    "&lt;!channel&gt;",
    "<at user_id=\"all\">所有人</at>",
    "<at user_id=\"all\"></at>",
    "<at id=all></at>",
    "<AT user_id='all'>x</AT>",
    "<at>everyone</at>",
    "<at>Erin</at>",
    "\"isAtAll\":true",
    "{\"at\":{\"isAtAll\":true,\"atUserIds\":[\"x\"]}}",
    "\",\"isAtAll\":true,\"x\":\"",
    "mentioned_list:[\"@all\"]",
    "@所有人",
    "<a href=\"tg://user?id=1\">x</a>",
    "<b>bold</b>",
    "@",
};

std::string bot_text(const std::string& partner) {
  return "#7 Critical \"" + partner + "\": response SLA of 15m breached; escalated to TAM";
}

std::string lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

// ---- Mattermost's own rule (server channels/app/mention_parser_standard.go), restated so the
// test does not trust the code it checks. Non-ASCII bytes count as word breaks, which only ever
// finds more mentions than Mattermost would (it keeps Unicode letters in a word).
bool is_mattermost_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
                      c == '.' || c == '-' || c == '_' || c == '@');
}

bool is_channel_wide(const std::string& word) {
  const std::string w = lower(word);
  return w == "@all" || w == "@channel" || w == "@here";
}

bool mattermost_notifies_everyone(const std::string& text) {
  // Slack-style announcements, expanded by the server before mentions are read (app/slack.go).
  for (const char* announcement : {"<!channel>", "<!here>", "<!all>"}) {
    if (text.find(announcement) != std::string::npos) return true;
  }
  std::vector<std::string> words;
  std::string word;
  for (const char c : text + " ") {
    if (is_mattermost_word_char(c)) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  for (std::string w : words) {
    w.erase(0, w.find_first_not_of(":.-_"));
    if (w.empty()) continue;
    if (is_channel_wide(w)) return true;
    std::string stem = w;
    while (!stem.empty() && std::string(".-:_").find(stem.back()) != std::string::npos) {
      stem.pop_back();
      if (is_channel_wide(stem)) return true;
    }
    if (w.front() != '@' && w.find_first_of(".-:") != std::string::npos) {
      std::string piece;
      for (const char c : w + ".") {
        if (c == '.' || c == '-' || c == ':') {
          if (is_channel_wide(piece)) return true;
          piece.clear();
        } else {
          piece.push_back(c);
        }
      }
    }
  }
  return false;
}

// ---- One row per platform.

struct Platform {
  Connection connection;
  Mention bot_mention;  // someone the bot itself means to notify
  // Checks a rendered body that carries `partner` text and the bot's mention.
  std::function<void(const json& body)> check_render;
  // Checks the synchronous answer to a message, carrying `reply` (which holds partner text).
  std::function<void(const HttpAnswer& answer, const std::string& reply)> check_sync_reply;
};

using testing::adapter_connection;

// Text, with the bot's own mention `tag` at its end (after a space, unless alone), and what
// precedes it.
std::string before_suffix(const std::string& text, const std::string& tag) {
  REQUIRE(text.ends_with(tag));
  std::string rest = text.substr(0, text.size() - tag.size());
  if (rest.ends_with(' ')) rest.pop_back();
  return rest;
}

std::map<std::string, Platform> platforms() {
  std::map<std::string, Platform> rows;

  // Slack: special mentions are only <!here>, <!channel>, <!everyone> (and <@U..>, <!subteam..>);
  // text is escaped (&, <, >) so none can be written ("Formatting text for app surfaces",
  // docs.slack.dev). A plain "@channel" is text: chat.postMessage's parse defaults to none.
  rows["slack"] = {
      adapter_connection("slack", {{"signing_secret", "s3cret"}}, "https://hooks.slack.com/services/T1/B1/x"),
      {"U0ERIN", "Erin"},
      [](const json& body) {
        const std::string text = before_suffix(body.at("text"), "<@U0ERIN>");
        CHECK(text.find('<') == std::string::npos);
        CHECK_FALSE(body.contains("link_names"));
        CHECK_FALSE(body.contains("parse"));
      },
      [](const HttpAnswer& answer, const std::string&) {
        CHECK(json::parse(answer.body).at("text").get<std::string>().find('<') == std::string::npos);
      }};

  // Mattermost: @all, @channel, @here (any case, as its parser splits words) and Slack's
  // <!channel>, <!here>, <!all>; <@id> names one user.
  const std::string mm_user = "erin4567890123456789012345";  // a 26-character user id
  rows["mattermost"] = {adapter_connection("mattermost", {{"token", "tok"}}, "https://mm.example/hooks/abc"),
                        {mm_user, "Erin"},
                        [mm_user](const json& body) {
                          const std::string text = before_suffix(body.at("text"), "<@" + mm_user + ">");
                          CHECK_FALSE(mattermost_notifies_everyone(text));
                          CHECK(text.find("<@") == std::string::npos);
                        },
                        [](const HttpAnswer& answer, const std::string&) {
                          const std::string text = json::parse(answer.body).at("text");
                          CHECK_FALSE(mattermost_notifies_everyone(text));
                          CHECK(text.find("<@") == std::string::npos);
                        }};

  // Teams: a mention is an <at>Name</at> tag matched by an msteams entity (Adaptive Card
  // "mention support"); only the bot writes entities, and text cannot write a tag.
  rows["teams"] = {
      adapter_connection("teams", {{"security_token", "c2VjcmV0LWtleQ=="}}, "https://teams.example/webhook"),
      {"29:erin", "Erin"},
      [](const json& body) {
        const json& card = body.at("attachments").at(0).at("content");
        const std::string text = before_suffix(card.at("body").at(0).at("text"), "<at>Erin</at>");
        CHECK(lower(text).find("<at") == std::string::npos);
        const json& entities = card.at("msteams").at("entities");
        REQUIRE(entities.size() == 1);
        CHECK(entities.at(0).at("mentioned").at("id") == "29:erin");
      },
      [](const HttpAnswer& answer, const std::string&) {
        const json body = json::parse(answer.body);
        CHECK(lower(body.at("text")).find("<at") == std::string::npos);
        CHECK_FALSE(body.contains("entities"));
      }};

  // Lark: <at user_id="all"></at> mentions everyone in a text message (im/v1 message content
  // "@所有人"); the only tags must be the bot's own.
  rows["lark"] = {adapter_connection("lark", {{"encrypt_key", "k"}, {"verification_token", "t"}},
                                     "https://open.feishu.cn/open-apis/bot/v2/hook/x"),
                  {"ou_erin", "Erin"},
                  [](const json& body) {
                    const std::string tag = R"(<at user_id="ou_erin">Erin</at>)";
                    const std::string text = before_suffix(body.at("content").at("text"), tag);
                    CHECK(lower(text).find("<at") == std::string::npos);
                  },
                  [](const HttpAnswer& answer, const std::string&) { CHECK(answer.body == "{}"); }};

  // DingTalk: only at.isAtAll notifies everyone; a user is notified only when listed in
  // at.atUserIds (custom robot "消息类型及数据格式"). Text is never read for either.
  rows["dingtalk"] = {
      adapter_connection("dingtalk", {{"app_secret", "app"}}, "https://oapi.dingtalk.com/robot/send?access_token=x"),
      {"erin-staff", "Erin"},
      [](const json& body) {
        CHECK(body.at("msgtype") == "text");
        CHECK(body.at("at").at("isAtAll") == false);
        CHECK(body.at("at").at("atUserIds") == json::array({"erin-staff"}));
        CHECK_FALSE(body.at("at").contains("atMobiles"));
        CHECK(body.at("text").at("content").get<std::string>().ends_with("@erin-staff"));
      },
      [](const HttpAnswer& answer, const std::string&) { CHECK(answer.body == "{}"); }};

  // WeCom: only text.mentioned_list / mentioned_mobile_list notify, "@all" there being everyone
  // (group robot "文本类型"); the content is not read for mentions.
  rows["wecom"] = {adapter_connection("wecom", {{"token", "tok123"}, {"encoding_aes_key", std::string(43, 'a')}},
                                      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"),
                   {"erin", "Erin"},
                   [](const json& body) {
                     CHECK(body.at("msgtype") == "text");
                     CHECK(body.at("text").at("mentioned_list") == json::array({"erin"}));
                     CHECK_FALSE(body.at("text").contains("mentioned_mobile_list"));
                   },
                   [](const HttpAnswer& answer, const std::string&) { CHECK(answer.body.empty()); }};

  // Telegram: no mention of everyone exists; in HTML parse mode a user is mentioned by a
  // tg://user link, which only the bot may write (text is HTML-escaped).
  rows["telegram"] = {adapter_connection("telegram", {{"webhook_secret", "hook_secret"}, {"bot_token", "123:abc"}}, ""),
                      {"4242", "Erin"},
                      [](const json& body) {
                        CHECK(body.at("parse_mode") == "HTML");
                        const std::string link = R"(<a href="tg://user?id=4242">Erin</a> )";
                        const std::string text = body.at("text");
                        REQUIRE(text.starts_with(link));
                        CHECK(text.substr(link.size()).find('<') == std::string::npos);
                      },
                      [](const HttpAnswer& answer, const std::string& reply) {
                        const json body = json::parse(answer.body);
                        CHECK_FALSE(body.contains("parse_mode"));  // plain text: no markup at all
                        CHECK(body.at("text") == reply);
                      }};

  // Our own webhook: mentions are their own field; the text is data for the receiver.
  rows["generic"] = {
      adapter_connection("generic", {{"secret", "s"}}, "https://example.test/in"),
      {"u-erin", "Erin"},
      [](const json& body) { CHECK(body.at("mentions") == json::array({"u-erin"})); },
      [](const HttpAnswer& answer, const std::string& reply) { CHECK(json::parse(answer.body).at("reply") == reply); }};

  // The console prints; nobody is notified of anything.
  rows["console"] = {adapter_connection("console", {}, ""),
                     {"erin", "Erin"},
                     [](const json&) {},
                     [](const HttpAnswer& answer, const std::string& reply) { CHECK(answer.body == reply); }};
  return rows;
}

json body_of(const std::string& adapter, const OutboundRequest& request) {
  if (adapter == "console") return json::object();  // printed text, not JSON
  return json::parse(request.body);
}

}  // namespace

TEST_CASE("mass mentions: every registered adapter has a row in this table") {
  const auto rows = platforms();
  for (const auto& name : known_adapters()) {
    INFO("adapter " << name << " needs a row: how are its channel-wide mentions kept inert?");
    CHECK(rows.contains(name));
  }
}

TEST_CASE("mass mentions: partner text rendered for any platform mentions no one but whom the bot means") {
  for (const auto& [name, row] : platforms()) {
    const auto adapter = make_adapter(row.connection);
    for (const std::string& partner : kPartnerInputs) {
      INFO(name << " with partner text: " << partner);
      const OutboundMessage message{row.connection.name, "chat-1", bot_text(partner), {row.bot_mention}, ""};
      const OutboundRequest request = adapter->render(message, from_unix_ms(1795329900000));
      row.check_render(body_of(name, request));
    }
  }
}

TEST_CASE("mass mentions: all partner inputs at once, and the bot's mention alone, still render right") {
  std::string all;
  for (const std::string& partner : kPartnerInputs) all += partner + " ";
  for (const auto& [name, row] : platforms()) {
    INFO(name);
    const auto adapter = make_adapter(row.connection);
    row.check_render(
        body_of(name, adapter->render({row.connection.name, "chat-1", bot_text(all), {row.bot_mention}, ""},
                                      from_unix_ms(1795329900000))));
    // The bot's own mention alone works the same.
    row.check_render(body_of(name, adapter->render({row.connection.name, "chat-1", "", {row.bot_mention}, ""},
                                                   from_unix_ms(1795329900000))));
  }
}

TEST_CASE("mass mentions: synchronous replies carry partner text inertly too") {
  for (const auto& [name, row] : platforms()) {
    const auto adapter = make_adapter(row.connection);
    for (const std::string& partner : kPartnerInputs) {
      INFO(name << " replying with partner text: " << partner);
      InboundMessage inbound;
      inbound.connection = row.connection.name;
      inbound.platform = name;
      inbound.chat_id = "-100123";
      const std::string reply = "#7 opened: Critical \"" + partner + "\"";
      row.check_sync_reply(adapter->sync_reply(inbound, reply), reply);
    }
  }
}

TEST_CASE("mass mentions: what stays readable of the defused text") {
  // The full-width forms read the same as what was typed.
  const auto mattermost = make_adapter(platforms().at("mattermost").connection);
  const json body = json::parse(
      mattermost->render({"mattermost-conn", "town-square", "@all and <!here>", {}, ""}, from_unix_ms(1795329900000))
          .body);
  CHECK(body.at("text") == "\uFF20all and \uFF1C!here>");
  const auto teams = make_adapter(platforms().at("teams").connection);
  const json reply = json::parse(teams->sync_reply(InboundMessage{}, "<at>everyone</at> x").body);
  CHECK(reply.at("text") == "\uFF1Cat>everyone</at> x");
  // An address or a name that merely starts like a mention stays as typed.
  const json kept =
      json::parse(mattermost
                      ->render({"mattermost-conn", "town-square", "ops@all.example @allison @here2", {}, ""},
                               from_unix_ms(1795329900000))
                      .body);
  CHECK(kept.at("text") == "ops@all.example @allison @here2");
}

TEST_CASE("mass mentions: \"@all\" is never put in WeCom's mentioned_list, even as a configured id") {
  const auto wecom = make_adapter(platforms().at("wecom").connection);
  const json body = json::parse(wecom
                                    ->render({"wecom-conn", "chat", "x", {{"@all", "Everyone"}, {"erin", "Erin"}}, ""},
                                             from_unix_ms(1795329900000))
                                    .body);
  CHECK(body.at("text").at("mentioned_list") == json::array({"erin"}));
}
