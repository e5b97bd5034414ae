// WeCom end to end: a group robot's encrypted callback, with msg_signature in the query, opens a
// ticket; the answer goes through the outbox to the robot's webhook in WeCom's text format.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace slabot;
using namespace slabot::e2e;
using nlohmann::json;

namespace {

const std::string token = "slabotE2eToken";
const std::string encoding_aes_key = "E2eE2eabcdefghijklmnopqrstuvwxyz0123456789A";  // 43 characters
const std::string webhook_path = "/cgi-bin/webhook/send?key=e2e-robot-key";
const std::string chat = "wrkSFfCgAAe2eAcme7x24";
const std::string nonce = "1372623149";

PlatformSetup wecom() {
  return {"wecom", {{"token", token}, {"encoding_aes_key", encoding_aes_key}}, webhook_path, chat, "erin"};
}

// base64(AES-256-CBC(key, IV = the key's first 16 bytes, random(16) + be32(length) + message +
// receive id, PKCS#7-padded to 32)), with key = base64-decode(EncodingAESKey + "=").
std::string seal(const std::string& message, const std::string& receive_id = "") {
  const std::string key = *base64_decode(encoding_aes_key + "=");
  const auto length = static_cast<std::uint32_t>(message.size());
  std::string plain = "0123456789abcdef";
  for (int shift : {24, 16, 8, 0}) plain.push_back(static_cast<char>((length >> shift) & 0xff));
  plain += message + receive_id;
  const std::size_t pad = 32 - plain.size() % 32;
  plain.append(pad, static_cast<char>(pad));
  return base64_encode(aes256_cbc_encrypt(key, key.substr(0, 16), plain, false));
}

// hex(SHA-1(token, timestamp, nonce and the encrypted text, sorted and concatenated)).
std::string sign(const std::string& timestamp, const std::string& encrypted, const std::string& with_token = token) {
  std::array<std::string, 4> parts{with_token, timestamp, nonce, encrypted};
  std::sort(parts.begin(), parts.end());
  return hex_encode(sha1(parts[0] + parts[1] + parts[2] + parts[3]));
}

// The group robot's text callback (群机器人回调), as the vendor's sample lays it out.
std::string robot_text(const std::string& msg_id, const std::string& user_id, const std::string& name,
                       const std::string& content, const std::string& webhook_url) {
  return "<xml><WebhookUrl><![CDATA[" + webhook_url + "]]></WebhookUrl><MsgId>" + msg_id + "</MsgId><ChatId><![CDATA[" +
         chat + "]]></ChatId><ChatType>group</ChatType><From><UserId>" + user_id + "</UserId><Name><![CDATA[" + name +
         "]]></Name><Alias><![CDATA[" + user_id +
         "]]></Alias></From><GetChatInfoUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/"
         "get_chat_info?code=C]]>"
         "</GetChatInfoUrl><MsgType>text</MsgType><Text><Content><![CDATA[@slabot\u2005" +
         content + "]]></Content></Text></xml>";
}

testing::HttpResult post_signed(const PlatformBot& bot, const std::string& message,
                                const std::string& with_token = token) {
  const std::string timestamp = std::to_string(kNow);
  const std::string encrypted = seal(message);
  const std::string body = "<xml><ToUserName><![CDATA[ww-e2e]]></ToUserName><Encrypt><![CDATA[" + encrypted +
                           "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
  return bot.post(
      {{"Content-Type", "text/xml"}}, body,
      "?msg_signature=" + sign(timestamp, encrypted, with_token) + "&timestamp=" + timestamp + "&nonce=" + nonce);
}

}  // namespace

