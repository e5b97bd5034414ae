#include "adapters/wecom/wecom_adapter.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/adapter_outcomes.hpp"
#include "tests/support/adapter_requests.hpp"

using namespace slabot;

namespace {

// ---- The vendor's published example (WXBizMsgCrypt samples, every language) ----------------
// token QDG6eK, EncodingAESKey jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C, CorpID
// wx5823bf96d3bd56c7. Checked with the openssl CLI:
//   KEYHEX=$(printf '%s=' jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C | base64 -d | xxd -p -c 64)
//   printf '%s' "$ECHOSTR" | base64 -d | openssl enc -d -aes-256-cbc -K $KEYHEX -iv ${KEYHEX:0:32} -nopad | xxd
//     -> 16 random bytes, 00000013, "1616140317555161061", "wx5823bf96d3bd56c7", 7 x 07
//   printf '%s\n' QDG6eK 1409659589 263014780 "$ECHOSTR" | LC_ALL=C sort | tr -d '\n' | openssl dgst -sha1
//     -> 5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3
//   (the POST sample likewise: 0000011c, the XML below, the corp id, 30 x 1e; signature
//    477715d11cdb4164915debcba66cb864d751f3e6)
const std::string vendor_echostr_url_encoded =
    "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
const std::string vendor_post_body =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></"
    "ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/"
    "0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+"
    "LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+"
    "BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/"
    "uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></"
    "Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";

Connection vendor_connection(bool with_corp_id = true) {
  Connection c;
  c.name = "wecom-app";
  c.adapter = "wecom";
  c.secrets["token"] = "QDG6eK";
  c.secrets["encoding_aes_key"] = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  if (with_corp_id) c.secrets["corp_id"] = "wx5823bf96d3bd56c7";
  return c;
}

// ---- Our own group robot vectors: tests/adapters/wecom/make_vectors.sh -----------------------
// token slabotToken42, EncodingAESKey abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG, receive id ""
// (a group robot), timestamp 1700000000, nonce 1372623149, random bytes "0123456789abcdef".
// Each: { printf '%s' 0123456789abcdef; printf '\x..\x..\x..\x..' (be32 length); printf '%s' "$MSG";
//         printf '\xPP' x PP (PKCS#7 to 32); } |
//       openssl enc -aes-256-cbc -K $KEYHEX -iv ${KEYHEX:0:32} -nopad | base64 -w0
// and   printf '%s\n' slabotToken42 1700000000 1372623149 "$ENC" | LC_ALL=C sort | tr -d '\n' | openssl dgst -sha1
const std::string token = "slabotToken42";
const std::string timestamp = "1700000000";
const std::string nonce = "1372623149";
const Timestamp signed_at = from_unix_ms(1700000000LL * 1000);

// MSG = "echo-8675309" (20 + 12 bytes: a whole block of padding, 32 x 0x20)
const std::string echo_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDFxzhJYOozMvjfhaPfYEyYaT4yGsRilBM9R4MqcHN6znTRdmZwh4xN6NyH/R0SsEMg==";
const std::string echo_signature = "061db18b97f9cff447334213c60d6e92ca7ee4e6";

// MSG = the vendor's group robot text sample, ChatType group, Content "@RobotA\u2005/ticket ack 12"
const std::string& robot_text_encrypted = testing::wecom_robot_text_encrypted;  // tests/support/adapter_requests
const std::string& robot_text_signature = testing::wecom_robot_text_signature;

// MSG = the vendor's event sample (add_to_chat)
const std::string robot_event_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDOU1/"
    "nSBwhG+X7wZnmuWd1X6zzlZKrExURkfIf+"
    "lbOSahgHQxrAhQ9fJiBpgtdzB8UeVLmb6p4mipXRC5piOJ2pTGxsrIEaePkNCP0Eqe8ZVfPx5EJsuXbb8yMl1OKbasR9du7QFqUvMQp/WccPRVdks/"
    "S7ezaBdXMgt4tuw7cvGLzlhoBWjo0GmT7raaRLtWEZvmgsYqddUNI0JOEAEr9zGxxI96jSDHnZSn7fMEQMtg9Kg3fgytT+vYxdPGHhckq8E9PR/"
    "2lmroJyG0yfaqpaY/CeN7/EevFtaIFWuqU0LPJsh97SHTPBKdSJljZFedTbDuWetiXsaBlvM2ETXkN+DDLKAVvP/GmobfzvLvRu/"
    "aN7EwRfFOgyVHabXI2WpsjHEZVT9s6dv9a3jco4siedn6gfXaBFee5p6fht2RiZwg/"
    "bTtGYzKbaJnyuNYBrxJJ2YnAfjq2OAaXW5xqE0AYMtb5veFqFGFIRmmhw/y0h5DbbqCFPS4HCbLN13CglU6S11rQeIUH4ipLb7R83ocDQIN/"
    "aPHuFjp99YkwOpELGr2IOkAi2TcOzOxlkIEezYUQ==";
const std::string robot_event_signature = "97a199692988c250020a8a281d22da828efd9b88";

// MSG = the vendor's mixed sample, text "@机器人 /ticket open P2 数据库 &amp; 缓存 down" and an image
const std::string robot_mixed_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDCh8cv2Y2rCdQdc5K0a3gwrEqgVgxjvtdC/"
    "eMkdWrNfmYUo77HKy38DGQBJ3l4h8nqtxPxOO+RLyt+0a5wg4W6b6NZGl200w32GYsPzf7yymEfDSyaBvvevtoK88dnVt+"
    "HWUgY7LvkdG7qNXKwzC3tngrxcHYd4MgZC0r8+CfWWkUC4vznx7uO1BkdV19J/2dzKm/r9RnlW/T2LmzlUPY0YC+PokCa/Xa+yLIy49b/"
    "resGwYZMH5X8Fl0FIewkhXua0t7mhcxngNZ0WH9DjuJdzpDUjM2irGpq5lZUCCP0c8NbiIdz9ZLfVy+bzicyWVn7Aw+"
    "OVVTDgY7jOhO96mX23LzkX92rsV9TOrNYy6RWO2HOxOEvhwHlO+KFnnVfjWIiIhRG+"
    "eBwiMLT9IaKdimxtWQYcRci3x2n8SiaK9E04BoxOwTDdmatkE0Zt30BJ9on/LRmjFDvOGXzWvZ82uZEJXrZJuu9YVMy9FUWGGT/"
    "blsGmuh97c7ne03lPEbBLZMlUkI/qwNRqWItnf/NtdnmwLbgq3381NJbRp+g5aTTlxqm/hpvfDLmXd4T/h6+bCGqOkxq+1DA3tBQua+zGs/"
    "0z4BYFFwGnIJZ/luuDiqT2rLmrHhJ46SA85ttSs1yaNnmflG9c34AwUPT8aWmlUZuHXicZTMgrA1+ytunSO5TPoKu/"
    "FiMBjdgsGE8nsJ90sJpfQRqz2lIctIhilyBXzQPRr4MB7M1/2jULiaX01aZvQ3yuI6Pc07vCVZg4UnyjVm9VDbO7PDTLClbGfAry/"
    "ZH9fhVAlboyR1RLVnxD6+Atly/"
    "y2agL2gCEitDGnBVkuVZLwM6XLfpHsxT0TcHcBm62c4NuRtj9onHPoMipKTXzQkpt15NYwdvJdgHIKbLnvqvnh8dxBXedR3QIrMYWTb6qhgtY0lUSS"
    "7Q9rEy5mFp5zm321ZwbdhFtCiIfYZTJOjEvLfDCKFv+mVFnu6FCDjd46Y/"
    "1m2TWHOKE4VqKoTYIbg+QL3rXFlUKdgsip8ZxeTHyqY0IBWmxLOICyzLoi/"
    "J80q92t4OqpzV8+0lqLTJDKuPVITpQeiHVNXDX7r14C3mwhhlBbMs9pcpDRprky8ThZF6JooDiVblw+gzrXE6lR";
const std::string robot_mixed_signature = "7df48dc411dc19d9b600b806929075190940a3b1";

// A robot text message sealed for receive id "wxOTHERCORP"
const std::string other_receiver_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDP4IKIsZNa5Sx/gGwWc2Fv958R8sR0kxNpd1+okH6PgVeq1TA/"
    "WGwHELvr6XcgpZq0M8+rIJoN3p0eh95lQP9ZuTlUZALknsYH85QIfeYQceGHHKqu4d+"
    "g3xtjyUqt1f388tQYdjgwCBDNig8eXNn1csXJFzrapiKEA8IInMopta0cdiuwUr1m+KSO1OrpH5XjmoLNvb+/jlPys2Ewr/"
    "a0d0Fs4LXAfX16KdKGbV1Gdi";
const std::string other_receiver_signature = "5d19042aec3b43e2a46946ec622a14c89fa7bd54";

// MSG = '<!DOCTYPE xml [<!ENTITY boom "boom">]><xml>... <Content>&boom;</Content> ...</xml>'
const std::string doctype_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDKu/OMtXf7VnRcfCa040GG51Z6uaFvbqkqCCq2XlP/"
    "tRV7k8iWl6skHacdn2Ey6JoCkbzEgHIPnl1TirGc2meMVbee5uJmsOKSyUUhE9jf4UvJ+"
    "edpm4h3qkdFs04PaFtJ4vsTWwCeqvHMEj7so6gswMWcnOHHVjz4pOYmlp9Da19b2E0RYy4MFRNEu0cxOFu3rMUpSYG6t9/"
    "+zPh9xZxY7TcrhHOatBi+371vZ2p4GYLV4UqmgjNk42z+YbETf/vCaiX7ytJb3a3NKSs7w96nM=";
const std::string doctype_signature = "419a0b8b8119a15ce08d316909501ed3912a3efd";

// Length field 0x00001000 followed by only "<xml/>"
const std::string long_length_encrypted = "Q3stYC6hdFzMh9T8HCvyDCQrIgYcuBf5ujMzKuVcAQc=";
const std::string long_length_signature = "ff878a63e319902df3c30b0659733871e4ecca8c";

// "0123456789abcdef" then 16 zero bytes, no padding: the last byte, 0, is not PKCS#7
const std::string zero_pad_encrypted = "Q3stYC6hdFzMh9T8HCvyDKGgaz4G/XcqxbqIZ0FnX5M=";
const std::string zero_pad_signature = "4fe989d55c9695752dc749f9a1c05be5a456d6b8";

// A complete robot text message, padded 27 x 1b then 1c: the count is right, the bytes disagree
const std::string uneven_pad_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDP4IKIsZNa5Sx/gGwWc2Fv958R8sR0kxNpd1+okH6PgVeq1TA/"
    "WGwHELvr6XcgpZq0M8+rIJoN3p0eh95lQP9ZuTlUZALknsYH85QIfeYQceGHHKqu4d+"
    "g3xtjyUqt1f388tQYdjgwCBDNig8eXNn1csXJFzrapiKEA8IInMoptabhMxTInBSqTKiGDQ2K852AgonErT2vZdqut94U31Dl9XPYnONBMopUwbVxV"
    "kT9yq";
const std::string uneven_pad_signature = "deae922556400fc31391e41794cb560bb08b2478";

const std::string webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

Connection robot_connection() {
  Connection c;
  c.name = "wecom";
  c.adapter = "wecom";
  c.secrets["token"] = token;
  c.secrets["encoding_aes_key"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  c.outbound_url = webhook;
  return c;
}

std::string post_body(const std::string& encrypted) {
  return "<xml><ToUserName><![CDATA[ww0123]]></ToUserName><Encrypt><![CDATA[" + encrypted +
         "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
}

HttpRequest callback(std::string method, std::string query, std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = "/hooks/wecom?" + query;
  request.body = std::move(body);
  return request;
}

HttpRequest robot_post(const std::string& encrypted, const std::string& signature, const std::string& ts = timestamp) {
  return callback("POST", "msg_signature=" + signature + "&timestamp=" + ts + "&nonce=" + nonce, post_body(encrypted));
}

HttpRequest robot_url_check() {
  // echostr arrives URL-encoded ('+', '/' and '=' of base64 as %2B, %2F, %3D).
  std::string encoded;
  for (char c : echo_encrypted) {
    if (c == '+')
      encoded += "%2B";
    else if (c == '/')
      encoded += "%2F";
    else if (c == '=')
      encoded += "%3D";
    else
      encoded += c;
  }
  return callback(
      "GET", "msg_signature=" + echo_signature + "&timestamp=" + timestamp + "&nonce=" + nonce + "&echostr=" + encoded);
}

using testing::rejected_status;

// By value: callers pass a temporary outcome.
using testing::only_message;

}  // namespace

TEST_CASE("wecom: the vendor's URL check vector verifies and answers the plain echostr", "[wecom]") {
  const WeComAdapter adapter(vendor_connection());
  const HttpRequest request = callback(
      "GET", "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=" +
                 vendor_echostr_url_encoded);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, from_unix_ms(1409659589LL * 1000))));
  const auto outcome = adapter.parse(request);
  const auto* answer = std::get_if<HttpAnswer>(&outcome);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->content_type == "text/plain");
  CHECK(answer->body == "1616140317555161061");
}

