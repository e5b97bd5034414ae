#include "adapters/lark/lark_ws_frames.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/wire.hpp"
#include "lark_ws_frame.pb.h"  // generated from lark_ws_frame.proto at build time

namespace slabot {
namespace {

// A split message has at most this many parts: a bound on what one header can make us allocate
// (Lark splits at its frame size; real messages have a handful).
constexpr int max_parts = 256;

// The header's integer value as Go's Headers.GetInt reads it (strconv.Atoi), 0 when it is none.
int header_int(const LarkFrame& frame, std::string_view key) {
  const std::string& text = frame.header(key);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return 0;
  return value;
}

pbbp2::Frame to_proto(const LarkFrame& frame) {
  pbbp2::Frame out;
  out.set_seqid(frame.seq_id);
  out.set_logid(frame.log_id);
  out.set_service(frame.service);
  out.set_method(frame.method);
  for (const auto& [key, value] : frame.headers) {
    auto* header = out.add_headers();
    header->set_key(key);
    header->set_value(value);
  }
  // Go writes the optional strings always, the payload only when it has one.
  out.set_payload_encoding(frame.payload_encoding);
  out.set_payload_type(frame.payload_type);
  if (!frame.payload.empty()) out.set_payload(frame.payload);
  out.set_logidnew(frame.log_id_new);
  return out;
}

}  // namespace

const std::string& LarkFrame::header(std::string_view key) const {
  static const std::string absent;
  for (const auto& [name, value] : headers) {
    if (name == key) return value;
  }
  return absent;
}

std::optional<LarkFrame> read_lark_frame(const std::string& bytes, std::string& error) {
  pbbp2::Frame in;
  // Required fields missing make the frame no frame, as Go's Unmarshal has it. Checked here rather
  // than by ParseFromString, which would also write each refusal to stderr past our log.
  if (!in.ParsePartialFromString(bytes) || !in.IsInitialized()) {
    error = "not a Lark frame (protobuf pbbp2.Frame with SeqID, LogID, service and method)";
    return std::nullopt;
  }
  LarkFrame frame;
  frame.seq_id = in.seqid();
  frame.log_id = in.logid();
  frame.service = in.service();
  frame.method = in.method();
  frame.headers.reserve(static_cast<std::size_t>(in.headers_size()));
  for (const auto& header : in.headers()) frame.headers.emplace_back(header.key(), header.value());
  frame.payload_encoding = in.payload_encoding();
  frame.payload_type = in.payload_type();
  frame.payload = in.payload();
  frame.log_id_new = in.logidnew();
  return frame;
}

std::string lark_frame_bytes(const LarkFrame& frame) { return to_proto(frame).SerializeAsString(); }

std::string lark_ping(std::int32_t service_id) {
  LarkFrame ping;
  ping.service = service_id;
  ping.method = lark_control_frame;
  ping.headers = {{"type", "ping"}};
  return lark_frame_bytes(ping);
}

std::string lark_ack(const LarkFrame& frame, std::chrono::milliseconds handled_in,
                     const std::optional<std::string>& result) {
  LarkFrame ack = frame;
  ack.headers.emplace_back("biz_rt", std::to_string(handled_in.count()));
  // Go's ws.Response{StatusCode, Headers, Data} as encoding/json writes it: Data is a []byte, which
  // encoding/json writes as base64 (the Python SDK base64-encodes it by hand).
  ack.payload = result ? dump_json({{"code", 200}, {"headers", nullptr}, {"data", base64_encode(*result)}})
                       : R"({"code":200,"headers":null,"data":null})";
  return lark_frame_bytes(ack);
}

std::optional<std::chrono::seconds> lark_ping_interval(const std::string& client_config_json) {
  const auto config = parse_json(client_config_json);
  if (!config.is_object()) return std::nullopt;
  const auto found = config.find("PingInterval");
  if (found == config.end() || !found->is_number_integer()) return std::nullopt;
  const auto seconds = found->get<std::int64_t>();
  // A day at most: a wrong value must not silence the heartbeat for good.
  if (seconds <= 0) return std::nullopt;
  return std::chrono::seconds(std::min<std::int64_t>(seconds, 24 * 3600));
}

LarkFragments::Added LarkFragments::add(const LarkFrame& frame) {
  const int sum = header_int(frame, "sum");
  if (sum <= 1) return Added{frame.payload, ""};  // whole, as Go reads an absent or bad sum
  if (sum > max_parts)
    return Added{std::nullopt, "sum " + std::to_string(sum) + " is over " + std::to_string(max_parts)};
  const int seq = header_int(frame, "seq");
  if (seq < 0 || seq >= sum) {
    return Added{std::nullopt, "seq " + std::to_string(seq) + " is not a part of " + std::to_string(sum)};
  }
  const std::string& id = frame.header("message_id");
  if (id.empty()) return Added{std::nullopt, "a split message without message_id"};

  auto found = by_id_.find(id);
  if (found != by_id_.end() && found->second.parts.size() != static_cast<std::size_t>(sum)) {
    // The same id split another way: start again from this part.
    for (const auto& part : found->second.parts) bytes_ -= part ? part->size() : 0;
    by_id_.erase(found);
    found = by_id_.end();
  }
  if (found == by_id_.end()) {
    found = by_id_.emplace(id, Parts{std::vector<std::optional<std::string>>(static_cast<std::size_t>(sum)), 0}).first;
  }
  Parts& message = found->second;
  message.arrival = ++arrivals_;
  auto& slot = message.parts[static_cast<std::size_t>(seq)];
  if (slot) bytes_ -= slot->size();
  slot = frame.payload;
  bytes_ += frame.payload.size();

  bool complete = true;
  std::size_t size = 0;
  for (const auto& part : message.parts) {
    complete = complete && part.has_value();
    size += part ? part->size() : 0;
  }
  if (complete) {
    std::string whole;
    whole.reserve(size);
    for (const auto& part : message.parts) whole += *part;
    bytes_ -= size;
    by_id_.erase(found);
    return Added{std::move(whole), ""};
  }
  while (by_id_.size() > max_pending_ || bytes_ > max_bytes_) drop_oldest();
  return Added{std::nullopt, ""};
}

void LarkFragments::drop_oldest() {
  auto oldest = by_id_.begin();
  for (auto it = by_id_.begin(); it != by_id_.end(); ++it) {
    if (it->second.arrival < oldest->second.arrival) oldest = it;
  }
  for (const auto& part : oldest->second.parts) bytes_ -= part ? part->size() : 0;
  by_id_.erase(oldest);
}

void LarkFragments::clear() {
  by_id_.clear();
  bytes_ = 0;
}

}  // namespace slabot
