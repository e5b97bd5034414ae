#include "bot/http/redact.hpp"

#include <catch2/catch.hpp>

using namespace slabot;

TEST_CASE("redact_url masks the values of secret query keys", "[redact]") {
  CHECK(redact_url("https://oapi.dingtalk.com/robot/send?access_token=abc123") ==
        "https://oapi.dingtalk.com/robot/send?access_token=***");
  CHECK(redact_url("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=17&sign=xyz") ==
        "https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=17&sign=***");
  CHECK(redact_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1&debug=1") ==
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***&debug=1");
  CHECK(redact_url("https://h/x?token=t&secret=s&Signature=g") == "https://h/x?token=***&secret=***&Signature=***");
  // Keys ending in _token / _key, an escaped key, an empty value, a key without a value.
  CHECK(redact_url("https://h/x?refresh_token=r&app_key=a") == "https://h/x?refresh_token=***&app_key=***");
  CHECK(redact_url("https://h/x?access%5Ftoken=r") == "https://h/x?access%5Ftoken=***");
  CHECK(redact_url("https://h/x?token=&flag") == "https://h/x?token=***&flag");
  // Keys that merely contain a secret word are left alone.
  CHECK(redact_url("https://h/x?monkey=1&tokens=2&design=3") == "https://h/x?monkey=1&tokens=2&design=3");
}

TEST_CASE("redact_url masks tokens carried in the path", "[redact]") {
  CHECK(redact_url("https://api.telegram.org/bot123456:ABC-def_ghi/sendMessage") ==
        "https://api.telegram.org/bot***/sendMessage");
  CHECK(redact_url("https://api.telegram.org/file/bot123456:ABC/photos/1.jpg") ==
        "https://api.telegram.org/file/bot***/photos/1.jpg");
  CHECK(redact_url("https://api.telegram.org/bot123456%3AABC/getMe") == "https://api.telegram.org/bot***/getMe");
  CHECK(redact_url("/bot42:xyz/sendMessage?chat_id=7") == "/bot***/sendMessage?chat_id=7");
  // A path segment that only starts with "bot" is not a token.
  CHECK(redact_url("https://h/bots/list") == "https://h/bots/list");
  CHECK(redact_url("https://h/open-apis/bot/v2/hook/0b1e-secret") == "https://h/open-apis/bot/v2/hook/***");
  CHECK(redact_url("https://mm.example.com/hooks/xyz123") == "https://mm.example.com/hooks/***");
  CHECK(redact_url("https://hooks.slack.com/services/T000/B000/XXXXSECRET") ==
        "https://hooks.slack.com/services/T000/B000/***");
}

TEST_CASE("redact_url masks credentials in the authority and keeps the rest", "[redact]") {
  CHECK(redact_url("http://user:hunter2@proxy.local:3128") == "http://user:***@proxy.local:3128");
  CHECK(redact_url("https://tokenonly@h/x") == "https://***@h/x");
  CHECK(redact_url("https://[::1]:8443/a/b?x=1#frag") == "https://[::1]:8443/a/b?x=1#frag");
  CHECK(redact_url("https://h/cb#access_token=abc&state=1") == "https://h/cb#access_token=***&state=1");
  CHECK(redact_url("https://example.com") == "https://example.com");
}

TEST_CASE("redact_url masks what it cannot parse", "[redact]") {
  CHECK(redact_url("api.telegram.org/bot1:x/getMe") == "***");
  CHECK(redact_url("") == "***");
  CHECK(redact_url("ht tp://h/x") == "***");
}

TEST_CASE("secret headers are masked, case-insensitively", "[redact]") {
  for (const char* name :
       {"Authorization", "proxy-authorization", "X-Telegram-Bot-Api-Secret-Token", "X-Slack-Signature",
        "x-lark-signature", "X-Hub-Signature-256", "X-Slabot-Signature", "Cookie", "X-Api-Key", "X-Auth-Token"}) {
    INFO(name);
    CHECK(is_secret_header(name));
    CHECK(redact_header_value(name, "Bearer abc") == "***");
  }
  for (const char* name : {"Content-Type", "Retry-After", "X-Request-Id", "X-Slabot-Timestamp", "User-Agent"}) {
    INFO(name);
    CHECK_FALSE(is_secret_header(name));
    CHECK(redact_header_value(name, "v") == "v");
  }
}

TEST_CASE("describe_headers lists headers with secrets masked", "[redact]") {
  const std::map<std::string, std::string> headers = {{"Authorization", "Bearer xoxb-123"},
                                                      {"Content-Type", "application/json"}};
  const auto text = describe_headers(headers);
  CHECK(text == "Authorization: ***, Content-Type: application/json");
  CHECK(text.find("xoxb") == std::string::npos);
  CHECK(describe_headers({}).empty());
}

TEST_CASE("secret query keys", "[redact]") {
  for (const char* key : {"access_token", "ACCESS_TOKEN", "key", "token", "sign", "secret", "sig", "client_secret",
                          "api_key", "password"}) {
    INFO(key);
    CHECK(is_secret_query_key(key));
  }
  for (const char* key : {"timestamp", "chat_id", "msg_type", "keys", "signed", ""}) {
    INFO(key);
    CHECK_FALSE(is_secret_query_key(key));
  }
}
