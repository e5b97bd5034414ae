#include "tests/support/adapter_requests.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"

namespace slabot::testing {
namespace {

std::string unix_seconds(Timestamp at) { return std::to_string(to_unix_ms(at) / 1000); }

}  // namespace

// The group-robot text sample: MSG = the vendor's group robot text sample, ChatType group, Content
// "@RobotA\u2005/ticket ack 12", encrypted and signed as tests/adapters/wecom/wecom_adapter_test.cpp
// shows with the openssl CLI (token slabotToken42, nonce 1372623149, timestamp 1700000000).
const std::string wecom_robot_text_encrypted =
    "Q3stYC6hdFzMh9T8HCvyDN8A/io0MqVNEGFQfKKcPK1FGsY/"
    "dahvFWhkUN3kV3TujVwPi0G54lQnoKRxulM+msx0LzCs+jwnRJKKzNJfN0J7eKnDTgf07qvGpftHFQWZpe0dBC0Ll/"
    "em61yiwOxT5RiwCT2fI1jCOKVc7CNNHrS9s1BhlttRaLFXrBoQpbyORVPRKU8BgTK7EnluKUnkRXyEP0x9G5PgHxS5+eJTnHW4q28pDzp/"
    "Qu6GfvFkDL0c59E9uy7I62tBfVM1h2/63u/"
    "gPeeZaa9vIyXL+6c8qPcQbTGOCNp7e5iixuBK7KNZCM+icJESvINkUQBaIcTOjJPKC6Tgzz1iCYhGKOKgOE5/"
    "7DmNmg+J9oVn5L0Av+kwHo9x9nPg3JNNP01P4PZbxDIw3Nz2HxoMTIh/"
    "hQNW5Ct9igQTi0BWpsgxJuoHCWwE4U985nhLhY1B4UXeAdTL9r2C6iULIuowRngK/"
    "Sa0Pq5xdPGz5yaT1VwKk3gKfIV1siZh21l6Ve3tm9f4ngHufgL0en42GfXuDLpc0mZrJPfZCCwj1f5zgwmDv2BCX//"
    "KGgMkpqieGAiL5UuQjW5FPr716/f11iuSrUIJKmhq1md+DjfbI0qnvRW/ifqqCNCVd5n6+jGLAdSZjQuyy03H6gm1DYqKBRWeI4BHRBxE9Xp6/"
    "R402PePDXNCor9oakYfHdvSjY8dY7v+V/r3APXBa0zeRLmptgIq/Th66dll1FkkFC2rEVdtbeV0O1oKn9dNZnx81H8J0fCpMq3ADx/"
    "iHN9jYkMKZI3Ce/OonIVoMM0=";
const std::string wecom_robot_text_signature = "bc78c6f92ccb03ee4c156a4df19d31afd69abc63";

Connection adapter_connection(const std::string& adapter, std::map<std::string, std::string> secrets,
                              const std::string& outbound_url) {
  Connection c;
  c.name = adapter + "-conn";
  c.adapter = adapter;
  c.secrets = std::move(secrets);
  c.outbound_url = outbound_url;
  return c;
}

HttpRequest webhook_post(const std::string& connection, const std::string& content_type, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/hooks/" + connection;
  request.headers["content-type"] = content_type;
  request.body = std::move(body);
  return request;
}

HttpRequest generic_signed(HttpRequest request, const std::string& secret, Timestamp at) {
  const std::string timestamp = unix_seconds(at);
  request.headers["x-slabot-timestamp"] = timestamp;
  request.headers["x-slabot-signature"] = "sha256=" + hex_encode(hmac_sha256(secret, timestamp + "." + request.body));
  return request;
}

HttpRequest slack_signed(HttpRequest request, const std::string& signing_secret, Timestamp at) {
  const std::string timestamp = unix_seconds(at);
  request.headers["x-slack-request-timestamp"] = timestamp;
  request.headers["x-slack-signature"] =
      "v0=" + hex_encode(hmac_sha256(signing_secret, "v0:" + timestamp + ":" + request.body));
  return request;
}

HttpRequest mattermost_signed(HttpRequest request, const std::string& token) {
  request.headers["authorization"] = "Token " + token;
  return request;
}

HttpRequest teams_signed(HttpRequest request, const std::string& security_token_base64) {
  const std::string key = base64_decode(security_token_base64).value_or("");
  request.headers["authorization"] = "HMAC " + base64_encode(hmac_sha256(key, request.body));
  return request;
}

HttpRequest lark_signed(HttpRequest request, const std::string& encrypt_key, Timestamp at) {
  const std::string timestamp = unix_seconds(at);
  const std::string nonce = "n0nce-conformance";
  request.headers["x-lark-request-timestamp"] = timestamp;
  request.headers["x-lark-request-nonce"] = nonce;
  request.headers["x-lark-signature"] = hex_encode(sha256(timestamp + nonce + encrypt_key + request.body));
  return request;
}

HttpRequest dingtalk_signed(HttpRequest request, const std::string& app_secret, Timestamp at) {
  const std::string ms = std::to_string(to_unix_ms(at));
  request.headers["timestamp"] = ms;
  request.headers["sign"] = base64_encode(hmac_sha256(app_secret, ms + "\n" + app_secret));
  return request;
}

HttpRequest telegram_signed(HttpRequest request, const std::string& webhook_secret) {
  request.headers["x-telegram-bot-api-secret-token"] = webhook_secret;
  return request;
}

std::string lark_encrypt(const std::string& encrypt_key, const std::string& plain) {
  const std::string key = sha256(encrypt_key);
  const std::string iv(16, '\x07');
  std::string out(plain.size() + 16, '\0');
  int written = 0;
  int last = 0;
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(context, EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                     reinterpret_cast<const unsigned char*>(iv.data()));
  EVP_EncryptUpdate(context, reinterpret_cast<unsigned char*>(out.data()), &written,
                    reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(context, reinterpret_cast<unsigned char*>(out.data()) + written, &last);
  EVP_CIPHER_CTX_free(context);
  out.resize(static_cast<std::size_t>(written + last));
  return base64_encode(iv + out);
}

nlohmann::json lark_text_event(const std::string& verification_token) {
  return {{"schema", "2.0"},
          {"header", {{"event_id", "ev1"}, {"event_type", "im.message.receive_v1"}, {"token", verification_token}}},
          {"event",
           {{"sender", {{"sender_id", {{"open_id", "ou_ann"}}}, {"sender_type", "user"}}},
            {"message",
             {{"message_id", "om_1"},
              {"chat_id", "oc_group"},
              {"chat_type", "group"},
              {"message_type", "text"},
              {"content", R"({"text":"@_user_1 /ticket help"})"},
              {"mentions", {{{"key", "@_user_1"}, {"name", "slabot"}, {"id", {{"open_id", "ou_bot"}}}}}}}}}}};
}

std::string lark_encrypted_body(const std::string& encrypt_key, const std::string& plain) {
  return nlohmann::json{{"encrypt", lark_encrypt(encrypt_key, plain)}}.dump();
}

Connection wecom_sample_connection() {
  return adapter_connection(
      "wecom", {{"token", "slabotToken42"}, {"encoding_aes_key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}},
      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa");
}

HttpRequest wecom_sample_callback_with_body(std::string body) {
  HttpRequest request = webhook_post("wecom-conn", "text/xml", std::move(body));
  request.target += "?msg_signature=" + wecom_robot_text_signature +
                    "&timestamp=" + std::to_string(wecom_sample_unix_seconds) + "&nonce=1372623149";
  return request;
}

HttpRequest wecom_sample_text_callback() {
  return wecom_sample_callback_with_body("<xml><ToUserName><![CDATA[ww0123]]></ToUserName><Encrypt><![CDATA[" +
                                         wecom_robot_text_encrypted +
                                         "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>");
}

}  // namespace slabot::testing
