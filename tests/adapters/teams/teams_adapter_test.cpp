#include "adapters/teams/teams_adapter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/adapter_outcomes.hpp"

using namespace slabot;

namespace {

// The signing key from Microsoft's outgoing-webhook docs ("contoso" in its SigningKeyDictionary)
// and the docs' example inbound message, compacted to one line. Microsoft publishes no body for
// its example HMAC, so the signature is computed independently:
//   HEXKEY=$(printf '%s' 'vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=' | base64 -d | xxd -p -c 256)
//   printf '%s' "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$HEXKEY -binary | base64
const std::string security_token = "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=";
const std::string other_token = "QgyNSToQjf4p6+YzDpjKks1/tXeJQ7FhVHqRwTnugVI=";  // the docs' "fabrikam"
const std::string body =
    R"({"type":"message","id":"1485983408511","timestamp":"2017-02-01T21:10:07.437Z","localTimestamp":"2017-02-01T14:10:07.437-07:00",)"
    R"("serviceUrl":"https://smba.trafficmanager.net/amer-client-ss.msg/","channelId":"msteams","from":{"id":"29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkHilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw","name":"Tim Jones"},)"
    R"("conversation":{"id":"19:253b1f341670408fb6fe51050b6e5ceb@thread.skype;messageid=1485983194839"},"recipient":{"id":"null","name":"null"},)"
    R"("textFormat":"plain","text":"<at>MyCustomBot</at> Hello <at>Larry Brown</at>",)"
    R"("attachments":[{"contentType":"text/html","content":"<div><span contenteditable=\"false\" itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">MyWebHook </span> Hello <span contenteditable=\"false\" itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"1\">Larry Brown </span></div>"}],)"
    R"("entities":[{"type":"mention","mentioned":{"id":"28:c9e8c047-2a74-40a2-b28a-b162d5f5327c","name":"MyWebHook"},"text":"<at>MyWebHook</at>"},)"
    R"({"type":"mention","mentioned":{"id":"29:1jnFbZYs0qXMLH-O4S9-sDLNc3NVEIMWMnC-q0tVdEa-8BRosfojI35QdNoB-yW8iutWLJzHUm_mqEZSSU8si0Q","name":"Larry Brown"},"text":"<at>Larry Brown</at>"},)"
    R"({"locale":"en-US","country":"US","platform":"Windows","timezone":"America/Los_Angeles","type":"clientInfo"}],)"
    R"("channelData":{"teamsChannelId":"19:253b1f341670408fb6fe51050b6e5ceb@thread.skype","teamsTeamId":"19:712c61d0ef384e5fa681ba90ca943398@thread.skype"}})";
const std::string good_authorization = "HMAC u3s+lMiK8+0s7dcU/VjoacjNPWAw1D5w2FR98WSI32Q=";
const Timestamp now = from_unix_ms(1700000000LL * 1000);

Connection connection(const std::string& token = security_token) {
  Connection c;
  c.name = "teams-main";
  c.adapter = "teams";
  c.secrets["security_token"] = token;
  c.outbound_url = "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke";
  return c;
}

HttpRequest request(std::string request_body = body, std::string authorization = good_authorization) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/hooks/teams-main";
  r.headers["content-type"] = "application/json; charset=utf-8";
  if (!authorization.empty()) r.headers["authorization"] = std::move(authorization);
  r.body = std::move(request_body);
  return r;
}

using testing::rejected_status;

using testing::only_message;

// A message activity with this text, in a channel thread, from a user with an AAD object id.
std::string activity(const std::string& text_json) {
  return R"({"type":"message","id":"1700000000123","channelId":"msteams",)"
         R"("from":{"id":"29:1abc","name":"Ann Lee","aadObjectId":"87d349ed-44d7-43e1-9a83-5f2406dee5bd"},)"
         R"("conversation":{"isGroup":true,"conversationType":"channel","id":"19:ops@thread.tacv2;messageid=1700000000123"},)"
         R"("text":)" +
         text_json + "}";
}

