#include "adapters/crypto.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace slabot;

TEST_CASE("hmac_sha256 matches RFC 4231 test case 2", "[crypto]") {
  const auto mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  CHECK(mac.size() == 32);
  CHECK(hex_encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("hmac_sha256 reproduces Slack's published request signature", "[crypto]") {
  // From Slack's "Verifying requests from Slack" page. Note the token: Slack's page (and every
  // implementation checked against it) has xyzz0WbapA4vBCDEFasx0q6G; a copy with another token
  // circulates and does not produce this signature.
  const std::string secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const std::string base =
      "v0:1531420618:"
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
      "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
      "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
      "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
      "803a0bc887a14d10d2c447fce8b6703c";
  CHECK(hex_encode(hmac_sha256(secret, base)) == "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
}

TEST_CASE("hmac_sha256 accepts an empty key and an empty message", "[crypto]") {
  // RFC 2104 HMAC with both empty; `printf '' | openssl dgst -sha256 -hmac ''`.
  CHECK(hex_encode(hmac_sha256("", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("hmac_sha256 uses each call's key, on every thread", "[crypto]") {
  // Each thread keeps one HMAC context and gives it every call's key: an empty key right after
  // another must not run with the one before (OpenSSL reads a null key as "keep the last one").
  const std::string jefe = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  const std::string empty = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  auto alternate = [&] {
    for (int round = 0; round < 3; ++round) {
      if (hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) != jefe) return false;
      if (hex_encode(hmac_sha256("", "")) != empty) return false;
    }
    return true;
  };
  CHECK(alternate());
  bool other_thread = false;
  std::thread([&] { other_thread = alternate(); }).join();
  CHECK(other_thread);
}

TEST_CASE("sha256 and sha1 of \"abc\" match FIPS 180 examples", "[crypto]") {
  CHECK(hex_encode(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex_encode(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("hex round trip, either case, rejects junk", "[crypto]") {
  const std::string bytes("\x00\x01\xab\xff", 4);
  CHECK(hex_encode(bytes) == "0001abff");
  CHECK(hex_decode("0001abff") == bytes);
  CHECK(hex_decode("0001ABFF") == bytes);
  CHECK(hex_decode("") == std::string{});
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
  CHECK_FALSE(hex_decode("0x00").has_value());
}

TEST_CASE("base64 matches RFC 4648 section 10 and round trips", "[crypto]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::string(plain));
  }
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  CHECK(base64_decode(base64_encode(all_bytes)) == all_bytes);
  CHECK(base64_encode("hello, world!") == "aGVsbG8sIHdvcmxkIQ==");  // `printf 'hello, world!' | base64`
}

TEST_CASE("base64_decode rejects malformed input", "[crypto]") {
  CHECK_FALSE(base64_decode("Zm9").has_value());       // not a multiple of 4
  CHECK_FALSE(base64_decode("Zm9v!A==").has_value());  // outside the alphabet
  CHECK_FALSE(base64_decode("Z===").has_value());      // too much padding
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // padding in the middle
  CHECK_FALSE(base64_decode(" Zg==").has_value());     // whitespace
}

TEST_CASE("constant_time_equal compares content and length", "[crypto]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}
