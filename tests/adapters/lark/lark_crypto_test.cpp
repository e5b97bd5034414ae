#include "adapters/lark/lark_crypto.hpp"

#include <catch2/catch.hpp>

#include "adapters/crypto.hpp"

using namespace slabot;

namespace {

// Lark's own example ("Encrypt Key 加密配置示例"): encrypt key "test key".
const std::string vendor_key = "test key";
const std::string vendor_encrypted = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";

// Computed with the openssl CLI (IV 000102...0f prepended before base64, as Lark does):
//   K=$(printf '%s' lark-encrypt-key-for-tests | openssl dgst -sha256 -hex | awk '{print $NF}')
//   IV=000102030405060708090a0b0c0d0e0f
//   { printf '%s' $IV | xxd -r -p; printf '%s' "$PLAIN" | openssl enc -aes-256-cbc -K $K -iv $IV; } | base64 -w0
const std::string key = "lark-encrypt-key-for-tests";
const std::string plain =
    R"({"challenge":"ajls384kdjx98XX","token":"lark-verification-token","type":"url_verification"})";
const std::string encrypted =
    "AAECAwQFBgcICQoLDA0ODyeoHxgxwYUSX/M/Vl2xx7PPdG9YkNCt9E8Exs61C4Npi6ED1h9OlA+tZVB58ZY3K8s9/8K/"
    "52MRbpd7rDN6RR6OVopYYoYVbsiFKLNeMoj94rWeHjGNcPkFdgMB8nVpkw==";

}  // namespace

TEST_CASE("lark crypto: the vendor's example decrypts to \"hello world\"", "[lark]") {
  CHECK(lark_decrypt(vendor_key, vendor_encrypted) == std::optional<std::string>("hello world"));
}

TEST_CASE("lark crypto: an openssl-encrypted body decrypts", "[lark]") {
  CHECK(lark_decrypt(key, encrypted) == std::optional<std::string>(plain));
}

TEST_CASE("lark crypto: a wrong key, a damaged or short input gives nothing", "[lark]") {
  CHECK_FALSE(lark_decrypt("wrong-key", encrypted));  // the padding check fails
  CHECK_FALSE(lark_decrypt(key, "not base64!"));
  CHECK_FALSE(lark_decrypt(key, ""));
  CHECK_FALSE(lark_decrypt(key, "AAECAwQFBgcICQoLDA0ODw=="));  // an IV and no block
  // IV and one block and a half.
  CHECK_FALSE(lark_decrypt(key, base64_encode(std::string(40, 'x'))));
  // The last block replaced: the padding no longer checks out.
  std::string damaged = *base64_decode(encrypted);
  damaged[damaged.size() - 1] = static_cast<char>(damaged.back() ^ 0x55);
  CHECK_FALSE(lark_decrypt(key, base64_encode(damaged)));
}

TEST_CASE("lark crypto: aes256_cbc_decrypt wants a 32-byte key and a 16-byte IV", "[lark]") {
  const std::string bytes = *base64_decode(encrypted);
  const std::string iv = bytes.substr(0, 16);
  const std::string ciphertext = bytes.substr(16);
  CHECK(aes256_cbc_decrypt(sha256(key), iv, ciphertext) == std::optional<std::string>(plain));
  CHECK_FALSE(aes256_cbc_decrypt(sha256(key).substr(0, 16), iv, ciphertext));
  CHECK_FALSE(aes256_cbc_decrypt(sha256(key), iv.substr(0, 8), ciphertext));
  CHECK_FALSE(aes256_cbc_decrypt(sha256(key), iv, ""));
  CHECK_FALSE(aes256_cbc_decrypt(sha256(key), iv, ciphertext.substr(1)));
}
