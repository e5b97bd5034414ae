#include "tests/support/loopback_tls_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace slabot::testing {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

LoopbackTlsServer::LoopbackTlsServer(const std::string& address, const std::optional<TestCertificate>& certificate)
    : tls_(ssl::context::tls_server), work_(io_.get_executor()), acceptor_(io_) {
  if (certificate) {
    tls_.use_certificate_chain(asio::buffer(certificate->cert_pem));
    tls_.use_private_key(asio::buffer(certificate->key_pem), ssl::context::pem);
  }
  const tcp::endpoint endpoint(asio::ip::make_address(address), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

LoopbackTlsServer::~LoopbackTlsServer() { stop(); }

void LoopbackTlsServer::start(Accepted accepted) {
  accepted_ = std::move(accepted);
  accept_next();
  thread_ = std::thread([this] { io_.run(); });
}

void LoopbackTlsServer::accept_next() {
  // A strand per connection: the fakes that post to a connection from the test's thread rely on it.
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;  // closed: the server is stopping
    accepted_(std::move(socket));
    accept_next();
  });
}

void LoopbackTlsServer::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace slabot::testing
