#include "adapters/wecom/wecom_crypto.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

#include "adapters/crypto.hpp"

namespace slabot::wecom {
namespace {

constexpr std::size_t key_bytes = 32;
constexpr std::size_t iv_bytes = 16;
constexpr std::size_t block_bytes = 16;
// WeCom pads to 32 bytes (its PKCS#7 block is the key length), so a pad byte is 1..32.
constexpr std::size_t pad_block_bytes = 32;
constexpr std::size_t random_bytes = 16;
constexpr std::size_t length_bytes = 4;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::optional<std::string> aes256_cbc_decrypt_raw(std::string_view key, std::string_view iv,
                                                  std::string_view ciphertext) {
  if (key.size() != key_bytes || iv.size() != iv_bytes) return std::nullopt;
  if (ciphertext.empty() || ciphertext.size() % block_bytes != 0) return std::nullopt;
  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, bytes_of(key), bytes_of(iv)) != 1) {
    return std::nullopt;
  }
  // Without this OpenSSL would insist on 16-byte PKCS#7, which WeCom's 32-byte padding is not.
  if (EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) return std::nullopt;
  std::string plain(ciphertext.size(), '\0');
  int written = 0;
  if (EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &written, bytes_of(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1) {
    return std::nullopt;
  }
  int final_written = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + written, &final_written) != 1) {
    return std::nullopt;
  }
  plain.resize(static_cast<std::size_t>(written + final_written));
  return plain;
}

std::optional<std::string> aes_key_from_encoding_key(std::string_view encoding_aes_key) {
  if (encoding_aes_key.size() != 43 || !std::all_of(encoding_aes_key.begin(), encoding_aes_key.end(), is_alnum)) {
    return std::nullopt;
  }
  auto key = base64_decode(std::string(encoding_aes_key) + "=");
  if (!key || key->size() != key_bytes) return std::nullopt;
  return key;
}

std::string msg_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypted) {
  std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypted};
  std::sort(parts.begin(), parts.end());  // byte-wise, as the vendor's libraries sort
  std::string joined;
  joined.reserve(token.size() + timestamp.size() + nonce.size() + encrypted.size());
  for (const auto part : parts) joined.append(part);
  return hex_encode(sha1(joined));
}

std::variant<Envelope, EnvelopeError> open_envelope(std::string_view aes_key, std::string_view encrypted) {
  if (aes_key.size() != key_bytes) return EnvelopeError{"AES key is not 32 bytes"};
  const auto ciphertext = base64_decode(encrypted);
  if (!ciphertext) return EnvelopeError{"encrypted text is not base64"};
  if (ciphertext->empty() || ciphertext->size() % pad_block_bytes != 0) {
    return EnvelopeError{"ciphertext is not a whole number of 32-byte blocks"};
  }
  auto plain = aes256_cbc_decrypt_raw(aes_key, aes_key.substr(0, iv_bytes), *ciphertext);
  if (!plain) return EnvelopeError{"AES decryption failed"};

  const auto pad = static_cast<unsigned char>(plain->back());
  if (pad == 0 || pad > pad_block_bytes || pad > plain->size()) {
    return EnvelopeError{"bad padding (wrong key?)"};
  }
  const std::string_view padding = std::string_view(*plain).substr(plain->size() - pad);
  if (!std::all_of(padding.begin(), padding.end(), [pad](char c) { return static_cast<unsigned char>(c) == pad; })) {
    return EnvelopeError{"bad padding (wrong key?)"};
  }
  plain->resize(plain->size() - pad);

  if (plain->size() < random_bytes + length_bytes) return EnvelopeError{"envelope too short"};
  const auto* length_at = reinterpret_cast<const unsigned char*>(plain->data()) + random_bytes;
  const std::size_t length = (std::size_t{length_at[0]} << 24) | (std::size_t{length_at[1]} << 16) |
                             (std::size_t{length_at[2]} << 8) | std::size_t{length_at[3]};
  const std::size_t body_at = random_bytes + length_bytes;
  if (length > plain->size() - body_at) return EnvelopeError{"message length beyond the envelope"};
  return Envelope{plain->substr(body_at, length), plain->substr(body_at + length)};
}

}  // namespace slabot::wecom