TEST_CASE("wecom: the vendor's application message vector verifies and parses", "[wecom]") {
  const WeComAdapter adapter(vendor_connection());
  const HttpRequest request =
      callback("POST", "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149",
               vendor_post_body);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, from_unix_ms(1409659813LL * 1000))));
  const InboundMessage message = only_message(adapter.parse(request));
  CHECK(message.platform == "wecom");
  CHECK(message.event_id == "4561255354251345929");
  CHECK(message.user_id == "mycreate");
  CHECK(message.user_name == "mycreate");
  CHECK(message.chat_id == "mycreate");
  CHECK(message.text == "hello");
  CHECK(message.reply_url.empty());
}

TEST_CASE("wecom: an envelope sealed for another receive id is refused with 401", "[wecom]") {
  // The vendor's application message carries CorpID wx5823bf96d3bd56c7: a robot connection
  // (empty receive id) and a connection for another corp must both refuse it.
  const HttpRequest request =
      callback("POST", "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149",
               vendor_post_body);
  CHECK(rejected_status(WeComAdapter(vendor_connection(false)).parse(request)) == 401);
  Connection other = vendor_connection();
  other.secrets["corp_id"] = "wx0000000000000000";
  CHECK(rejected_status(WeComAdapter(other).parse(request)) == 401);
  // And a robot connection refuses a robot-shaped message sealed for a corp.
  CHECK(rejected_status(
            WeComAdapter(robot_connection()).parse(robot_post(other_receiver_encrypted, other_receiver_signature))) ==
        401);
}

