#pragma once
// A certificate authority made up at run time, for TLS tests that run offline: a fresh EC P-256
// key and a self-signed CA certificate, which issues server certificates with the names a test
// asks for. Nothing is read from or written to disk unless a test writes the PEM itself.
#include <memory>
#include <string>
#include <vector>

namespace slabot::testing {

struct TestCertificate {
  std::string cert_pem;  // the leaf certificate
  std::string key_pem;   // its private key, PKCS#8
};

class TestCa {
 public:
  // Throws std::runtime_error when OpenSSL fails.
  explicit TestCa(const std::string& common_name = "slabot test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // The CA certificate, to trust (a client's ca_file).
  const std::string& cert_pem() const;

  // A server certificate valid for a day, with subjectAltName entries DNS:<dns_names> and
  // IP:<ip_addresses> (IPv4 or IPv6 text) and extendedKeyUsage serverAuth.
  TestCertificate issue(const std::string& common_name, const std::vector<std::string>& dns_names,
                        const std::vector<std::string>& ip_addresses) const;

  // issue("localhost", {"localhost"}, {"127.0.0.1", "::1"}): what a loopback peer serves.
  TestCertificate issue_localhost() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot::testing
