#pragma once
// WeCom's callback encryption ("WXBizMsgCrypt"): the signature over the sorted parameters and
// the AES-256-CBC envelope. Decryption only: the bot answers through the outbox, never with an
// encrypted passive reply.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace slabot::wecom {

// AES-256-CBC without padding (the caller removes WeCom's own padding): nullopt when the key is
// not 32 bytes, the IV not 16, or the ciphertext empty or not a whole number of blocks.
std::optional<std::string> aes256_cbc_decrypt_raw(std::string_view key, std::string_view iv,
                                                  std::string_view ciphertext);

// The 32-byte AES key from a 43-character EncodingAESKey (letters and digits; the key is its
// base64 with the final '=' left off); nullopt when malformed.
std::optional<std::string> aes_key_from_encoding_key(std::string_view encoding_aes_key);

// msg_signature: lower-case hex SHA-1 of token, timestamp, nonce and the encrypted text, sorted
// byte-wise and concatenated.
std::string msg_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypted);

// What an envelope holds: the message and the receive id it was sealed for (the CorpID for an
// application's callbacks, empty for a group robot's).
struct Envelope {
  std::string message;
  std::string receive_id;
};

// Why an envelope could not be opened; never contains key material.
struct EnvelopeError {
  std::string reason;
};

// Opens base64(AES-256-CBC(key, IV = key's first 16 bytes, random(16) + be32(len) + message +
// receive id, PKCS#7-padded to a multiple of 32 bytes)).
std::variant<Envelope, EnvelopeError> open_envelope(std::string_view aes_key, std::string_view encrypted);

}  // namespace slabot::wecom