TEST_CASE("wecom: a group robot's URL check is answered with the decrypted echostr", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const HttpRequest request = robot_url_check();
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, signed_at)));
  const auto outcome = adapter.parse(request);
  const auto* answer = std::get_if<HttpAnswer>(&outcome);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->content_type == "text/plain");
  CHECK(answer->body == "echo-8675309");
}

TEST_CASE("wecom: a group robot text message parses, without the bot's mention", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const HttpRequest request = robot_post(robot_text_encrypted, robot_text_signature);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, signed_at)));
  const InboundMessage message = only_message(adapter.parse(request));
  CHECK(message.event_id == "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
  CHECK(message.chat_id == "wrkSFfCgAALFgnrSsWU38puiv4yvExuw");
  CHECK(message.user_id == "zhangsan");
  CHECK(message.user_name == "张三");
  // "@RobotA" and the U+2005 after it are gone.
  CHECK(message.text == "/ticket ack 12");
  // The sample's http://in.qyapi... webhook, on the public host over https.
  CHECK(message.reply_url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WEBHOOK");
}

TEST_CASE("wecom: a configured bot_name strips only that mention", "[wecom]") {
  Connection c = robot_connection();
  c.secrets["bot_name"] = "RobotB";
  const InboundMessage message =
      only_message(WeComAdapter(c).parse(robot_post(robot_text_encrypted, robot_text_signature)));
  CHECK(message.text == "@RobotA\u2005/ticket ack 12");
}

TEST_CASE("wecom: a mixed message yields its text; events are acknowledged with an empty 200", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const InboundMessage message = only_message(adapter.parse(robot_post(robot_mixed_encrypted, robot_mixed_signature)));
  CHECK(message.event_id == "CAEQi5HR8wUY/NGagIOAgAMgXQ==");
  CHECK(message.chat_id == "CHATID");
  CHECK(message.user_id == "T434200000");
  // Inside CDATA "&amp;" is literal text, not a reference.
  CHECK(message.text == "/ticket open P2 数据库 &amp; 缓存 down");

  const HttpRequest event = robot_post(robot_event_encrypted, robot_event_signature);
  CHECK(std::holds_alternative<Verified>(adapter.verify(event, signed_at)));
  const auto outcome = adapter.parse(event);
  const auto* answer = std::get_if<HttpAnswer>(&outcome);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body.empty());
}

