// Lark's long connection without a network: frames read and written as Lark's SDK writes them
// (the bytes below are the protobuf encoding of pbbp2.Frame written out by hand from the schema,
// field by field, as larksuite/oapi-sdk-go's MarshalToSizedBuffer lays them out), the ack, the
// ping, split payloads, the endpoint call, and the Lark adapter reading a pushed event.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/lark/lark_adapter.hpp"
#include "adapters/lark/lark_ws_endpoint.hpp"
#include "adapters/lark/lark_ws_frames.hpp"

using namespace slabot;
using nlohmann::json;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int value : values) out.push_back(static_cast<char>(value));
  return out;
}

// A length-delimited field: tag, length, content.
std::string field(int tag, const std::string& content) {
  return bytes({tag, static_cast<int>(content.size())}) + content;
}

std::string header_bytes(const std::string& key, const std::string& value) {
  return field(0x2a, field(0x0a, key) + field(0x12, value));
}

LarkFrame data_frame(const std::string& message_id, const std::string& sum, const std::string& seq,
                     const std::string& payload) {
  LarkFrame frame;
  frame.seq_id = 3;
  frame.log_id = 4;
  frame.service = 7;
  frame.method = lark_data_frame;
  frame.headers = {{"type", "event"}, {"message_id", message_id}, {"sum", sum}, {"seq", seq}, {"trace_id", "t1"}};
  frame.payload = payload;
  return frame;
}

HttpResponse answer(int status, const json& body) { return HttpResponse{status, {}, body.dump()}; }

}  // namespace

TEST_CASE("lark ws frames: the ping is the SDK's NewPingFrame, byte for byte", "[lark][stream]") {
  // SeqID 0, LogID 0, service 7, method 0 (written even when zero), header type=ping, then
  // payload_encoding, payload_type and LogIDNew empty (Go writes them), no payload.
  const std::string expected = bytes({0x08, 0x00, 0x10, 0x00, 0x18, 0x07, 0x20, 0x00}) + header_bytes("type", "ping") +
                               bytes({0x32, 0x00, 0x3a, 0x00, 0x4a, 0x00});
  CHECK(lark_ping(7) == expected);
}

TEST_CASE("lark ws frames: a data frame as Lark's gateway writes it reads field by field", "[lark][stream]") {
  const std::string payload = R"({"schema":"2.0"})";
  // SeqID 300 (a two-byte varint), LogID 5, service 7, method 1, headers, payload 8, LogIDNew.
  const std::string wire = bytes({0x08, 0xac, 0x02, 0x10, 0x05, 0x18, 0x07, 0x20, 0x01}) +
                           header_bytes("type", "event") + header_bytes("message_id", "m-1") +
                           header_bytes("sum", "1") + header_bytes("seq", "0") + field(0x32, "") + field(0x3a, "") +
                           field(0x42, payload) + field(0x4a, "log-new");
  std::string error;
  const auto frame = read_lark_frame(wire, error);
  REQUIRE(frame);
  CHECK(frame->seq_id == 300);
  CHECK(frame->log_id == 5);
  CHECK(frame->service == 7);
  CHECK(frame->method == lark_data_frame);
  CHECK(frame->header("type") == "event");
  CHECK(frame->header("message_id") == "m-1");
  CHECK(frame->header("absent").empty());
  CHECK(frame->payload == payload);
  CHECK(frame->log_id_new == "log-new");
  // Written back, it is the same bytes.
  CHECK(lark_frame_bytes(*frame) == wire);
}

TEST_CASE("lark ws frames: bytes that are not a whole frame are refused with a reason", "[lark][stream]") {
  std::string error;
  CHECK_FALSE(read_lark_frame("not protobuf at all", error));
  CHECK(error.find("not a Lark frame") == 0);
  // SeqID and LogID but no service or method: required fields missing, as the SDK refuses.
  error.clear();
  CHECK_FALSE(read_lark_frame(bytes({0x08, 0x01, 0x10, 0x02}), error));
  CHECK_FALSE(error.empty());
  // A header without its value.
  CHECK_FALSE(
      read_lark_frame(bytes({0x08, 0x00, 0x10, 0x00, 0x18, 0x00, 0x20, 0x00}) + field(0x2a, field(0x0a, "k")), error));
  CHECK(read_lark_frame(bytes({0x08, 0x00, 0x10, 0x00, 0x18, 0x00, 0x20, 0x00}), error));
}

TEST_CASE("lark ws frames: the ack is the frame sent back with biz_rt and code 200", "[lark][stream]") {
  const LarkFrame pushed = data_frame("m-1", "1", "0", R"({"schema":"2.0","event":{}})");
  std::string error;
  const auto ack = read_lark_frame(lark_ack(pushed, std::chrono::milliseconds(12)), error);
  REQUIRE(ack);
  CHECK(ack->seq_id == 3);
  CHECK(ack->log_id == 4);
  CHECK(ack->service == 7);
  CHECK(ack->method == lark_data_frame);
  CHECK(ack->header("message_id") == "m-1");
  CHECK(ack->header("trace_id") == "t1");
  CHECK(ack->header("biz_rt") == "12");
  CHECK(ack->headers.size() == pushed.headers.size() + 1);
  CHECK(json::parse(ack->payload) == json{{"code", 200}, {"headers", nullptr}, {"data", nullptr}});
}

