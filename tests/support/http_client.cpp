#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "adapters/crypto.hpp"

namespace slabot::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return {static_cast<int>(response.result_int()), response.body(), std::string(response[http::field::content_type])};
}

HttpResult post_generic(unsigned short port, const std::string& connection, const std::string& secret,
                        long long signed_at, const std::string& body) {
  const std::string timestamp = std::to_string(signed_at);
  const std::string signature = "sha256=" + hex_encode(hmac_sha256(secret, timestamp + "." + body));
  return http_request(
      port, "POST", "/hooks/" + connection,
      {{"Content-Type", "application/json"}, {"X-Slabot-Timestamp", timestamp}, {"X-Slabot-Signature", signature}},
      body);
}

}  // namespace slabot::testing