TEST_CASE("wecom: tampering, a wrong token or a bad msg_signature is refused with 401", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  std::string tampered = robot_text_encrypted;
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  CHECK(rejected_status(adapter.verify(robot_post(tampered, robot_text_signature), signed_at)) == 401);
  // Same encrypted text, another timestamp or nonce: both are signed.
  CHECK(rejected_status(
            adapter.verify(robot_post(robot_text_encrypted, robot_text_signature, "1700000001"), signed_at)) == 401);
  CHECK(rejected_status(adapter.verify(
            callback("POST", "msg_signature=" + robot_text_signature + "&timestamp=" + timestamp + "&nonce=1",
                     post_body(robot_text_encrypted)),
            signed_at)) == 401);

  Connection wrong = robot_connection();
  wrong.secrets["token"] = "slabotToken43";
  CHECK(rejected_status(
            WeComAdapter(wrong).verify(robot_post(robot_text_encrypted, robot_text_signature), signed_at)) == 401);

  for (const std::string& signature : {std::string("zz") + robot_text_signature.substr(2),
                                       robot_text_signature.substr(2), robot_text_signature + "00", std::string("")}) {
    CAPTURE(signature);
    CHECK(rejected_status(adapter.verify(robot_post(robot_text_encrypted, signature), signed_at)) == 401);
  }
  // Hex case does not matter.
  std::string upper = robot_text_signature;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(std::holds_alternative<Verified>(adapter.verify(robot_post(robot_text_encrypted, upper), signed_at)));
}

