#pragma once
// Lark's (Feishu's) long connection frames, without a network: reading a frame the gateway sent,
// the ping the client sends, the ack that answers a data frame, and putting a split payload back
// together. The session that drives them is bot/stream/lark_stream_session; the endpoint call that
// opens the connection is lark_ws_endpoint.hpp.
//
// From Lark's own SDKs (larksuite/oapi-sdk-go ws/pbbp2.pb.go, ws/client.go, ws/model.go,
// ws/const.go; larksuite/oapi-sdk-python lark_oapi/ws/client.py), as docs/stream-protocols.md
// section 5 records them:
//   frame:  binary WebSocket messages, each one protobuf (proto2) `pbbp2.Frame` (lark_ws_frame.proto):
//           SeqID, LogID, service, method (0 control, 1 data), headers [key, value], payload, ...
//   ping:   the client, every PingInterval: control frame, service = the URL's service_id,
//           header type=ping. The gateway answers type=pong, its payload empty or the ClientConfig
//           JSON ({"PingInterval": seconds, ...}) the client is to use from then on.
//   data:   headers type (event | card), message_id, sum (fragments, 1 when whole), seq (0-based),
//           trace_id; payload: the event's JSON, exactly the webhook's (decrypted) body.
//   ack:    the data frame sent back as it came, with a header biz_rt (ms spent handling it) and
//           payload {"code":200,"headers":null,"data":null} (Go's Response; 500 on a failure).
//           Only the fragment that completes a message is answered.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slabot {

inline constexpr std::int32_t lark_control_frame = 0;
inline constexpr std::int32_t lark_data_frame = 1;

struct LarkFrame {
  std::uint64_t seq_id = 0;
  std::uint64_t log_id = 0;
  std::int32_t service = 0;
  std::int32_t method = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, repeats kept
  std::string payload_encoding;
  std::string payload_type;
  std::string payload;
  std::string log_id_new;

  // The first header `key`'s value, "" when absent.
  const std::string& header(std::string_view key) const;
};

// The frame in `bytes`, or nullopt with `error` set when they are not one (not protobuf, or a
// required field missing, as Lark's SDK refuses them).
std::optional<LarkFrame> read_lark_frame(const std::string& bytes, std::string& error);
// The frame as the gateway reads it.
std::string lark_frame_bytes(const LarkFrame& frame);

// The client's ping for the connection's service_id.
std::string lark_ping(std::int32_t service_id);
// The answer to data frame `frame` (the one that completed its message), handled in `handled_in`;
// with `result`, a callback's answer (a card tap's toast and card), which goes as the SDKs return a
// handler's result: base64 of its JSON, in the answer's "data".
std::string lark_ack(const LarkFrame& frame, std::chrono::milliseconds handled_in,
                     const std::optional<std::string>& result = std::nullopt);

// What a pong's payload (or the endpoint's ClientConfig) says of the ping interval; nullopt when it
// does not say (an empty payload, or no positive PingInterval in it).
std::optional<std::chrono::seconds> lark_ping_interval(const std::string& client_config_json);

// Data frames' payloads, put back together by message_id when Lark splits one (sum > 1). Bounded:
// at most `max_pending` messages and `max_bytes` in all are kept waiting; beyond either the
// oldest waiting message is dropped (Lark's SDK drops a partial message after 5 s; unacknowledged,
// it is pushed again).
class LarkFragments {
 public:
  explicit LarkFragments(std::size_t max_pending = 16, std::size_t max_bytes = 4 << 20)
      : max_pending_(max_pending), max_bytes_(max_bytes) {}

  struct Added {
    std::optional<std::string> payload;  // the whole payload, once `frame` completed it
    std::string error;                   // why the frame was dropped (bad sum, seq or message_id)
  };
  // A data frame: its payload at once when it is whole (sum 1 or absent), else kept until its
  // message's every part came.
  Added add(const LarkFrame& frame);
  // Forgets every waiting message (a new connection).
  void clear();
  std::size_t pending() const { return by_id_.size(); }

 private:
  struct Parts {
    std::vector<std::optional<std::string>> parts;
    std::uint64_t arrival = 0;  // for dropping the oldest
  };
  void drop_oldest();

  std::size_t max_pending_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t arrivals_ = 0;
  std::map<std::string, Parts> by_id_;
};

}  // namespace slabot
