#pragma once
// Plain HTTP request/answer values, so adapters stay free of Beast and Asio headers.
#include <map>
#include <string>

namespace slabot {

struct HttpRequest {
  std::string method;  // "POST", "GET"
  std::string target;  // path and query, as received
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;    // the raw bytes, as signed

  // The header's value, or "" when absent; `name` must be lower-case.
  const std::string& header(const std::string& name) const;
};

struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// A platform's answer to a request the bot sent.
struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

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