TEST_CASE("wecom: timestamps more than five minutes off either way are refused", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  using std::chrono::minutes;
  using std::chrono::seconds;
  const HttpRequest request = robot_post(robot_text_encrypted, robot_text_signature);
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, signed_at + minutes(5))));
  CHECK(std::holds_alternative<Verified>(adapter.verify(request, signed_at - minutes(5))));
  CHECK(rejected_status(adapter.verify(request, signed_at + minutes(5) + seconds(1))) == 401);
  CHECK(rejected_status(adapter.verify(request, signed_at - minutes(5) - seconds(1))) == 401);
  CHECK(rejected_status(adapter.verify(robot_url_check(), signed_at + std::chrono::hours(3))) == 401);
}

TEST_CASE("wecom: a malformed query is refused with 401, a malformed body with 400", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const std::string body = post_body(robot_text_encrypted);
  const std::string sig = "msg_signature=" + robot_text_signature;
  for (const std::string& query : {
           "timestamp=" + timestamp + "&nonce=" + nonce,  // no signature
           sig + "&nonce=" + nonce,                       // no timestamp
           sig + "&timestamp=" + timestamp,               // no nonce
           sig + "&timestamp=abc&nonce=" + nonce,         // not a number
           sig + "&timestamp=-1700000000&nonce=" + nonce,
           sig + "&timestamp=" + timestamp + "&nonce=" + nonce + "&nonce=1",  // repeated
           sig + "&timestamp=" + timestamp + "&nonce=%zz",                    // bad escape
           sig + "&timestamp=" + timestamp + "&nonce=" + nonce + "%2",
       }) {
    CAPTURE(query);
    CHECK(rejected_status(adapter.verify(callback("POST", query, body), signed_at)) == 401);
  }
  CHECK(rejected_status(adapter.verify(
            callback("GET", "msg_signature=" + echo_signature + "&timestamp=" + timestamp + "&nonce=" + nonce),
            signed_at)) == 401);  // URL check without echostr

  const std::string query = sig + "&timestamp=" + timestamp + "&nonce=" + nonce;
  for (const std::string& bad : {
           std::string(""),
           std::string("not xml"),
           std::string("{\"encrypt\":\"x\"}"),
           std::string("<xml><ToUserName>a</ToUserName></xml>"),       // no Encrypt
           std::string("<xml><Encrypt><![CDATA[]]></Encrypt></xml>"),  // empty
           std::string("<xml><Encrypt>abc</Encrypt>"),                 // unclosed
           "<!DOCTYPE xml [<!ENTITY e \"" + robot_text_encrypted + "\">]><xml><Encrypt>&e;</Encrypt></xml>",
       }) {
    CAPTURE(bad);
    CHECK(rejected_status(adapter.verify(callback("POST", query, bad), signed_at)) == 400);
    CHECK(rejected_status(adapter.parse(callback("POST", query, bad))) == 400);
  }
  CHECK(rejected_status(adapter.verify(callback("PUT", query, body), signed_at)) == 405);
}