std::string parsed_text(const std::string& text_json) {
  return only_message(TeamsAdapter(connection()).parse(request(activity(text_json)))).text;
}

HttpResponse response(int status, std::string text, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(text)};
}

}  // namespace

TEST_CASE("teams: the docs' example message verifies under the docs' key", "[teams]") {
  const TeamsAdapter adapter(connection());
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(), now)));
  // The scheme is case-insensitive, as HTTP authorization schemes are.
  CHECK(std::holds_alternative<Verified>(adapter.verify(request(body, "hmac " + good_authorization.substr(5)), now)));
}

TEST_CASE("teams: tampering or another key is refused with 401", "[teams]") {
  const TeamsAdapter adapter(connection());
  std::string tampered = body;
  tampered.replace(tampered.find("Hello"), 5, "Hallo");
  CHECK(rejected_status(adapter.verify(request(tampered), now)) == 401);
  CHECK(rejected_status(adapter.verify(request(body + "\n"), now)) == 401);
  CHECK(rejected_status(TeamsAdapter(connection(other_token)).verify(request(), now)) == 401);
  // What the other key signs is refused under ours.
  CHECK(rejected_status(adapter.verify(request(body, "HMAC oxr6uK6YatFLcL+IYVqt+ckv3vV2H/sO841LMHqTHLo="), now)) ==
        401);
}

TEST_CASE("teams: missing or malformed Authorization is refused with 401", "[teams]") {
  const TeamsAdapter adapter(connection());
  const std::string mac = good_authorization.substr(5);
  for (const std::string& header :
       {std::string(""), mac, "Bearer " + mac, std::string("HMAC"), std::string("HMAC "), "HMAC " + mac.substr(4),
        "HMAC " + mac.substr(0, mac.size() - 1), "HMAC  " + mac, "HMAC " + mac + " "}) {
    CAPTURE(header);
    CHECK(rejected_status(adapter.verify(request(body, header), now)) == 401);
  }
}

TEST_CASE("teams: the docs' example message parses", "[teams]") {
  const auto message = only_message(TeamsAdapter(connection()).parse(request()));
  CHECK(message.platform == "teams");
  CHECK(message.event_id == "1485983408511");
  CHECK(message.chat_id == "19:253b1f341670408fb6fe51050b6e5ceb@thread.skype");  // the channel
  CHECK(message.user_id ==
        "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkHilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw");
  CHECK(message.user_name == "Tim Jones");
  CHECK(message.text == "Hello @\"Larry Brown\"");  // the bot's own mention is gone
  CHECK(message.reply_url.empty());                 // outgoing webhooks can only answer in the HTTP response
}

