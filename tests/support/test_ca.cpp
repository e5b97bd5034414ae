#include "tests/support/test_ca.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace slabot::testing {

namespace {

struct Free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(EVP_PKEY_CTX* context) const { EVP_PKEY_CTX_free(context); }
  void operator()(X509* cert) const { X509_free(cert); }
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
  void operator()(BIO* bio) const { BIO_free(bio); }
  void operator()(BIGNUM* number) const { BN_free(number); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

[[noreturn]] void fail(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char detail[256] = "no detail";
  if (code != 0) ERR_error_string_n(code, detail, sizeof detail);
  ERR_clear_error();
  throw std::runtime_error("test CA: " + what + ": " + detail);
}

void check(int result, const std::string& what) {
  if (result <= 0) fail(what);
}

Owned<EVP_PKEY> make_key() {
  Owned<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
  if (!context) fail("EVP_PKEY_CTX_new_id");
  check(EVP_PKEY_keygen_init(context.get()), "keygen init");
  check(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.get(), NID_X9_62_prime256v1), "curve");
  EVP_PKEY* key = nullptr;
  check(EVP_PKEY_keygen(context.get(), &key), "keygen");
  return Owned<EVP_PKEY>(key);
}

// A certificate with a random serial, valid from an hour ago (clock skew) for a day.
Owned<X509> make_cert(const std::string& common_name, EVP_PKEY* key) {
  Owned<X509> cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), 2), "version");  // v3
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial), "serial");
  serial[0] &= 0x7f;  // positive
  Owned<BIGNUM> number(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get()))) {
    fail("serial");
  }
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600)) {
    fail("validity");
  }
  check(X509_set_pubkey(cert.get(), key), "public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "subject");
  return cert;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  Owned<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension) fail("extension " + value);
  check(X509_add_ext(cert, extension.get(), -1), "add extension " + value);
}

std::string cert_to_pem(X509* cert) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert), "PEM certificate");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string key_to_pem(EVP_PKEY* key) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM key");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

struct TestCa::Impl {
  Owned<EVP_PKEY> key;
  Owned<X509> cert;
  std::string cert_pem;
};

TestCa::TestCa(const std::string& common_name) : impl_(std::make_unique<Impl>()) {
  impl_->key = make_key();
  impl_->cert = make_cert(common_name, impl_->key.get());
  X509* cert = impl_->cert.get();
  check(X509_set_issuer_name(cert, X509_get_subject_name(cert)), "issuer");
  add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(cert, cert, NID_subject_key_identifier, "hash");
  check(X509_sign(cert, impl_->key.get(), EVP_sha256()), "sign CA");
  impl_->cert_pem = cert_to_pem(cert);
}

TestCa::~TestCa() = default;

const std::string& TestCa::cert_pem() const { return impl_->cert_pem; }

TestCertificate TestCa::issue(const std::string& common_name, const std::vector<std::string>& dns_names,
                              const std::vector<std::string>& ip_addresses) const {
  auto key = make_key();
  auto cert = make_cert(common_name, key.get());
  X509* issuer = impl_->cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)), "issuer");
  add_extension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), issuer, NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
  std::string names;
  for (const auto& dns : dns_names) names += (names.empty() ? "" : ",") + std::string("DNS:") + dns;
  for (const auto& ip : ip_addresses) names += (names.empty() ? "" : ",") + std::string("IP:") + ip;
  if (!names.empty()) add_extension(cert.get(), issuer, NID_subject_alt_name, names);
  check(X509_sign(cert.get(), impl_->key.get(), EVP_sha256()), "sign leaf");
  return {cert_to_pem(cert.get()), key_to_pem(key.get())};
}

TestCertificate TestCa::issue_localhost() const { return issue("localhost", {"localhost"}, {"127.0.0.1", "::1"}); }

}  // namespace slabot::testing