TEST_CASE("lark ws frames: a pong's ClientConfig gives the ping interval, anything else none", "[lark][stream]") {
  CHECK(lark_ping_interval(R"({"ReconnectCount":-1,"ReconnectInterval":120,"ReconnectNonce":30,"PingInterval":90})") ==
        std::chrono::seconds(90));
  CHECK_FALSE(lark_ping_interval(""));
  CHECK_FALSE(lark_ping_interval("[]"));
  CHECK_FALSE(lark_ping_interval(R"({"PingInterval":0})"));
  CHECK_FALSE(lark_ping_interval(R"({"PingInterval":-5})"));
  CHECK_FALSE(lark_ping_interval(R"({"PingInterval":"90"})"));
  CHECK(lark_ping_interval(R"({"PingInterval":99999999})") == std::chrono::hours(24));
}

TEST_CASE("lark ws frames: a split payload comes back whole once every part came, in any order", "[lark][stream]") {
  LarkFragments fragments;
  CHECK(fragments.add(data_frame("m-1", "1", "0", "whole")).payload == "whole");
  // Unsplit as Go reads it: sum absent or not a number.
  LarkFrame bare = data_frame("m-0", "", "", "bare");
  CHECK(fragments.add(bare).payload == "bare");

  auto added = fragments.add(data_frame("m-2", "3", "2", "C"));
  CHECK_FALSE(added.payload);
  CHECK(added.error.empty());
  CHECK_FALSE(fragments.add(data_frame("m-2", "3", "0", "A")).payload);
  // Another message's part in between, and part 0 again (a re-push): kept apart, replaced.
  CHECK_FALSE(fragments.add(data_frame("m-3", "2", "0", "x")).payload);
  CHECK_FALSE(fragments.add(data_frame("m-2", "3", "0", "A")).payload);
  CHECK(fragments.pending() == 2);
  CHECK(fragments.add(data_frame("m-2", "3", "1", "B")).payload == "ABC");
  CHECK(fragments.pending() == 1);
  fragments.clear();
  CHECK(fragments.pending() == 0);
  CHECK_FALSE(fragments.add(data_frame("m-3", "2", "1", "y")).payload);  // its part 0 went with clear()
}

TEST_CASE("lark ws frames: parts with a bad seq, sum or id are dropped with a reason", "[lark][stream]") {
  LarkFragments fragments;
  for (const auto& [sum, seq] :
       std::vector<std::pair<std::string, std::string>>{{"2", "2"}, {"2", "-1"}, {"257", "0"}}) {
    const auto added = fragments.add(data_frame("m-1", sum, seq, "x"));
    CHECK_FALSE(added.payload);
    CHECK_FALSE(added.error.empty());
  }
  CHECK_FALSE(fragments.add(data_frame("", "2", "0", "x")).error.empty());
  CHECK(fragments.pending() == 0);
  // The same id split another way starts again from the new part.
  CHECK_FALSE(fragments.add(data_frame("m-2", "3", "0", "old")).payload);
  CHECK_FALSE(fragments.add(data_frame("m-2", "2", "1", "B")).payload);
  CHECK(fragments.add(data_frame("m-2", "2", "0", "A")).payload == "AB");
}

TEST_CASE("lark ws frames: waiting parts are bounded; the oldest message goes first", "[lark][stream]") {
  LarkFragments fragments(/*max_pending=*/2, /*max_bytes=*/10);
  CHECK_FALSE(fragments.add(data_frame("a", "2", "0", "1")).payload);
  CHECK_FALSE(fragments.add(data_frame("b", "2", "0", "2")).payload);
  CHECK_FALSE(fragments.add(data_frame("c", "2", "0", "3")).payload);  // "a" dropped
  CHECK(fragments.pending() == 2);
  CHECK_FALSE(fragments.add(data_frame("a", "2", "1", "x")).payload);  // starts "a" again, drops "b"
  CHECK(fragments.add(data_frame("c", "2", "1", "4")).payload == "34");
  // Bytes: over the bound, the oldest goes ("a"), then the part itself, bigger than the bound.
  CHECK_FALSE(fragments.add(data_frame("d", "2", "0", "0123456789ab")).payload);
  CHECK(fragments.pending() == 0);
  CHECK_FALSE(fragments.add(data_frame("d", "2", "1", "z")).payload);
}