TEST_CASE("teams: the people mentioned come from the mention entities, the bots left out", "[teams]") {
  // The docs' example: the webhook's own mention (a "28:" bot id) and Larry Brown.
  const auto example = only_message(TeamsAdapter(connection()).parse(request()));
  REQUIRE(example.mentions.size() == 1);
  CHECK(example.mentions[0].user_id ==
        "29:1jnFbZYs0qXMLH-O4S9-sDLNc3NVEIMWMnC-q0tVdEa-8BRosfojI35QdNoB-yW8iutWLJzHUm_mqEZSSU8si0Q");
  CHECK(example.mentions[0].name == "Larry Brown");

  // A person is named as a sender is: by the AAD object id when Teams gives one. Once each; a
  // mention of the recipient, an entity without an id and other entity types name nobody.
  const std::string with_entities =
      R"({"type":"message","id":"7","from":{"id":"29:a","aadObjectId":"aad-a"},"recipient":{"id":"29:bot-as-user"},)"
      R"("conversation":{"id":"19:c@thread.tacv2"},"text":"<at>slabot</at> /engagement csm <at>Wei Zhang</at>",)"
      R"("entities":[{"type":"mention","mentioned":{"id":"29:bot-as-user","name":"slabot"},"text":"<at>slabot</at>"},)"
      R"({"type":"mention","mentioned":{"id":"29:wei","name":"Wei Zhang","aadObjectId":"aad-wei"},"text":"<at>Wei Zhang</at>"},)"
      R"({"type":"mention","mentioned":{"id":"29:wei","name":"Wei Zhang","aadObjectId":"aad-wei"},"text":"<at>Wei Zhang</at>"},)"
      R"({"type":"mention","mentioned":{"name":"no id"}},{"type":"mention","mentioned":"not an object"},)"
      R"({"type":"clientInfo","locale":"en-US"}]})";
  const auto message = only_message(TeamsAdapter(connection()).parse(request(with_entities)));
  REQUIRE(message.mentions.size() == 1);
  CHECK(message.mentions[0].user_id == "aad-wei");
  CHECK(message.mentions[0].name == "Wei Zhang");
  CHECK(message.text == "/engagement csm @\"Wei Zhang\"");

  // Entities that are not a list name nobody, and the message still parses.
  const std::string odd = R"({"type":"message","id":"8","from":{"id":"29:a"},"conversation":{"id":"19:c"},)"
                          R"("text":"/list","entities":{"type":"mention"}})";
  CHECK(only_message(TeamsAdapter(connection()).parse(request(odd))).mentions.empty());
}

