#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include "tests/bot/http_client/fake_connect_proxy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <mutex>
#include <thread>

namespace slabot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Copies until either side ends, then half-closes the other so the end travels on.
asio::awaitable<void> pipe(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
  std::array<char, 16 * 1024> chunk;
  beast::error_code ec;
  for (;;) {
    const std::size_t n =
        co_await from->async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(*to, asio::buffer(chunk.data(), n), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  to->shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> refuse(tcp::socket& client, http::status status) {
  http::response<http::string_body> answer{status, 11};
  if (status == http::status::proxy_authentication_required) {
    answer.set(http::field::proxy_authenticate, "Basic realm=\"test\"");
  }
  answer.keep_alive(false);
  answer.prepare_payload();
  beast::error_code ec;
  co_await http::async_write(client, answer, asio::redirect_error(asio::use_awaitable, ec));
}

// Its own coroutine: inlined into serve(), GCC 12 reports a false -Wmismatched-new-delete.
asio::awaitable<beast::error_code> connect_upstream(tcp::socket& socket, std::string host, std::string port) {
  beast::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  const auto endpoints = co_await resolver.async_resolve(host, port, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return ec;
}

}  // namespace

struct FakeConnectProxy::Impl {
  explicit Impl(std::string authorization)
      : required_authorization(std::move(authorization)), work(io.get_executor()), acceptor(io) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket client);

  std::string required_authorization;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  tcp::acceptor acceptor;
  std::thread thread;
  unsigned short port = 0;

  mutable std::mutex mutex;
  std::vector<std::string> targets;
  std::vector<std::string> authorizations;
  std::size_t tunnels = 0;
};

asio::awaitable<void> FakeConnectProxy::Impl::accept_loop() {
  for (;;) {
    tcp::socket socket(asio::make_strand(io));
    beast::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> FakeConnectProxy::Impl::serve(tcp::socket client_socket) {
  auto client = std::make_shared<tcp::socket>(std::move(client_socket));
  beast::flat_buffer buffer;
  http::request_parser<http::empty_body> parser;
  beast::error_code ec;
  co_await http::async_read(*client, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  const auto& request = parser.get();
  const std::string target(request.target());
  const std::string authorization(request[http::field::proxy_authorization]);
  {
    std::lock_guard lock(mutex);
    targets.push_back(target);
    authorizations.push_back(authorization);
  }

  if (request.method() != http::verb::connect) {
    co_await refuse(*client, http::status::method_not_allowed);
    co_return;
  }
  if (!required_authorization.empty() && authorization != required_authorization) {
    co_await refuse(*client, http::status::proxy_authentication_required);
    co_return;
  }

  // host:port or [v6]:port
  const auto colon = target.rfind(':');
  std::string host = target.substr(0, colon);
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::string port_text = colon == std::string::npos ? "443" : target.substr(colon + 1);
  auto upstream = std::make_shared<tcp::socket>(client->get_executor());
  ec = co_await connect_upstream(*upstream, host, port_text);
  if (ec) {
    co_await refuse(*client, http::status::bad_gateway);
    co_return;
  }
  static constexpr std::string_view established = "HTTP/1.1 200 Connection established\r\n\r\n";
  co_await asio::async_write(*client, asio::buffer(established), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  {
    std::lock_guard lock(mutex);
    ++tunnels;
  }
  if (buffer.size() != 0) {  // bytes the client sent right behind its CONNECT
    co_await asio::async_write(*upstream, buffer.data(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
  // Both directions run on their own; each holds the sockets it needs.
  const auto executor = client->get_executor();
  asio::co_spawn(executor, pipe(upstream, client), asio::detached);
  asio::co_spawn(executor, pipe(client, upstream), asio::detached);
}

FakeConnectProxy::FakeConnectProxy(std::string required_authorization)
    : impl_(std::make_unique<Impl>(std::move(required_authorization))) {
  Impl& impl = *impl_;
  const tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), 0};
  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint);
  impl.acceptor.listen();
  impl.port = impl.acceptor.local_endpoint().port();
  asio::co_spawn(impl.io, impl.accept_loop(), asio::detached);
  impl.thread = std::thread([&impl] { impl.io.run(); });
}

FakeConnectProxy::~FakeConnectProxy() {
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

unsigned short FakeConnectProxy::port() const { return impl_->port; }

std::vector<std::string> FakeConnectProxy::connect_targets() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->targets;
}

std::vector<std::string> FakeConnectProxy::authorizations() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->authorizations;
}

std::size_t FakeConnectProxy::tunnels() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->tunnels;
}

}  // namespace slabot::testing
