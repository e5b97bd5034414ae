#pragma once
// Plain HTTP request/answer values, so adapters stay free of Beast and Asio headers.
#include <map>
#include <string>
#include <string_view>

namespace slabot {

struct HttpRequest {
  std::string method;                          // "POST", "GET"
  std::string target;                          // path and query, as received
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // the raw bytes, as signed

  // The header's value, or "" when absent; `name` must be lower-case.
  const std::string& header(const std::string& name) const;
};

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// Why a request the bot sent got no answer. Every kind but `bad_request` may pass (the outbox
// retries them until outbox.max_age); `bad_request` never will: the URL, method or a header
// cannot be sent at all.
enum class TransportFailure {
  none,             // an answer came: `status` is the platform's
  bad_request,      // a URL that is not an absolute http(s) URL, a bad header: never sendable
  resolve,          // the host name did not resolve (DNS)
  connect,          // refused, unreachable, or reset while connecting
  proxy,            // the HTTPS proxy refused or broke the CONNECT tunnel
  tls,              // the TLS handshake failed, e.g. a certificate that does not verify
  timeout,          // a step or the whole request outlasted its deadline
  connection_lost,  // the connection broke while the request was sent or the answer read
  too_large,        // the answer's header or body exceeds the client's limit
  malformed,        // the answer is not HTTP/1.1
  stopped,          // the client stopped (shutdown) before an answer came
  internal,         // a bug in the client; logged with the details
};
// "DNS", "connect", "TLS", "timeout", ...: the words before a failure's reason.
std::string_view transport_failure_name(TransportFailure failure);

// A platform's answer to a request the bot sent.
struct HttpResponse {
  int status = 0;                              // 0: no answer; `failure` says why and `body` says it in words
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  TransportFailure failure = TransportFailure::none;

  const std::string& header(const std::string& name) const;
};

// A request the bot sends to a platform.
struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
};

}  // namespace slabot