TEST_CASE("e2e wecom: /open opens a ticket and the answer reaches the robot's webhook", "[e2e][wecom]") {
  PlatformBot bot(wecom());
  bot.peer.on("/cgi-bin/webhook/send", {200, {{"Content-Type", "application/json"}}, R"({"errcode":0,"errmsg":"ok"})"});
  bot.start_outbox();

  // The URL check when the callback URL is saved: a signed GET, answered with the plain echostr.
  const std::string timestamp = std::to_string(kNow);
  const std::string echostr = seal("echo-e2e-4711");
  const auto check = bot.post({}, "",
                              "?msg_signature=" + sign(timestamp, echostr) + "&timestamp=" + timestamp +
                                  "&nonce=" + nonce + "&echostr=" + percent_encode(echostr),
                              "GET");
  REQUIRE(check.status == 200);
  CHECK(check.body == "echo-e2e-4711");

  // The WebhookUrl is not on WeCom's host, so it is not used: the connection's webhook is.
  const auto open_message =
      robot_text("CAIQe2e1", "pat", "Pat", "/open 1 DB down", bot.peer.url("/cgi-bin/webhook/send?key=forged"));
  const auto opened = post_signed(bot, open_message);
  REQUIRE(opened.status == 200);
  CHECK(opened.body.empty());  // "no passive reply"
  const auto ticket = bot.store.find_ticket(1, "acme");
  REQUIRE(ticket);
  CHECK(ticket->title == "DB down");
  CHECK(ticket->opened_by_id == "wecom:pat");

  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(sent.method == "POST");
  CHECK(sent.target == webhook_path);
  CHECK(sent.header("content-type") == "application/json");
  CHECK(json::parse(sent.body) ==
        json{{"msgtype", "text"},
             {"text", {{"content", "#1 opened: Critical \"DB down\"; response due 2026-11-22 07:00 UTC (in 15m)"}}}});
  CHECK(bot.outbox_pending() == 0);

  const auto acked = post_signed(
      bot, robot_text("CAIQe2e2", "erin", "Erin", "/ack 1", bot.peer.url("/cgi-bin/webhook/send?key=forged")));
  REQUIRE(acked.status == 200);
  REQUIRE(bot.wait_for_platform(2));
  CHECK(json::parse(bot.peer.requests().at(1).body).at("text").at("content") ==
        "#1 acknowledged by Erin after 0s (within the 15m SLA)");
  CHECK(bot.store.find_ticket(1, "acme")->state == TicketState::acknowledged);
  for (const auto& request : bot.peer.requests()) CHECK(request.target == webhook_path);

  // WeCom retrying the first callback (same MsgId): acknowledged, nothing new.
  REQUIRE(post_signed(bot, open_message).status == 200);
  CHECK(bot.store.count_tickets({}) == 1);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 2);
}

TEST_CASE("e2e wecom: a callback signed with another token gets 401 and opens nothing", "[e2e][wecom]") {
  PlatformBot bot(wecom());
  const auto refused = post_signed(bot, robot_text("CAIQe2e1", "pat", "Pat", "/open 1 DB down", ""), "otherToken");
  CHECK(refused.status == 401);
  CHECK(bot.store.count_tickets({}) == 0);
  CHECK(bot.store.count_outbox(OutboxQuery::all) == 0);
}

TEST_CASE("e2e wecom: the answer goes to the callback's WebhookUrl, over https on WeCom's host", "[e2e][wecom]") {
  auto setup = wecom();
  setup.platform_hosts = {"qyapi.weixin.qq.com"};
  PlatformBot bot(setup);
  bot.peer.on("/cgi-bin/webhook/send", {200, {{"Content-Type", "application/json"}}, R"({"errcode":0,"errmsg":"ok"})"});
  bot.start_outbox();

  // The vendor's samples give the robot's webhook on in.qyapi.weixin.qq.com over plain http.
  const auto opened =
      post_signed(bot, robot_text("CAIQe2e1", "pat", "Pat", "/open 2 API errors",
                                  "http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=group-key-42"));
  REQUIRE(opened.status == 200);
  REQUIRE(bot.store.find_ticket(1, "acme"));

  REQUIRE(bot.wait_for_platform(1));
  const auto sent = bot.peer.requests().at(0);
  CHECK(bot.proxy->connect_targets() == std::vector<std::string>{"qyapi.weixin.qq.com:443"});
  CHECK(sent.header("host") == "qyapi.weixin.qq.com");
  CHECK(sent.target == "/cgi-bin/webhook/send?key=group-key-42");
  CHECK(json::parse(sent.body).at("text").at("content") ==
        "#1 opened: Urgent \"API errors\"; response due 2026-11-22 07:25 UTC (in 40m)");
  CHECK(bot.outbox_pending() == 0);
}
