#include "adapters/lark/lark_crypto.hpp"

#include <openssl/evp.h>

#include <climits>
#include <memory>

#include "adapters/crypto.hpp"

namespace slabot {
namespace {

constexpr std::size_t key_size = 32;
constexpr std::size_t block_size = 16;

struct ContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};

}  // namespace

std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view ciphertext) {
  if (key.size() != key_size || iv.size() != block_size) return std::nullopt;
  if (ciphertext.empty() || ciphertext.size() % block_size != 0 ||
      ciphertext.size() > static_cast<std::size_t>(INT_MAX - block_size)) {
    return std::nullopt;
  }
  const std::unique_ptr<EVP_CIPHER_CTX, ContextFree> context(EVP_CIPHER_CTX_new());
  if (!context) return std::nullopt;
  const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  const auto* iv_bytes = reinterpret_cast<const unsigned char*>(iv.data());
  // Padding stays on (the default): EVP_DecryptFinal_ex checks and strips PKCS#7.
  if (EVP_DecryptInit_ex(context.get(), EVP_aes_256_cbc(), nullptr, key_bytes, iv_bytes) != 1) {
    return std::nullopt;
  }
  // Decryption never writes more than the input plus one block.
  std::string plain(ciphertext.size() + block_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  int written = 0;
  if (EVP_DecryptUpdate(context.get(), out, &written, reinterpret_cast<const unsigned char*>(ciphertext.data()),
                        static_cast<int>(ciphertext.size())) != 1) {
    return std::nullopt;
  }
  int last = 0;
  if (EVP_DecryptFinal_ex(context.get(), out + written, &last) != 1) return std::nullopt;
  plain.resize(static_cast<std::size_t>(written + last));
  return plain;
}

std::optional<std::string> lark_decrypt(std::string_view encrypt_key, std::string_view encrypted_base64) {
  const auto bytes = base64_decode(encrypted_base64);
  // The IV and at least one block.
  if (!bytes || bytes->size() < 2 * block_size) return std::nullopt;
  const std::string_view all(*bytes);
  return aes256_cbc_decrypt(sha256(encrypt_key), all.substr(0, block_size), all.substr(block_size));
}

}  // namespace slabot
