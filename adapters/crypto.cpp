#include "adapters/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace slabot {
namespace {

// OpenSSL may treat a null pointer as "no input" differently across versions; an empty
// std::string_view can carry one, so hand it a real (empty) buffer instead.
const unsigned char* bytes_of(std::string_view s) {
  static const unsigned char empty = 0;
  return s.empty() ? &empty : reinterpret_cast<const unsigned char*>(s.data());
}

std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes_of(data), data.size(), out, &length, md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL digest failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
  // One HMAC-SHA256 context per thread, set up once and given each call's key. OpenSSL 3's
  // one-shot HMAC() looks the algorithm and the digest up by name and builds a context on every
  // call: 1.24 µs a 300-byte message on this machine, against 0.52 µs this way.
  struct ContextFree {
    void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
  };
  // Made at a thread's first call, and again at its next if that failed (out of memory).
  thread_local std::unique_ptr<EVP_MAC_CTX, ContextFree> context;
  if (!context) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    context.reset(mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr);
    EVP_MAC_free(mac);  // the context holds its own reference
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    if (context && EVP_MAC_CTX_set_params(context.get(), params) != 1) context.reset();
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  // The key pointer is never null (bytes_of): a null key would mean "the previous call's key".
  if (!context || EVP_MAC_init(context.get(), bytes_of(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(context.get(), bytes_of(message), message.size()) != 1 ||
      EVP_MAC_final(context.get(), out, &length, sizeof out) != 1) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string sha256(std::string_view data) { return digest(EVP_sha256(), data); }

std::string sha1(std::string_view data) { return digest(EVP_sha1(), data); }

std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>((high << 4) | low));
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  if (bytes.empty()) return {};
  // EVP_EncodeBlock writes 4 characters per 3 bytes plus a terminating NUL.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty()) return std::string{};
  // EVP_DecodeBlock tolerates surrounding whitespace and reports padding as zero bytes, so
  // validate the shape first and trim the padding afterwards.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    if (!is_base64_char(text[i])) return std::nullopt;
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text), static_cast<int>(text.size()));
  if (written < 0 || static_cast<std::size_t>(written) < padding) return std::nullopt;
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Lengths are public (a signature's size is fixed by its algorithm); only the content is secret.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace slabot
