// Every registered adapter's verify and parse (adapters/registry.hpp) on any request: what
// reaches /hooks/<connection> from the internet, signed or not. The router treats an exception
// from an adapter as a bug (webhook_router.cpp answers 500), so none may escape.
//
// Input: a request as text (request_text.hpp), naming the adapter; fixed connections in
// fuzz_connections.hpp. "wecom:sealed" and "lark:sealed" take a plaintext body and encrypt and
// sign it first (sealed_request.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/registry.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/fuzz_connections.hpp"
#include "fuzz/request_text.hpp"
#include "fuzz/sealed_request.hpp"

using namespace slabot;

namespace {

struct Subject {
  Connection connection;
  std::unique_ptr<ChatAdapter> adapter;
};

// SLABOT_FUZZ_SHOW=1: one line per input saying what verify and parse made of it, to check that a
// seed does what it is meant to (`build/fuzz/fuzz/fuzz_adapters fuzz/corpus/adapters/*`).
bool show = false;

void show_outcome(const std::string& adapter, const VerifyResult& verified, const ParseOutcome& parsed) {
  if (!show) return;
  const auto* refused = std::get_if<Rejected>(&verified);
  std::string parse_said = "parse: ";
  if (const auto* rejected = std::get_if<Rejected>(&parsed))
    parse_said += std::to_string(rejected->status) + " " + rejected->reason;
  if (const auto* answer = std::get_if<HttpAnswer>(&parsed)) parse_said += "answer " + std::to_string(answer->status);
  if (const auto* messages = std::get_if<ParsedMessages>(&parsed)) {
    parse_said += std::to_string(messages->messages.size()) + " message(s)";
    for (const auto& message : messages->messages) parse_said += " [" + message.chat_id + "] " + message.text;
  }
  std::fprintf(stderr, "%s: verify: %s; %s\n", adapter.c_str(),
               refused ? (std::to_string(refused->status) + " " + refused->reason).c_str() : "ok", parse_said.c_str());
}

std::map<std::string, Subject>& subjects() {
  static std::map<std::string, Subject> built;
  return built;
}

// What an adapter says back (a reason for the log, an answer's body) never holds a secret,
// unless the request itself carried it.
void check_no_secret(const Connection& connection, std::string_view said, std::string_view input) {
  for (const auto& [name, value] : connection.secrets) {
    if (value.size() >= 8 && input.find(value) == std::string_view::npos)
      FUZZ_CHECK(said.find(value) == std::string_view::npos);
  }
}

void check_rejected(const Rejected& rejected, const Connection& connection, std::string_view input) {
  FUZZ_CHECK(rejected.status >= 400 && rejected.status <= 499);
  FUZZ_CHECK(!rejected.reason.empty());
  check_no_secret(connection, rejected.reason, input);
}

// What the router does with each parsed message, short of the store: the reply route, the
// synchronous answer, and an outbound message back to the same chat (the outbox's render may
// throw a std::exception, which the outbox records as a dead message; nothing else).
void check_message(const Subject& subject, const InboundMessage& message, Timestamp now) {
  const ChatAdapter& adapter = *subject.adapter;
  FUZZ_CHECK(message.platform.empty() || message.platform == adapter.adapter_name());
  FUZZ_CHECK(!message.chat_id.empty());
  FUZZ_NO_THROW(adapter.reply_route(message));
  const HttpAnswer answer = FUZZ_NO_THROW(adapter.sync_reply(message, "#1 opened: " + message.text));
  FUZZ_CHECK(answer.status >= 200 && answer.status <= 299);
  // With buttons, and for a tap both the answer that acted and the refusal.
  for (const bool acted : {true, false}) {
    const Reply reply{"#1 opened: " + message.text, false, {{ActionKind::ack, 1}, {ActionKind::escalate, 1}}, acted};
    const HttpAnswer with_buttons = FUZZ_NO_THROW(adapter.sync_answer(message, reply));
    FUZZ_CHECK(with_buttons.status >= 200 && with_buttons.status <= 299);
  }
  try {
    OutboundMessage outbound{subject.connection.name,
                             message.chat_id,
                             message.text,
                             {{message.user_id, message.user_name}},
                             message.reply_url,
                             "0b9e2d52-6c1a-5d8e-9f3a-4b7c1d2e3f40"};
    adapter.render(outbound, now);
    outbound.actions = {{ActionKind::ack, 1}, {ActionKind::assign_to_me, 1}};
    outbound.tap = message.tap;
    adapter.render(outbound, now);
  } catch (const std::exception&) {}
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  show = std::getenv("SLABOT_FUZZ_SHOW") != nullptr;
  for (const std::string& name : known_adapters()) {
    auto connection = fuzz::fuzz_connection(name);
    if (!connection) {
      std::fprintf(stderr, "fuzz_adapters: adapter '%s' has no fixed connection in fuzz/fuzz_connections.hpp\n",
                   name.c_str());
      std::abort();
    }
    auto adapter = make_adapter(*connection);
    subjects().emplace(name, Subject{std::move(*connection), std::move(adapter)});
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = fuzz::read_fuzz_request(input);
  if (!request) return -1;  // not worth keeping in the corpus
  const bool sealed = request->adapter.ends_with(fuzz::kSealedSuffix);
  if (sealed) request->adapter.resize(request->adapter.size() - fuzz::kSealedSuffix.size());
  const auto found = subjects().find(request->adapter);
  if (found == subjects().end()) return -1;
  const Subject& subject = found->second;
  if (sealed && !fuzz::seal_request(*request, subject.connection)) return -1;

  // Both are run on every input, whatever verify says: parse must be safe on its own, and a
  // valid signature is rarely kept by a mutation.
  const VerifyResult verified = FUZZ_NO_THROW(subject.adapter->verify(request->request, request->now));
  if (const auto* rejected = std::get_if<Rejected>(&verified)) check_rejected(*rejected, subject.connection, input);
  FUZZ_CHECK(!sealed || std::holds_alternative<Verified>(verified));  // sealed as the platform does

  const ParseOutcome parsed = FUZZ_NO_THROW(subject.adapter->parse(request->request));
  if (const auto* rejected = std::get_if<Rejected>(&parsed)) check_rejected(*rejected, subject.connection, input);
  if (const auto* answer = std::get_if<HttpAnswer>(&parsed)) {
    FUZZ_CHECK(answer->status >= 200 && answer->status <= 299);
    check_no_secret(subject.connection, answer->body, input);
  }
  show_outcome(request->adapter, verified, parsed);
  if (const auto* messages = std::get_if<ParsedMessages>(&parsed)) {
    for (const auto& message : messages->messages) check_message(subject, message, request->now);
  }
  return 0;
}