TEST_CASE("teams: the AAD object id identifies the sender; a thread is its channel", "[teams]") {
  const auto message =
      only_message(TeamsAdapter(connection()).parse(request(activity(R"("<at>slabot</at> /ack 12")"))));
  CHECK(message.user_id == "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
  CHECK(message.user_name == "Ann Lee");
  // No channelData: the conversation id without its ";messageid=" thread suffix.
  CHECK(message.chat_id == "19:ops@thread.tacv2");
  CHECK(message.text == "/ack 12");
}

TEST_CASE("teams: channelData names the channel before the conversation does", "[teams]") {
  const auto chat_of = [](const std::string& channel_data) {
    return only_message(
               TeamsAdapter(connection())
                   .parse(request(
                       R"({"type":"message","id":"1","from":{"id":"29:a"},"conversation":{"id":"19:thread@thread.tacv2;messageid=1"},)"
                       R"("text":"x","channelData":)" +
                       channel_data + "}")))
        .chat_id;
  };
  CHECK(chat_of(R"({"teamsChannelId":"19:channel@thread.tacv2","channel":{"id":"19:other@thread.tacv2"}})") ==
        "19:channel@thread.tacv2");
  CHECK(chat_of(R"({"channel":{"id":"19:other@thread.tacv2"}})") == "19:other@thread.tacv2");
  CHECK(chat_of(R"({"tenant":{"id":"72f988bf"}})") == "19:thread@thread.tacv2");
  CHECK(chat_of(R"("not an object")") == "19:thread@thread.tacv2");
}

TEST_CASE("teams: mention stripping and HTML entities", "[teams]") {
  CHECK(parsed_text(R"("<at>slabot</at>&nbsp;/ack 12\n")") == "/ack 12");
  CHECK(parsed_text(R"("&nbsp;<at>slabot</at> /assign 12 <at>Ann</at>")") == "/assign 12 @Ann");
  CHECK(parsed_text(R"("<at>slabot</at> /assign 12 <at>Larry Brown</at>")") == "/assign 12 @\"Larry Brown\"");
  CHECK(parsed_text(R"("<at>slabot</at> /note 12 R&amp;D said &quot;reboot&quot; &lt;now&gt; it&#39;s &#x263A;")") ==
        "/note 12 R&D said \"reboot\" <now> it's \xE2\x98\xBA");
  // Only a leading mention is the bot's; one later in the text is a person.
  CHECK(parsed_text(R"("hello <at>slabot</at>")") == "hello @slabot");
  // Unknown or malformed references stay as typed.
  CHECK(parsed_text(R"("<at>slabot</at> /note 1 &copy; &#xZZ; & done;")") == "/note 1 &copy; &#xZZ; & done;");
  CHECK(parsed_text(R"("<at>slabot</at>")").empty());
  CHECK(parsed_text("null").empty());
}

TEST_CASE("teams: activities that are not messages are acknowledged and ignored", "[teams]") {
  const auto outcome =
      TeamsAdapter(connection())
          .parse(request(R"({"type":"conversationUpdate","id":"f:1","conversation":{"id":"19:ops@thread.tacv2"}})"));
  const auto* parsed = std::get_if<ParsedMessages>(&outcome);
  REQUIRE(parsed);
  CHECK(parsed->messages.empty());
}

TEST_CASE("teams: malformed activities are refused with 400", "[teams]") {
  const TeamsAdapter adapter(connection());
  for (const std::string& text : {
           std::string(""), std::string("not json"), std::string("[1,2]"),
           std::string(R"({"type":"message","id":"1","from":{"id":"29:a"},"conversation":{"id":"19:c"},"text":7})"),
           std::string(R"({"type":"message","from":{"id":"29:a"},"conversation":{"id":"19:c"},"text":"x"})"),  // no id
           std::string(R"({"type":"message","id":"1","conversation":{"id":"19:c"},"text":"x"})"),  // no sender
           std::string(R"({"type":"message","id":"1","from":{"id":"29:a"},"text":"x"})"),          // no chat
       }) {
    CAPTURE(text);
    CHECK(rejected_status(adapter.parse(request(text))) == 400);
  }
}

TEST_CASE("teams: sync_reply is a message activity; an empty reply still has text", "[teams]") {
  const TeamsAdapter adapter(connection());
  const HttpAnswer answer = adapter.sync_reply(InboundMessage{}, "T-12 acknowledged");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "application/json");
  CHECK(nlohmann::json::parse(answer.body) == nlohmann::json{{"type", "message"}, {"text", "T-12 acknowledged"}});
  CHECK(nlohmann::json::parse(adapter.sync_reply(InboundMessage{}, "").body) ==
        nlohmann::json{{"type", "message"}, {"text", "OK"}});
  CHECK(adapter.reply_route(InboundMessage{}) == ReplyRoute::in_response);
}

TEST_CASE("teams: render posts an Adaptive Card with <at> mentions and msteams entities", "[teams]") {
  const TeamsAdapter adapter(connection());
  OutboundMessage message;
  message.chat_id = "19:ops@thread.tacv2";
  message.text = "T-12 breached its response SLA";
  message.mentions = {{"87d349ed-44d7-43e1-9a83-5f2406dee5bd", "Ann Lee"}, {"bob@contoso.com", ""}};
  const OutboundRequest request = adapter.render(message, now);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke");
  CHECK(request.headers.at("Content-Type") == "application/json");
  const auto expected = nlohmann::json::parse(R"({
    "type": "message",
    "attachments": [{
      "contentType": "application/vnd.microsoft.card.adaptive",
      "contentUrl": null,
      "content": {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.2",
        "body": [{"type": "TextBlock", "wrap": true,
                  "text": "T-12 breached its response SLA <at>Ann Lee</at> <at>bob@contoso.com</at>"}],
        "msteams": {"entities": [
          {"type": "mention", "text": "<at>Ann Lee</at>",
           "mentioned": {"id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "name": "Ann Lee"}},
          {"type": "mention", "text": "<at>bob@contoso.com</at>",
           "mentioned": {"id": "bob@contoso.com", "name": "bob@contoso.com"}}
        ]}
      }
    }]
  })");
  CHECK(nlohmann::json::parse(request.body) == expected);
}

TEST_CASE("teams: render without mentions has no entities, and honours message.url", "[teams]") {
  OutboundMessage message;
  message.text = "daily summary";
  message.url = "https://contoso.webhook.office.com/webhookb2/x/IncomingWebhook/y/z";
  const OutboundRequest request = TeamsAdapter(connection()).render(message, now);
  CHECK(request.url == message.url);
  const auto card = nlohmann::json::parse(request.body)["attachments"][0]["content"];
  CHECK_FALSE(card.contains("msteams"));
  CHECK(card["body"][0]["text"] == "daily summary");
}

TEST_CASE("teams: interpret: connectors' 1 and Workflows' 202 are delivered", "[teams]") {
  const TeamsAdapter adapter(connection());
  CHECK(std::holds_alternative<Delivered>(adapter.interpret(response(200, "1"))));
  CHECK(std::holds_alternative<Delivered>(adapter.interpret(response(202, ""))));
}

TEST_CASE("teams: throttling inside a 200, or as a 429, is retried later", "[teams]") {
  const TeamsAdapter adapter(connection());
  const auto in_body = adapter.interpret(
      response(200,
               "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 "
               "with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0"));
  REQUIRE(std::holds_alternative<Throttled>(in_body));
  CHECK(std::get<Throttled>(in_body).error == "teams: throttled (HTTP 429)");

  const auto status = adapter.interpret(
      response(429, R"({"error":{"code":"WorkflowTriggeredTooManyTimes"}})", {{"retry-after", "20"}}));
  REQUIRE(std::holds_alternative<Throttled>(status));
  CHECK(std::get<Throttled>(status).after == std::chrono::seconds(20));

  // A 400 that reports the connector's 429 is throttling too.
  CHECK(std::holds_alternative<Throttled>(
      adapter.interpret(response(400, "Microsoft Teams endpoint returned HTTP error 429"))));
}

TEST_CASE("teams: other failures inside a 200 give up or retry by the status they report", "[teams]") {
  const TeamsAdapter adapter(connection());
  const auto bad = adapter.interpret(
      response(200,
               "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400 with "
               "ContextId tcid=3858711342361713458,server=msgapi-canary-eus2-0,cv=deadbeef.0."));
  REQUIRE(std::holds_alternative<Refused>(bad));
  CHECK(std::get<Refused>(bad).error == "teams: webhook delivery failed (HTTP error 400)");
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(
      response(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 503"))));
}

TEST_CASE("teams: permanent and transient HTTP errors", "[teams]") {
  const TeamsAdapter adapter(connection());
  const auto gone = adapter.interpret(response(404, "Webhook Bad Request - Null or empty event"));
  REQUIRE(std::holds_alternative<GiveUp>(gone));
  CHECK(std::get<GiveUp>(gone).error == "teams HTTP 404");  // the body is not copied into the log
  CHECK(std::holds_alternative<Refused>(adapter.interpret(response(400, "Summary or Text is required."))));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(response(502, ""))));
}

TEST_CASE("teams: two a second stays under 4 a second and 60 per 30 s", "[teams]") {
  const RateLimit limit = TeamsAdapter(connection()).rate_limit();
  CHECK(limit.messages == 2);
  CHECK(limit.per == std::chrono::seconds(1));
  CHECK(limit.messages <= 4);
  CHECK(limit.messages * 30 <= 60);
}

TEST_CASE("teams: the security token is required and must be base64", "[teams]") {
  for (const std::string& token : {std::string(""), std::string("not base64!"), std::string("abc")}) {
    CAPTURE(token);
    try {
      TeamsAdapter adapter(connection(token));
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      CHECK(what.find("\"security_token\"") != std::string::npos);
      if (!token.empty()) CHECK(what.find(token) == std::string::npos);  // never the value
    }
  }
  Connection without = connection();
  without.secrets.clear();
  CHECK_THROWS_AS(TeamsAdapter(without), std::invalid_argument);
}