TEST_CASE("wecom: the URL check's msg_signature is read in either case; any other shape is 401", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const auto url_check_signed = [&](const std::string& signature) {
    HttpRequest request = robot_url_check();
    request.target.replace(request.target.find(echo_signature), echo_signature.size(), signature);
    return adapter.verify(request, signed_at);
  };
  std::string upper = echo_signature;
  for (char& c : upper) c = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
  CHECK(std::holds_alternative<Verified>(url_check_signed(echo_signature)));
  CHECK(std::holds_alternative<Verified>(url_check_signed(upper)));
  for (const std::string& bad : {echo_signature.substr(1), echo_signature + "0", echo_signature.substr(2),
                                 "zz" + echo_signature.substr(2), std::string(40, '0')}) {
    CAPTURE(bad);
    CHECK(rejected_status(url_check_signed(bad)) == 401);
  }
}

TEST_CASE("wecom: envelopes that do not open are refused with 400", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  for (const auto& [encrypted, signature] :
       {std::pair{doctype_encrypted, doctype_signature}, std::pair{long_length_encrypted, long_length_signature},
        std::pair{zero_pad_encrypted, zero_pad_signature}, std::pair{uneven_pad_encrypted, uneven_pad_signature}}) {
    CAPTURE(encrypted);
    const HttpRequest request = robot_post(encrypted, signature);
    CHECK(std::holds_alternative<Verified>(adapter.verify(request, signed_at)));  // signed fine
    CHECK(rejected_status(adapter.parse(request)) == 400);
  }
  // Signed with our token but sealed with another key: the padding does not check out.
  Connection other_key = robot_connection();
  other_key.secrets["encoding_aes_key"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg";
  const HttpRequest request = robot_post(robot_text_encrypted, robot_text_signature);
  CHECK(std::holds_alternative<Verified>(WeComAdapter(other_key).verify(request, signed_at)));
  CHECK(rejected_status(WeComAdapter(other_key).parse(request)) == 400);
  // Not base64, or not whole blocks.
  CHECK(rejected_status(adapter.parse(robot_post("!!!!", robot_text_signature))) == 400);
  CHECK(rejected_status(adapter.parse(robot_post(robot_text_encrypted.substr(0, 44), robot_text_signature))) == 400);
}

TEST_CASE("wecom: the callback is acknowledged empty and the answer goes via the outbox", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const HttpAnswer answer = adapter.sync_reply(InboundMessage{}, "Ticket #12 acknowledged");
  CHECK(answer.status == 200);
  CHECK(answer.content_type == "text/plain");
  CHECK(answer.body.empty());
  CHECK(adapter.reply_route(InboundMessage{}) == ReplyRoute::via_outbox);
}

TEST_CASE("wecom: render posts a text message with mentioned_list to the robot webhook", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  OutboundMessage message;
  message.chat_id = "wrkSFfCgAALFgnrSsWU38puiv4yvExuw";
  message.text = "#12 breached its response SLA";
  message.mentions = {{"zhangsan", "张三"}, {"lisi", "李四"}};
  const OutboundRequest request = adapter.render(message, signed_at);
  CHECK(request.method == "POST");
  CHECK(request.url == webhook);
  CHECK(request.headers.at("Content-Type") == "application/json");
  CHECK(
      request.body ==
      R"({"msgtype":"text","text":{"content":"#12 breached its response SLA","mentioned_list":["zhangsan","lisi"]}})");

  message.mentions.clear();
  message.url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other";
  const OutboundRequest plain = adapter.render(message, signed_at);
  CHECK(plain.url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other");
  CHECK(plain.body == R"({"msgtype":"text","text":{"content":"#12 breached its response SLA"}})");
}

TEST_CASE("wecom: render cuts content to 2048 bytes on a character boundary", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  OutboundMessage message;
  message.text = "a";
  for (int i = 0; i < 1000; ++i) message.text += "数据";  // 1 + 6000 bytes
  const auto body = nlohmann::json::parse(adapter.render(message, signed_at).body);
  const std::string content = body["text"]["content"];
  CHECK(content.size() <= WeComAdapter::max_text_bytes);
  CHECK(content.size() >= WeComAdapter::max_text_bytes - 3);
  CHECK(content.ends_with("\u2026"));
  CHECK(content.starts_with("a数据"));
  // Every character whole: 1 + 3k bytes of text plus the 3-byte ellipsis.
  CHECK((content.size() - 1 - 3) % 3 == 0);
}

TEST_CASE("wecom: interpret reads errcode from HTTP 200 answers", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  const auto interpret = [&](int status, std::string body) {
    return adapter.interpret(HttpResponse{status, {}, std::move(body)});
  };
  CHECK(std::holds_alternative<Delivered>(interpret(200, R"({"errcode":0,"errmsg":"ok"})")));

  const auto limited = interpret(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})");
  const auto* retry = std::get_if<Throttled>(&limited);
  REQUIRE(retry);
  CHECK(retry->after == WeComAdapter::rate_limited_wait);
  CHECK(retry->error.find("45009") != std::string::npos);

  const auto busy = interpret(200, R"({"errcode":-1,"errmsg":"system busy"})");
  REQUIRE(std::holds_alternative<Throttled>(busy));
  CHECK_FALSE(std::get<Throttled>(busy).after.has_value());

  const auto invalid = interpret(
      200,
      R"({"errcode":93000,"errmsg":"invalid webhook url, hint: [1700000000_1], url: send?key=693a91f6-7xxx-4bc4, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"})");
  const auto* gave_up = std::get_if<GiveUp>(&invalid);
  REQUIRE(gave_up);
  CHECK(gave_up->error.find("93000") != std::string::npos);
  CHECK(gave_up->error.find("693a91f6") == std::string::npos);  // the key never reaches a log
  CHECK(std::holds_alternative<Refused>(interpret(200, R"({"errcode":40008,"errmsg":"invalid message type"})")));
}

TEST_CASE("wecom: interpret falls back to the HTTP status, and an unreadable 200 is retried", "[wecom]") {
  const WeComAdapter adapter(robot_connection());
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(HttpResponse{502, {}, "<html>bad gateway</html>"})));
  CHECK(std::holds_alternative<GiveUp>(adapter.interpret(HttpResponse{404, {}, ""})));
  const auto throttled = adapter.interpret(HttpResponse{429, {{"retry-after", "7"}}, ""});
  REQUIRE(std::holds_alternative<Throttled>(throttled));
  CHECK(std::get<Throttled>(throttled).after == std::chrono::seconds(7));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(HttpResponse{200, {}, "<html>captive portal</html>"})));
  CHECK(std::holds_alternative<RetryLater>(adapter.interpret(HttpResponse{200, {}, R"({"errmsg":"ok"})"})));
}

