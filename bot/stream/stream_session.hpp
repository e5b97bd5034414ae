#pragma once
// One outbound connection to a platform (DingTalk Stream mode, Slack Socket Mode, Telegram
// getUpdates, ...), as the supervisor sees it: an attempt that runs until the connection ends,
// says why it ended, and can be told to stop from another thread. The supervisor (one per
// process) owns the reconnect policy, backoff and jitter, the state shown in logs and /healthz;
// each platform's session owns only its protocol. Messages a session receives go to the same
// MessageHandler (dispatcher, dedup, outbox) as webhooks do.
#include <chrono>
#include <string>
#include <string_view>

namespace slabot {

// What /healthz and the logs show per stream connection.
enum class StreamState { connecting, live, backing_off, stopped };

// Why one attempt ended, which decides what the supervisor does next.
struct SessionEnd {
  enum class Kind {
    dropped,  // the connection ended (closed, reset, timed out, told to reconnect): try again with backoff
    refused,  // the platform refused our credentials or configuration: retry only slowly, and say so loudly
    stopped,  // stop() was called: do not reconnect
  };
  Kind kind = Kind::dropped;
  std::string reason;                        // for the log and /healthz; never a secret
  std::chrono::milliseconds retry_after{0};  // a wait the platform asked for (e.g. HTTP 429), if any
  // True when the attempt went live (so the supervisor resets its backoff to the first step).
  bool was_live = false;
  // The platform asked the client to move to a fresh connection (Slack's disconnect
  // refresh_requested, DingTalk's SYSTEM disconnect): the next attempt starts at once, no backoff.
  bool reconnect_now = false;
};

// Told by a session as its attempt progresses (connecting, then live), from the session's thread.
class StreamReport {
 public:
  virtual ~StreamReport() = default;
  virtual void state(StreamState state, std::string_view detail) = 0;
};

class StreamSession {
 public:
  virtual ~StreamSession() = default;
  // The connection's name in the config (connections[].name).
  virtual const std::string& connection_name() const = 0;
  // One attempt: connects, serves until the connection ends, returns why. Blocks the calling
  // (supervisor's) thread. Must return promptly, with Kind::stopped, once stop() is called.
  virtual SessionEnd run_once(StreamReport& report) = 0;
  // Safe from any thread, more than once; ends the attempt in progress and every later one.
  virtual void stop() = 0;
};

}  // namespace slabot
