#pragma once
// Telegram long polling as a stream connection: getUpdates in a loop, each update handed to the
// same MessageHandler (dispatcher, dedup, outbox) as a webhook's, answered through the outbox.
//
// Nothing is lost and nothing is answered twice:
//   - an update is confirmed to Telegram (the next getUpdates' offset passes it) and the stored
//     cursor moves past it only after the handler said its answer is durable (done()). A crash,
//     an outage or a stop before that leaves it unconfirmed: Telegram hands it out again, and
//     the dispatcher's dedup (update_id) answers it once.
//   - a restart polls from the stored cursor (Store::stream_cursor).
//   - an update the bot cannot read is logged with the reason and passed over: it would
//     otherwise come back forever and block every update behind it.
//   - an answer that is not the Bot API's (a proxy's page, a cut-off body) confirms nothing.
// The request holds the token in its URL: it is never logged.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bot/http/http_client.hpp"
#include "bot/message_handler.hpp"
#include "bot/stream/stream_session.hpp"
#include "config/config.hpp"
#include "domain/clock.hpp"
#include "storage/store.hpp"

namespace slabot {

struct TelegramSessionOptions {
  // How long Telegram holds a getUpdates open when nothing is new.
  std::chrono::seconds poll_timeout{25};
  // Proxy and CA as for every outbound call; the read and total timeouts are raised past
  // poll_timeout, or every quiet poll would end as a timeout.
  HttpClientOptions http;
};

class TelegramSession final : public StreamSession {
 public:
  // `connection`: a telegram connection (bot_token; stream_url, bot_username optional).
  // `handler`, `store` and `clock` must outlive the session. Throws std::invalid_argument when
  // the connection has no bot_token.
  TelegramSession(const Connection& connection, MessageHandler& handler, Store& store, const Clock& clock,
                  TelegramSessionOptions options = {});
  ~TelegramSession() override;

  const std::string& connection_name() const override { return name_; }
  // Polls until Telegram refuses (409 webhook set, 401 bad token), asks to wait (429), fails to
  // answer, or stop() is called.
  SessionEnd run_once(StreamReport& report) override;
  // Ends a long poll or a wait for the handler at once (the request is cancelled, its socket
  // closed); what was not yet durable stays unconfirmed.
  void stop() override;

 private:
  struct Shared;

  bool is_stopped() const;
  // The handler's reply to one message, or nullopt when stop() came first.
  std::optional<BotReply> handle_and_wait(InboundMessage message);
  // Stores the cursor; false when the write failed or stop() came first.
  bool save_cursor(std::int64_t cursor);

  std::string name_;
  std::string bot_username_;
  std::string get_updates_url_;      // holds the token
  std::string answer_callback_url_;  // holds the token
  MessageHandler& handler_;
  Store& store_;
  const Clock& clock_;
  TelegramSessionOptions options_;
  std::shared_ptr<Shared> shared_;  // also held by callbacks that may outlive an attempt
};

}  // namespace slabot
