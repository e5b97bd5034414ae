#pragma once
// The console's "HTTP client": the console adapter renders a message the bot starts as a PRINT
// request to console:<chat id>; this prints it instead of sending it, so the outbox, its order
// and its lanes work in the demo exactly as they do against a platform.
#include <functional>
#include <memory>
#include <string>

#include "bot/http/http_client.hpp"
#include "bot/work_queue.hpp"

namespace slabot {

class ConsolePrinter final : public HttpClient {
 public:
  using Print = std::function<void(const std::string& chat_id, const std::string& text)>;
  explicit ConsolePrinter(Print print) : print_(std::move(print)), thread_(std::make_unique<WorkQueue>(1)) {}
  ~ConsolePrinter() override { thread_.reset(); }  // prints what is in hand, then joins

  // PRINT console:<chat> prints the body and answers 200; anything else answers 400 (the
  // outbox marks it dead), as a platform refusing a request would.
  void send(OutboundRequest request, std::function<void(HttpResponse)> done) override;

 private:
  Print print_;
  std::unique_ptr<WorkQueue> thread_;  // answers on its own thread, never inline
};

}  // namespace slabot
