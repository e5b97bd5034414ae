#pragma once
// A scripted HTTP(S) server on loopback, standing in for an IM platform in tests: it serves TLS
// with a certificate the test provides (see test_ca.hpp) or plain HTTP, records every request it
// gets, and answers from a script (status, headers, body, a delay, or closing without an
// answer). Its own thread; Beast stays in the .cpp.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_ca.hpp"

namespace slabot::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::size_t connection = 0;  // which accepted connection carried it: 1, 2, ...

  // The header's value or "" when absent; `name` lower-case.
  std::string header(const std::string& name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given, repeats allowed
  std::string body;
  std::chrono::milliseconds delay{0};  // waited before answering; other connections go on
  bool close_without_answer = false;   // read the request, then close the connection
  bool close_after = false;            // answer, then close (no "Connection: close" sent)
};

struct FakePeerOptions {
  bool tls = true;
  TestCertificate certificate;  // served when `tls`
  std::string address = "127.0.0.1";
};

class FakeHttpsPeer {
 public:
  // Listening on `address`, port chosen by the system, when the constructor returns.
  explicit FakeHttpsPeer(FakePeerOptions options);
  ~FakeHttpsPeer();
  FakeHttpsPeer(const FakeHttpsPeer&) = delete;
  FakeHttpsPeer& operator=(const FakeHttpsPeer&) = delete;

  unsigned short port() const;
  // "https://<host>:<port><target>" (http:// in plain mode).
  std::string url(const std::string& target, const std::string& host = "127.0.0.1") const;

  // Every request whose path (the target without its query) is `path` gets `response`.
  void on(const std::string& path, ScriptedResponse response);
  // Requests no on() matches take these one by one, in order; then 200 with an empty body.
  void enqueue(ScriptedResponse response);

  std::vector<RecordedRequest> requests() const;
  // True once at least `count` requests arrived, false after `timeout`.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
  std::size_t connections_accepted() const;
  std::size_t connections_open() const;   // accepted and not yet closed by either side
  std::size_t handshakes_failed() const;  // TLS handshakes that failed, e.g. the client refused

  // Closes every open connection once it is idle (waiting for its next request, any answer
  // in progress written first), as a server's keep-alive timeout does; returns once they are
  // closed.
  void close_idle_connections();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slabot::testing
