#include "adapters/mattermost/mattermost_adapter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;

namespace {

// The request in Mattermost's slash-command docs (developers.mattermost.com, "Custom slash
// commands"), sent for `/test asd` in Town Square. Mattermost signs nothing: the token is the
// whole proof, so there is no signature vector to compute.
const std::string token = "okwexkjpe7ygb8eq1ww58t483w";
const std::string documented_body =
    "channel_id=jux16pkewjrkfj3ehep1psxyxc&channel_name=town-square&command=%2Ftest"
    "&response_url=http%3A%2F%2Flocalhost%3A8065%2Fhooks%2Fcommands%2Fxbrkb8p393gjpq5cawei7npije"
    "&team_domain=test&team_id=carya1qs77bemjup96ff538snh&text=asd&token=okwexkjpe7ygb8eq1ww58t483w"
    "&user_id=aoa1agao6t8fmx3ikt1j9w5ybw&user_name=somename";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

Connection connection(const std::string& secret = token) {
  Connection c;
  c.name = "mm";
  c.adapter = "mattermost";
  c.secrets["token"] = secret;
  c.outbound_url = "https://chat.example.com/hooks/bywsw8zt5jgpte3nm65qjiru6h";
  return c;
}

HttpRequest request(std::string body = documented_body, std::string authorization = "Token " + token) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/hooks/mm";
  r.headers["content-type"] = "application/x-www-form-urlencoded";
  r.headers["accept"] = "application/json";
  if (!authorization.empty()) r.headers["authorization"] = std::move(authorization);
  r.body = std::move(body);
  return r;
}

// The documented body with its token field replaced (or removed, for "").
std::string body_with_token(const std::string& value) {
  std::string body = documented_body;
  const std::string field = "&token=" + token;
  body.replace(body.find(field), field.size(), value.empty() ? "" : "&token=" + value);
  return body;
}

using testing::rejected_status;

using testing::only_message;

HttpResponse response(int status, std::string text, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(text)};
}

}  // namespace

TEST_CASE("mattermost: the documented request verifies with its token", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(), now)));
  // Either carrier alone is enough; the scheme's case does not matter.
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(documented_body, ""), now)));
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(body_with_token(""), "Token " + token), now)));
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(documented_body, "token " + token), now)));
}

TEST_CASE("mattermost: a wrong token anywhere is refused with 401", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  const std::string wrong = "okwexkjpe7ygb8eq1ww58t483x";
  CHECK(rejected_status(adapter.verify(request(documented_body, "Token " + wrong), now)) == 401);
  CHECK(rejected_status(adapter.verify(request(body_with_token(wrong)), now)) == 401);
  CHECK(rejected_status(adapter.verify(request(body_with_token(wrong), ""), now)) == 401);
  CHECK(rejected_status(adapter.verify(request(body_with_token(token + "x")), now)) == 401);
  CHECK(rejected_status(adapter.verify(request(documented_body, "Token "), now)) == 401);
  CHECK(rejected_status(MattermostAdapter(connection("another-token")).verify(request(), now)) == 401);
}

TEST_CASE("mattermost: a request without the token is refused with 401", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(request(body_with_token(""), ""), now)) == 401);
  // A Bearer token (an outgoing OAuth connection) is not the command token and proves nothing.
  CHECK(rejected_status(adapter.verify(request(body_with_token(""), "Bearer " + token), now)) == 401);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(documented_body, "Bearer abc"), now)));
  CHECK(rejected_status(adapter.verify(request(body_with_token(""), "Token"), now)) == 401);
}

TEST_CASE("mattermost: a body that is not a form is refused with 400", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  CHECK(rejected_status(adapter.verify(request(documented_body + "&text=%ZZ"), now)) == 400);
  CHECK(rejected_status(adapter.parse(request("command=%2Ftest&channel_id=c&channel_name=n&user_id=u&text=%E2%82"))) ==
        400);
  CHECK(rejected_status(adapter.parse(request("command=%2Ftest&channel_name=n&user_id=u"))) == 400);
  CHECK(rejected_status(adapter.parse(request("command=%2Ftest&channel_id=c&user_id=u"))) == 400);  // no name
  CHECK(rejected_status(adapter.parse(request("text=hello"))) == 400);
}

TEST_CASE("mattermost: the documented command parses; chat_id is the channel's name", "[mattermost]") {
  const auto message = only_message(MattermostAdapter(connection()).parse(request()));
  CHECK(message.platform == "mattermost");
  CHECK(message.text == "/test asd");
  CHECK(message.chat_id == "town-square");
  CHECK(message.user_id == "aoa1agao6t8fmx3ikt1j9w5ybw");
  CHECK(message.user_name == "somename");
  CHECK(message.reply_url == "http://localhost:8065/hooks/commands/xbrkb8p393gjpq5cawei7npije");
  // The documented request predates trigger_id: the per-invocation response_url stands in.
  CHECK(message.event_id == message.reply_url);
}

