#pragma once
// A tiny HTTP CONNECT proxy on loopback for the client's proxy tests: it checks
// Proxy-Authorization when told to, connects to the requested host:port, answers 200 and then
// pipes bytes both ways. Its own thread; Beast stays in the .cpp.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace slabot::testing {

class FakeConnectProxy {
 public:
  // `required_authorization`: the exact Proxy-Authorization value demanded ("Basic ..."), or ""
  // for none; a mismatch is answered 407.
  explicit FakeConnectProxy(std::string required_authorization = "");
  ~FakeConnectProxy();
  FakeConnectProxy(const FakeConnectProxy&) = delete;
  FakeConnectProxy& operator=(const FakeConnectProxy&) = delete;

  unsigned short port() const;
  std::vector<std::string> connect_targets() const;  // every CONNECT's "host:port", in order
  std::vector<std::string> authorizations() const;   // their Proxy-Authorization ("" if none)
  std::size_t tunnels() const;                       // CONNECTs answered 200

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot::testing
