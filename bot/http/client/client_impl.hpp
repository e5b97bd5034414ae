#pragma once
// Internal to the HTTP client: BeastHttpClient::Impl, shared by the client's life cycle
// (http_client.cpp) and its request state machine (client/request_flow.cpp).
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bot/http/client/connection.hpp"
#include "bot/http/client/connection_pool.hpp"
#include "bot/http/client/outbound_setup.hpp"
#include "bot/http/http_client.hpp"

namespace slabot {

namespace http_internal {

using Request = beast::http::request<beast::http::string_body>;

// A request ready to go: immutable once built, shared by the attempts.
struct Exchange {
  std::uint64_t id = 0;
  ParsedUrl url;
  std::optional<ProxyEndpoint> proxy;  // set when tunnelling
  Request request;
  SteadyClock::time_point deadline;
};

// What one attempt on one connection came to.
struct Outcome {
  HttpResponse response;  // status 0 and the reason in the body unless `ok`
  bool ok = false;
  bool reusable = false;         // the connection may carry another request
  bool nothing_received = true;  // no byte of an answer arrived
  bool peer_closed = false;      // the failure was the peer closing the connection
};

}  // namespace http_internal

struct BeastHttpClient::Impl {
  using Connection = http_internal::Connection;
  using Exchange = http_internal::Exchange;
  using Outcome = http_internal::Outcome;
  using Failure = http_internal::Failure;

  explicit Impl(HttpClientOptions options_in);

  // The request state machine (client/request_flow.cpp): a request is prepared, then delivered
  // on a pooled or fresh connection, which is established (resolve, connect, CONNECT, TLS) when
  // new, then carries one exchange; a kept-alive connection found closed is retried once.
  boost::asio::awaitable<HttpResponse> perform(std::uint64_t id, OutboundRequest request);
  boost::asio::awaitable<HttpResponse> deliver(std::shared_ptr<const Exchange> exchange);
  bool prepare(Exchange& exchange, OutboundRequest request, std::string& error) const;
  boost::asio::awaitable<Outcome> run_exchange(std::shared_ptr<Connection> connection,
                                               std::shared_ptr<const Exchange> exchange);
  boost::asio::awaitable<Failure> establish(Connection& connection, const Exchange& exchange);
  template <class Stream>
  boost::asio::awaitable<Outcome> transact(Connection& connection, Stream& stream, const Exchange& exchange);

  boost::asio::awaitable<void> sweep_loop();
  void finished();

  const HttpClientOptions options;
  ProxySetting route;             // the proxy, if any, and the hosts it is not used for
  boost::asio::ssl::context tls;  // before `io`: streams still in the io_context's handlers refer to it

  // Before `io`, so they outlive it: requests still unfinished when the destructor gives up
  // waiting are destroyed with the io_context, and their frames lock `mutex` and leave the
  // pool's connections in use.
  http_internal::ConnectionPool pool;
  std::mutex mutex;
  std::condition_variable all_answered;
  std::size_t in_flight = 0;
  std::atomic<std::uint64_t> next_id{0};

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

}  // namespace slabot
