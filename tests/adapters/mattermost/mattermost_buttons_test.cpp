// Mattermost's buttons: interactive message buttons with a context slabot signs itself, the
// action request they post back, and the integration response (developers.mattermost.com,
// "Interactive messages").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/mattermost/mattermost_adapter.hpp"
#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;
using nlohmann::json;
using testing::rejected_status;

namespace {

const std::string action_url = "https://bot.example.com/hooks/mm";
const std::string action_secret = "b7c1e0d2a9f84e3c8d6b5a4f3e2d1c0b";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

Connection connection(bool buttons = true) {
  Connection c;
  c.name = "mm";
  c.adapter = "mattermost";
  c.secrets["token"] = "okwexkjpe7ygb8eq1ww58t483w";
  if (buttons) {
    c.secrets["action_url"] = action_url;
    c.secrets["action_secret"] = action_secret;
  }
  c.outbound_url = "https://chat.example.com/hooks/bywsw8zt5jgpte3nm65qjiru6h";
  return c;
}

// The context a button carries, as slabot signs it.
json context(const std::string& action, const std::string& chat, const std::string& text,
             const std::string& key = action_secret) {
  return {{"action", action},
          {"chat", chat},
          {"text", text},
          {"sig", hex_encode(hmac_sha256(key, "slabot-action-v1\n" + chat + "\n" + action + "\n" + text))}};
}

// The request Mattermost posts to the integration url when a button is clicked.
HttpRequest action_request(const json& button_context, const std::string& user_id = "aoa1agao6t8fmx3ikt1j9w5ybw") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/hooks/mm";
  r.headers["content-type"] = "application/json";
  r.body = json{{"user_id", user_id},
                {"user_name", "somename"},
                {"channel_id", "jux16pkewjrkfj3ehep1psxyxc"},
                {"channel_name", "town-square"},
                {"team_id", "carya1qs77bemjup96ff538snh"},
                {"team_domain", "test"},
                {"post_id", "x5yq9r3ndjdgzme8p1qe8ke4dw"},
                {"trigger_id", "dGVzdC10cmlnZ2VyLWlk"},
                {"type", ""},
                {"data_source", ""},
                {"context", button_context}}
               .dump();
  return r;
}

}  // namespace

TEST_CASE("mattermost: a message with actions carries attachment buttons posting to action_url",
          "[mattermost][buttons]") {
  const MattermostAdapter adapter(connection());
  OutboundMessage message{"mm", "acme-7x24", "#12 breached", {{"erinmattermostuserid000001", "Erin"}}, ""};
  message.actions = {{ActionKind::ack, 12}, {ActionKind::escalate, 12}};
  const json body = json::parse(adapter.render(message, now).body);
  CHECK(body.at("text") == "#12 breached <@erinmattermostuserid000001>");
  // The context keeps the text without mentions, for the update after a tap.
  CHECK(body.at("attachments") ==
        json{{{"actions",
               {{{"id", "ack"},
                 {"type", "button"},
                 {"name", "Acknowledge"},
                 {"style", "primary"},
                 {"integration", {{"url", action_url}, {"context", context("ack:12", "acme-7x24", "#12 breached")}}}},
                {{"id", "escalate"},
                 {"type", "button"},
                 {"name", "Escalate"},
                 {"integration",
                  {{"url", action_url}, {"context", context("escalate:12", "acme-7x24", "#12 breached")}}}}}}}});
  // Without an action_url the connection sends text alone.
  CHECK_FALSE(json::parse(MattermostAdapter(connection(false)).render(message, now).body).contains("attachments"));
}

TEST_CASE("mattermost: action_url and action_secret go together", "[mattermost][buttons]") {
  auto half = connection(false);
  half.secrets["action_url"] = action_url;
  CHECK_THROWS_WITH(MattermostAdapter(half), Catch::Contains("action_secret"));
  auto other_half = connection(false);
  other_half.secrets["action_secret"] = action_secret;
  CHECK_THROWS_WITH(MattermostAdapter(other_half), Catch::Contains("action_url"));
}

TEST_CASE("mattermost: a click with slabot's signed context is the command its button stands for",
          "[mattermost][buttons]") {
  const MattermostAdapter adapter(connection());
  const auto request = action_request(context("ack:12", "acme-7x24", "#12 breached"));
  REQUIRE(std::holds_alternative<Verified>(adapter.verify(request, now)));
  const InboundMessage message = testing::only_message(adapter.parse(request));
  CHECK(message.text == "/ack 12");
  CHECK(message.chat_id == "acme-7x24");  // from the signed context, not the request's channel
  CHECK(message.user_id == "aoa1agao6t8fmx3ikt1j9w5ybw");
  CHECK(message.event_id == "dGVzdC10cmlnZ2VyLWlk");
  REQUIRE(message.tap);
  CHECK(message.tap->message_ref == "x5yq9r3ndjdgzme8p1qe8ke4dw");
  CHECK(message.tap->original_text == "#12 breached");
  CHECK(adapter.reply_route(message) == ReplyRoute::in_response);

  CHECK(
      json::parse(adapter.sync_answer(message, Reply{"#12 acknowledged by Erin", false, {}, true}).body) ==
      json{{"update",
            {{"message", "#12 breached"}, {"props", {{"attachments", {{{"text", "✅ #12 acknowledged by Erin"}}}}}}}}});
  CHECK(json::parse(adapter.sync_answer(message, Reply{"only support staff may ack tickets", false, {}, false}).body) ==
        json{{"ephemeral_text", "only support staff may ack tickets"}});
}

TEST_CASE("mattermost: a click whose context is not slabot's signature is refused before it is read",
          "[mattermost][buttons]") {
  const MattermostAdapter adapter(connection());
  // Signed with another key; one field changed after signing (another channel, another action); none.
  CHECK(rejected_status(adapter.verify(action_request(context("ack:12", "acme-7x24", "t", "another-key")), now)) ==
        401);
  auto moved = context("ack:12", "acme-7x24", "t");
  moved["chat"] = "globex-7x24";
  CHECK(rejected_status(adapter.verify(action_request(moved), now)) == 401);
  auto changed = context("ack:12", "acme-7x24", "t");
  changed["action"] = "escalate:12";
  CHECK(rejected_status(adapter.verify(action_request(changed), now)) == 401);
  CHECK(rejected_status(adapter.verify(action_request(json::object()), now)) == 401);
  // A connection without buttons takes no action request at all.
  CHECK(rejected_status(
            MattermostAdapter(connection(false)).verify(action_request(context("ack:12", "c", "t")), now)) == 401);
}

TEST_CASE("mattermost: a slash command's answer carries its buttons as attachments", "[mattermost][buttons]") {
  const MattermostAdapter adapter(connection());
  InboundMessage command;
  command.chat_id = "acme-7x24";
  const json body =
      json::parse(adapter.sync_answer(command, Reply{"#12 opened", false, {{ActionKind::ack, 12}}, true}).body);
  CHECK(body.at("response_type") == "in_channel");
  CHECK(body.at("attachments").at(0).at("actions").at(0).at("integration").at("context") ==
        context("ack:12", "acme-7x24", "#12 opened"));
}
