#pragma once
// Requests as each platform sends them, signed with the secrets a test gives, for tests over
// several adapters (tests/adapters/conformance). The adapters' own tests check each signature
// against vectors computed independently (openssl); these helpers reuse adapters/crypto, so they
// only say how a platform signs, not that the crypto is right.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/http_types.hpp"
#include "config/config.hpp"
#include "domain/time.hpp"

namespace slabot::testing {

// A connection `<adapter>-conn` of the adapter with these secrets.
Connection adapter_connection(const std::string& adapter, std::map<std::string, std::string> secrets,
                              const std::string& outbound_url);

// A POST to /hooks/<connection> with a content type and a body, unsigned.
HttpRequest webhook_post(const std::string& connection, const std::string& content_type, std::string body);

// Each signs `request` (its body as it stands) the platform's way, with the connection's secret,
// at `at` where the platform signs a time.
HttpRequest generic_signed(HttpRequest request, const std::string& secret, Timestamp at);
HttpRequest slack_signed(HttpRequest request, const std::string& signing_secret, Timestamp at);
HttpRequest mattermost_signed(HttpRequest request, const std::string& token);
HttpRequest teams_signed(HttpRequest request, const std::string& security_token_base64);
HttpRequest lark_signed(HttpRequest request, const std::string& encrypt_key, Timestamp at);
HttpRequest dingtalk_signed(HttpRequest request, const std::string& app_secret, Timestamp at);
HttpRequest telegram_signed(HttpRequest request, const std::string& webhook_secret);

// `plain` encrypted as Lark does (AES-256-CBC, key SHA-256(encrypt_key), the IV first, base64),
// with OpenSSL's EVP directly, not with the code under test; the IV is fixed (0x07 bytes).
std::string lark_encrypt(const std::string& encrypt_key, const std::string& plain);
// Lark's im.message.receive_v1 event (schema 2.0) for "@_user_1 /ticket help" in group oc_group
// from ou_ann, the bot (ou_bot) mentioned as @_user_1, carrying the verification token.
nlohmann::json lark_text_event(const std::string& verification_token);
// A Lark event body: {"encrypt": lark_encrypt(...)}.
std::string lark_encrypted_body(const std::string& encrypt_key, const std::string& plain);

// WeCom's group-robot callback for the text "@slabot ack 12", encrypted and signed by the
// vendor's algorithm (tests/adapters/wecom/wecom_adapter_test.cpp derives it), with the
// connection that opens it.
inline constexpr long long wecom_sample_unix_seconds = 1700000000;
extern const std::string wecom_robot_text_encrypted;  // its <Encrypt>
extern const std::string wecom_robot_text_signature;  // its msg_signature
Connection wecom_sample_connection();
HttpRequest wecom_sample_text_callback();
// The same query (signature, timestamp, nonce) around another body.
HttpRequest wecom_sample_callback_with_body(std::string body);

}  // namespace slabot::testing