TEST_CASE("wecom: 20 messages a minute per robot", "[wecom]") {
  const RateLimit limit = WeComAdapter(robot_connection()).rate_limit();
  CHECK(limit.messages == 20);
  CHECK(limit.per == std::chrono::minutes(1));
}

TEST_CASE("wecom: missing or malformed secrets are named, never echoed", "[wecom]") {
  const auto error_for = [](const Connection& c) -> std::string {
    try {
      WeComAdapter adapter(c);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_for(robot_connection()).empty());
  CHECK(error_for(vendor_connection()).empty());

  Connection c = robot_connection();
  c.secrets.erase("token");
  CHECK(error_for(c).find("\"token\"") != std::string::npos);
  c = robot_connection();
  c.secrets["token"] = "a-b";  // not letters and digits
  CHECK(error_for(c).find("\"token\"") != std::string::npos);

  for (const std::string& key : {std::string(""), std::string("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"),
                                 std::string("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+"),
                                 std::string("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH")}) {
    c = robot_connection();
    c.secrets["encoding_aes_key"] = key;
    const std::string error = error_for(c);
    CAPTURE(key);
    CHECK(error.find("\"encoding_aes_key\"") != std::string::npos);
    if (!key.empty()) CHECK(error.find(key) == std::string::npos);
  }
  c = robot_connection();
  c.secrets["corp_id"] = "";
  CHECK(error_for(c).find("\"corp_id\"") != std::string::npos);
}
