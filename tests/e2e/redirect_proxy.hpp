#pragma once
// An HTTP CONNECT proxy on loopback that tunnels every CONNECT, whatever host it names, to one
// local port. With a fake platform serving a certificate for the platform's real host name
// (oapi.dingtalk.com, ...), the bot's real HTTP client can then send to the platform's real
// URLs, TLS and host-name checks included, without anything leaving 127.0.0.1.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace slabot::e2e {

class RedirectProxy {
 public:
  // Listening when the constructor returns; throws std::runtime_error when it cannot.
  explicit RedirectProxy(unsigned short target_port);
  ~RedirectProxy();  // stops accepting, closes every tunnel and joins its threads
  RedirectProxy(const RedirectProxy&) = delete;
  RedirectProxy& operator=(const RedirectProxy&) = delete;

  // "http://127.0.0.1:<port>", for HttpClientOptions::https_proxy.
  std::string url() const;
  // The "host:port" of every CONNECT, in order.
  std::vector<std::string> connect_targets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot::e2e
