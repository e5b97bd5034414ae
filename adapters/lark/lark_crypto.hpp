#pragma once
// Lark's encrypted event bodies. A small OpenSSL EVP wrapper kept in this folder because only
// Lark needs AES so far; move it to adapters/crypto.hpp when a second platform does (WeCom).
#include <optional>
#include <string>
#include <string_view>

namespace slabot {

// AES-256-CBC decryption with PKCS#7 padding. nullopt on a key that is not 32 bytes, an IV that
// is not 16, a ciphertext that is empty or not whole blocks, or bad padding.
std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view ciphertext);

// The value of Lark's {"encrypt": "..."}: base64(IV || AES-256-CBC(key = SHA-256(encrypt_key),
// IV, plaintext)). nullopt when it is not base64, too short, or does not decrypt.
std::optional<std::string> lark_decrypt(std::string_view encrypt_key, std::string_view encrypted_base64);

}  // namespace slabot
