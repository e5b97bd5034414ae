#include "bot/console_printer.hpp"

namespace slabot {

void ConsolePrinter::send(OutboundRequest request, std::function<void(HttpResponse)> done) {
  thread_->post([this, request = std::move(request), done = std::move(done)] {
    constexpr std::string_view kScheme = "console:";
    HttpResponse response;
    if (request.method == "PRINT" && request.url.starts_with(kScheme)) {
      print_(request.url.substr(kScheme.size()), request.body);
      response.status = 200;
    } else {
      response.status = 400;
      response.body = "the console prints only PRINT console:<chat> requests";
    }
    done(std::move(response));
  });
}

}  // namespace slabot