TEST_CASE("mattermost: trigger_id is the event id, and /ack 12 stays /ack 12", "[mattermost]") {
  const auto message =
      only_message(MattermostAdapter(connection())
                       .parse(request("channel_id=c1&channel_name=partner-acme&command=%2Fack&text=12&token=" + token +
                                      "&trigger_id=OWc1ZnA3cTNmM2Y&user_id=u1&user_name=ann&response_url=https%3A%2F%"
                                      "2Fchat%2Fhooks%2Fcommands%2Fh1"
                                      "&user_mentions=%5B%22bob%22%5D&user_mentions_ids=%5B%22b1%22%5D")));
  CHECK(message.text == "/ack 12");
  CHECK(message.event_id == "OWc1ZnA3cTNmM2Y");
  CHECK(message.chat_id == "partner-acme");
}

TEST_CASE("mattermost: replies go in the channel; nothing to say posts nothing", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  const HttpAnswer answer = adapter.sync_reply(InboundMessage{}, "T-12 acked by @ann");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  CHECK(nlohmann::json::parse(answer.body) ==
        nlohmann::json{{"response_type", "in_channel"}, {"text", "T-12 acked by @ann"}});
  // Mattermost drops an empty ephemeral answer; an empty in_channel one would be an error.
  CHECK(nlohmann::json::parse(adapter.sync_reply(InboundMessage{}, "").body) ==
        nlohmann::json{{"response_type", "ephemeral"}, {"text", ""}});
}

TEST_CASE("mattermost: render posts to the incoming webhook by channel name with mentions", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "partner-acme";
  message.text = "T-12 breached its response SLA";
  // A user id (26 characters) goes out as <@id>, which Mattermost turns into @username.
  message.mentions = {{"aoa1agao6t8fmx3ikt1j9w5ybw", "Ann"}, {"bob", "Bob"}, {"@carol", "Carol"}};
  const OutboundRequest request = adapter.render(message, now);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://chat.example.com/hooks/bywsw8zt5jgpte3nm65qjiru6h");
  CHECK(request.headers.at("Content-Type") == "application/json");
  CHECK_FALSE(request.headers.contains("Authorization"));
  CHECK(nlohmann::json::parse(request.body) ==
        nlohmann::json{{"channel", "partner-acme"},
                       {"text", "T-12 breached its response SLA <@aoa1agao6t8fmx3ikt1j9w5ybw> @bob @carol"}});
}

TEST_CASE("mattermost: render answers through a response_url in the channel", "[mattermost]") {
  OutboundMessage message;
  message.chat_id = "partner-acme";
  message.text = "done";
  message.url = "https://chat.example.com/hooks/commands/xbrkb8p393gjpq5cawei7npije";
  const OutboundRequest request = MattermostAdapter(connection()).render(message, now);
  CHECK(request.url == message.url);
  // The URL fixes the channel; without response_type the answer would be ephemeral.
  CHECK(nlohmann::json::parse(request.body) == nlohmann::json{{"response_type", "in_channel"}, {"text", "done"}});
}

TEST_CASE("mattermost: interpret reads the status and the AppError id", "[mattermost]") {
  const MattermostAdapter adapter(connection());
  CHECK(std::holds_alternative<Delivered>(adapter.interpret(response(200, "ok"))));
  // Mattermost reports webhook failures with an HTTP error status (never as a 200).
  const auto missing = adapter.interpret(response(
      404,
      R"({"id":"web.incoming_webhook.channel.app_error","message":"Couldn't find the channel.","detailed_error":"","request_id":"rq1","status_code":404})"));
  REQUIRE(std::holds_alternative<GiveUp>(missing));
  CHECK(std::get<GiveUp>(missing).error == "mattermost HTTP 404: web.incoming_webhook.channel.app_error");
  CHECK(std::holds_alternative<GiveUp>(
      adapter.interpret(response(403, R"({"id":"web.incoming_webhook.channel_locked.app_error","status_code":403})"))));
  const auto unknown_hook = adapter.interpret(response(400, R"({"id":"web.incoming_webhook.invalid.app_error"})"));
  REQUIRE(std::holds_alternative<GiveUp>(unknown_hook));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(response(500, "{}"))));
  CHECK(std::get<Refused>(adapter.interpret(response(400, "<html>bad</html>"))).error == "mattermost HTTP 400");
}

TEST_CASE("mattermost: rate limit and the required token", "[mattermost]") {
  const RateLimit limit = MattermostAdapter(connection()).rate_limit();
  CHECK(limit.messages == 10);
  CHECK(limit.per == std::chrono::seconds(1));
  try {
    MattermostAdapter adapter(connection(""));
    FAIL("an empty token was accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("\"token\"") != std::string::npos);
  }
  Connection without = connection();
  without.secrets.clear();
  CHECK_THROWS_AS(MattermostAdapter(without), std::invalid_argument);
}