TEST_CASE("lark ws endpoint: the request is the SDK's, and an answer gives URL, service and ping", "[lark][stream]") {
  const auto request = lark_endpoint_request("https://open.larksuite.com", "cli_a", "s3cret");
  CHECK(request.method == "POST");
  CHECK(request.url == "https://open.larksuite.com/callback/ws/endpoint");
  CHECK(request.headers.at("Content-Type") == "application/json");
  CHECK(json::parse(request.body) == json{{"AppID", "cli_a"}, {"AppSecret", "s3cret"}});

  const std::string url = "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&aid=552564&device_id=dev-9&service_id=33554678";
  const auto read = read_lark_endpoint(answer(
      200, {{"code", 0},
            {"msg", "ok"},
            {"data",
             {{"URL", url},
              {"ClientConfig",
               {{"ReconnectCount", -1}, {"ReconnectInterval", 120}, {"ReconnectNonce", 30}, {"PingInterval", 60}}}}}}));
  const auto* endpoint = std::get_if<LarkEndpoint>(&read);
  REQUIRE(endpoint);
  CHECK(endpoint->url == url);
  CHECK(endpoint->service_id == 33554678);
  CHECK(endpoint->device_id == "dev-9");
  CHECK(endpoint->ping_every == std::chrono::seconds(60));
}

TEST_CASE("lark ws endpoint: Lark's refusals say whether the credentials are at fault", "[lark][stream]") {
  const auto refused = [](const HttpResponse& response) {
    const auto read = read_lark_endpoint(response);
    const auto* out = std::get_if<LarkEndpointRefused>(&read);
    REQUIRE(out);
    return *out;
  };
  // A client error code (514 auth failed; any code but Lark's own trouble): the credentials.
  auto out = refused(answer(200, {{"code", 514}, {"msg", "auth failed"}}));
  CHECK(out.credentials);
  CHECK(out.reason == "Lark code 514 auth failed");
  CHECK(refused(answer(200, {{"code", 1000040350}, {"msg", "exceed conn limit"}})).credentials);
  // System busy, an internal error, an HTTP error, no answer: Lark's trouble, try again.
  CHECK_FALSE(refused(answer(200, {{"code", 1}, {"msg", "system busy"}})).credentials);
  CHECK_FALSE(refused(answer(200, {{"code", 1000040343}})).credentials);
  out = refused(answer(502, {{"msg", "bad gateway"}}));
  CHECK_FALSE(out.credentials);
  CHECK(out.reason == "HTTP 502 bad gateway");
  CHECK_FALSE(refused(HttpResponse{0, {}, "connect: refused"}).credentials);
  // Answers that are not an endpoint.
  CHECK(refused(HttpResponse{200, {}, "<html>"}).reason == "the endpoint answer is not a JSON object");
  CHECK(refused(answer(200, {{"msg", "ok"}})).reason == "the endpoint answer has no code");
  CHECK(refused(answer(200, {{"code", 0}, {"data", {{"URL", "https://x"}}}})).reason ==
        "the endpoint answer has no wss:// URL");
  // Without a service_id the pings go to service 0, as the SDK's ParseInt leaves it.
  const auto read = read_lark_endpoint(answer(200, {{"code", 0}, {"data", {{"URL", "wss://x/ws"}}}}));
  REQUIRE(std::get_if<LarkEndpoint>(&read));
  CHECK(std::get<LarkEndpoint>(read).service_id == 0);
  CHECK_FALSE(std::get<LarkEndpoint>(read).ping_every);
}

TEST_CASE("lark adapter in stream mode: a pushed event parses without a token; no HTTP callback verifies",
          "[lark][stream]") {
  Connection connection{"lk", "lark", {{"app_id", "cli_a"}, {"app_secret", "s"}}, ""};
  connection.mode = ConnectionMode::stream;
  const LarkAdapter adapter(connection);  // no verification_token needed
  const json event = {
      {"schema", "2.0"},
      {"header", {{"event_id", "ev-1"}, {"event_type", "im.message.receive_v1"}, {"app_id", "cli_a"}}},
      {"event",
       {{"sender", {{"sender_id", {{"open_id", "ou_pat"}}}, {"sender_type", "user"}}},
        {"message",
         {{"chat_id", "oc_group"},
          {"message_type", "text"},
          {"content", R"({"text":"@_user_1 /ticket open P2 login fails"})"},
          {"mentions", {{{"key", "@_user_1"}, {"name", "slabot"}, {"id", {{"open_id", "ou_bot"}}}}}}}}}}};
  HttpRequest pushed;
  pushed.body = event.dump();
  const auto parsed = adapter.parse(pushed);
  const auto* messages = std::get_if<ParsedMessages>(&parsed);
  REQUIRE(messages);
  REQUIRE(messages->messages.size() == 1);
  CHECK(messages->messages[0].event_id == "ev-1");
  CHECK(messages->messages[0].user_id == "ou_pat");
  CHECK(messages->messages[0].chat_id == "oc_group");
  CHECK(messages->messages[0].text == "/ticket open P2 login fails");
  // A URL check has no meaning on the socket, and a malformed event is refused as by webhook.
  pushed.body = R"({"type":"url_verification","challenge":"c","token":"t"})";
  CHECK(std::holds_alternative<Rejected>(adapter.parse(pushed)));
  pushed.body = "not json";
  CHECK(std::holds_alternative<Rejected>(adapter.parse(pushed)));
  const auto verified = adapter.verify(pushed, from_unix_ms(0));
  REQUIRE(std::holds_alternative<Rejected>(verified));
  CHECK(std::get<Rejected>(verified).status == 401);
  CHECK(LarkAdapter::mode_of(connection).find("stream mode") == 0);
}
