#pragma once
// "<adapter>:sealed" on the first line of an adapters-target input: the body is the plaintext, and
// it is encrypted and signed here with the fixed connection's keys, as the platform would, so the
// fuzzer reaches what lies behind the encryption (WeCom's robot XML, Lark's event JSON) instead of
// stopping at a ciphertext it cannot forge. Only these two encrypt their callbacks.
#include <openssl/evp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/crypto.hpp"
#include "adapters/wecom/wecom_crypto.hpp"
#include "config/config.hpp"
#include "fuzz/request_text.hpp"

namespace slabot::fuzz {

inline constexpr std::string_view kSealedSuffix = ":sealed";

namespace detail {

// AES-256-CBC; `pkcs7` pads to 16-byte blocks (Lark), otherwise the plaintext is whole blocks
// already (WeCom pads to 32 itself).
inline std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view plain, bool pkcs7) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                     reinterpret_cast<const unsigned char*>(iv.data()));
  EVP_CIPHER_CTX_set_padding(ctx.get(), pkcs7 ? 1 : 0);
  std::string out(plain.size() + 32, '\0');
  int written = 0;
  int last = 0;
  auto* const to = reinterpret_cast<unsigned char*>(out.data());
  EVP_EncryptUpdate(ctx.get(), to, &written, reinterpret_cast<const unsigned char*>(plain.data()),
                    static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(ctx.get(), to + written, &last);
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

inline std::string secret(const Connection& connection, const std::string& name) {
  const auto found = connection.secrets.find(name);
  return found == connection.secrets.end() ? std::string() : found->second;
}

}  // namespace detail

// Seals `request` (adapter name already without the suffix) for `connection`; false when the
// adapter encrypts nothing.
inline bool seal_request(FuzzRequest& request, const Connection& connection) {
  const std::string plain = std::move(request.request.body);
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(request.now.time_since_epoch()).count());
  const std::string nonce = "1372623149";
  HttpRequest& http = request.request;
  http.method = "POST";
  if (request.adapter == "wecom") {
    // random(16) + be32(length) + message + receive id, PKCS#7-padded to 32 (WXBizMsgCrypt).
    const auto key = wecom::aes_key_from_encoding_key(detail::secret(connection, "encoding_aes_key"));
    if (!key) return false;
    const auto length = static_cast<std::uint32_t>(plain.size());
    std::string envelope = "0123456789abcdef";
    for (int shift = 24; shift >= 0; shift -= 8) envelope.push_back(static_cast<char>((length >> shift) & 0xFF));
    envelope += plain + detail::secret(connection, "corp_id");
    const std::size_t pad = 32 - envelope.size() % 32;
    envelope.append(pad, static_cast<char>(pad));
    const std::string encrypted = base64_encode(detail::aes256_cbc_encrypt(*key, key->substr(0, 16), envelope, false));
    const std::string signature =
        wecom::msg_signature(detail::secret(connection, "token"), timestamp, nonce, encrypted);
    http.target = "/hooks/fuzz?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
    http.body = "<xml><Encrypt><![CDATA[" + encrypted + "]]></Encrypt></xml>";
    return true;
  }
  if (request.adapter == "lark") {
    // base64(IV + AES-256-CBC(SHA-256(encrypt_key), IV, event)), signed SHA-256(ts + nonce + key + body).
    const std::string encrypt_key = detail::secret(connection, "encrypt_key");
    const std::string iv = "0123456789abcdef";
    const std::string encrypted = base64_encode(iv + detail::aes256_cbc_encrypt(sha256(encrypt_key), iv, plain, true));
    http.body = R"({"encrypt":")" + encrypted + R"("})";
    http.headers["x-lark-request-timestamp"] = timestamp;
    http.headers["x-lark-request-nonce"] = nonce;
    http.headers["x-lark-signature"] = hex_encode(sha256(timestamp + nonce + encrypt_key + http.body));
    return true;
  }
  return false;
}

}  // namespace slabot::fuzz
