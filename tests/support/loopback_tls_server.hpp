#pragma once
// What every fake platform server in tests/support stands on (FakeHttpsPeer, FakeWebSocketGateway):
// a listening socket on loopback with a port the system chose, a TLS server context holding the
// test's certificate, an io_context kept busy by a work guard, run by a thread of its own, and the
// mutex and condition variable through which the test's thread waits for what the server saw.
// Each fake says only what it does with a connection. Included by the fakes' .cpp files only, so
// Asio stays out of their public headers.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tests/support/test_ca.hpp"

namespace slabot::testing {

class LoopbackTlsServer {
 public:
  // Each accepted connection, on a strand of its own, on the server's thread.
  using Accepted = std::function<void(boost::asio::ip::tcp::socket)>;

  // Listening on `address` when it returns; the TLS context serves `certificate` when one is given
  // (none: a plain-HTTP server, whose TLS context goes unused).
  LoopbackTlsServer(const std::string& address, const std::optional<TestCertificate>& certificate);
  // Stops (see stop()).
  ~LoopbackTlsServer();
  LoopbackTlsServer(const LoopbackTlsServer&) = delete;
  LoopbackTlsServer& operator=(const LoopbackTlsServer&) = delete;

  // Starts accepting and the server's thread; call once.
  void start(Accepted accepted);
  // Stops accepting and joins the server's thread; handlers not yet run never run. A fake's
  // destructor calls it first, before the state its handlers use goes. Safe more than once.
  void stop();

  unsigned short port() const { return port_; }
  boost::asio::io_context& io() { return io_; }
  boost::asio::ssl::context& tls() { return tls_; }

  // Guards what the fake records for the test's thread; `changed` wakes the test's waits.
  mutable std::mutex mutex;
  mutable std::condition_variable changed;

 private:
  void accept_next();

  boost::asio::ssl::context tls_;  // before io_: sockets refer to it
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Accepted accepted_;
  std::thread thread_;
  unsigned short port_ = 0;
};

}  // namespace slabot::testing
