#include "adapters/message_id.hpp"

#include "adapters/crypto.hpp"

namespace slabot {

std::string outbox_message_id(std::string_view idempotency_key) {
  std::string bytes = sha256(idempotency_key).substr(0, 16);
  // Version 8 in the high nibble of byte 6, the RFC 9562 variant (10xx) in byte 8.
  bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0f) | 0x80);
  bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3f) | 0x80);
  const std::string hex = hex_encode(bytes);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20);
}

}  // namespace slabot
