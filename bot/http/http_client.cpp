#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

// The HTTP client's life cycle: its options and proxy setting, TLS context, threads, the
// idle-connection sweeper, and answering every request exactly once. The parts: the proxy
// setting (proxy/proxy_url), the connection pool (client/connection_pool), the request state
// machine (client/request_flow).
#include "bot/http/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "bot/http/client/client_impl.hpp"
#include "bot/http/client/outbound_setup.hpp"
#include "domain/thread_name.hpp"

namespace slabot {
namespace ssl = boost::asio::ssl;
using namespace http_internal;

BeastHttpClient::Impl::Impl(HttpClientOptions options_in)
    : options(std::move(options_in)),
      route(read_proxy_setting(options.https_proxy, options.no_proxy, "http client")),
      tls(make_client_tls_context(options.ca_file)),
      pool(options.max_idle_per_host, options.idle_timeout),
      work(io.get_executor()) {}

asio::awaitable<void> BeastHttpClient::Impl::sweep_loop() {
  // Closes idle connections when they expire, not only when their host is next used.
  const auto period = std::clamp<std::chrono::milliseconds>(options.idle_timeout / 2, std::chrono::milliseconds(50),
                                                            std::chrono::milliseconds(1000));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(period);
    beast::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (pool.stopped()) co_return;
    pool.sweep_idle();
  }
}

void BeastHttpClient::Impl::finished() {
  std::lock_guard lock(mutex);
  --in_flight;
  if (in_flight == 0) all_answered.notify_all();
}

BeastHttpClient::BeastHttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& impl = *impl_;
  asio::co_spawn(asio::make_strand(impl.io), impl.sweep_loop(), [](std::exception_ptr failure) {
    if (failure) spdlog::warn("http client: the idle-connection sweeper stopped");
  });
  const int thread_count = std::max(1, impl.options.threads);
  try {
    for (int i = 0; i < thread_count; ++i) {
      impl.threads.emplace_back([&io = impl.io] {
        for (;;) {
          try {
            io.run();
            return;
          } catch (const std::exception& e) {
            // Handlers catch their own failures; this is the last line of defence.
            spdlog::error("http client event loop: {}", e.what());
          }
        }
      });
      name_thread(impl.threads.back(), "http-client");
    }
  } catch (...) {
    // No destructor runs for a half-built client: stop the threads that did start.
    impl.io.stop();
    for (auto& thread : impl.threads) thread.join();
    throw;
  }
}

BeastHttpClient::~BeastHttpClient() {
  Impl& impl = *impl_;
  // Requests in flight end with "client stopped", on the client's threads as always.
  for (auto& connection : impl.pool.stop()) {
    const auto strand = connection->strand;
    asio::post(strand, [connection = std::move(connection)] { connection->cancel(); });
  }
  {
    std::unique_lock lock(impl.mutex);
    if (!impl.all_answered.wait_for(lock, impl.options.stop_wait, [&] { return impl.in_flight == 0; })) {
      spdlog::warn("http client: {} requests still unanswered at shutdown", impl.in_flight);
    }
  }
  impl.work.reset();
  impl.io.stop();
  for (auto& thread : impl.threads) thread.join();
  // The pool's references go now, while the io_context lives: a connection's socket must not
  // outlive it. Unfinished requests hold their own and release them as the io_context goes.
  impl.pool.forget_active();
}

void BeastHttpClient::send(OutboundRequest request, std::function<void(HttpResponse)> done) {
  Impl& impl = *impl_;
  const std::uint64_t id = ++impl.next_id;
  {
    std::lock_guard lock(impl.mutex);
    ++impl.in_flight;
  }
  // Each request's coroutine on its own strand; co_spawn posts, so `done` never runs inline.
  asio::co_spawn(asio::make_strand(impl.io), impl.perform(id, std::move(request)),
                 [&impl, id, done = std::move(done)](std::exception_ptr failure, HttpResponse response) mutable {
                   if (failure) {
                     response = no_answer({TransportFailure::internal, "internal error"});
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       spdlog::warn("http #{} failed: {}", id, e.what());
                       response.body = std::string("internal error: ") + e.what();
                     } catch (...) {
                       spdlog::warn("http #{} failed with a non-standard exception", id);
                     }
                   }
                   try {
                     if (done) done(std::move(response));
                   } catch (const std::exception& e) {
                     spdlog::error("http #{}: the completion callback threw: {}", id, e.what());
                   } catch (...) {
                     spdlog::error("http #{}: the completion callback threw", id);
                   }
                   impl.finished();
                 });
}

}  // namespace slabot
