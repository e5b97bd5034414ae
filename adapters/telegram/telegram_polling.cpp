#include "adapters/telegram/telegram_polling.hpp"

#include <algorithm>
#include <limits>

#include "adapters/telegram/telegram_html.hpp"
#include "adapters/telegram/telegram_update.hpp"
#include "adapters/wire.hpp"

namespace slabot::telegram {
namespace {

using nlohmann::json;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// "Telegram 409: Conflict: ...", the description cut short (it is the platform's text).
std::string error_words(int code, const json& body) {
  std::string words = "Telegram " + std::to_string(code);
  if (const std::string description = json_string(body, "description"); !description.empty()) {
    words += ": " + truncate_utf16(description, 200);
  }
  return words;
}

PollAnswer read_failure(int code, const json& body) {
  const std::string words = error_words(code, body);
  if (code == 409) {
    // Both conflicts need the operator: polling cannot work until the webhook is deleted or the
    // other poller stops, and retrying fast would only fight it.
    if (contains(words, "webhook")) {
      return PollRefused{words +
                         " (a webhook is set for this bot: call deleteWebhook, or give the connection "
                         "\"mode\": \"webhook\")"};
    }
    return PollRefused{words + " (another program polls this bot's token: run one slabot per bot)"};
  }
  if (code == 401 || code == 404) {
    return PollRefused{words + " (the bot_token is wrong or revoked: take the current one from @BotFather)"};
  }
  if (code == 429) {
    std::chrono::seconds wait{0};
    if (const auto parameters = body.find("parameters"); parameters != body.end() && parameters->is_object()) {
      if (const auto after = parameters->find("retry_after");
          after != parameters->end() && after->is_number_integer() && after->get<std::int64_t>() > 0) {
        wait = std::chrono::seconds(after->get<std::int64_t>());
      }
    }
    return PollThrottled{wait, words};
  }
  if (code == 400 || code == 403) return PollRefused{words};  // our request or the bot itself is wrong
  return PollFailed{words};
}

}  // namespace

std::string method_url(std::string_view base, const std::string& token, std::string_view method) {
  std::string url(base.empty() ? default_api_base : base);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/bot" + token + "/" + std::string(method);
}

OutboundRequest get_updates_request(const std::string& url, const GetUpdates& parameters) {
  json body = {{"timeout", parameters.timeout.count()}, {"allowed_updates", {"message", "callback_query"}}};
  if (parameters.offset) body["offset"] = *parameters.offset;
  OutboundRequest request;
  request.method = "POST";
  request.url = url;
  request.headers["Content-Type"] = "application/json";
  request.body = dump_json(body);
  return request;
}

OutboundRequest answer_callback_request(const std::string& url, const std::string& query_id) {
  OutboundRequest request;
  request.method = "POST";
  request.url = url;
  request.headers["Content-Type"] = "application/json";
  request.body = dump_json({{"callback_query_id", query_id}});
  return request;
}

PollAnswer read_get_updates(const HttpResponse& response) {
  if (response.status == 0) {
    // The client's words name the host and port, never the URL's path, which holds the token.
    std::string words = "no answer from Telegram (" + std::string(transport_failure_name(response.failure)) + ")";
    if (!response.body.empty()) words += ": " + truncate_utf16(response.body, 200);
    return PollFailed{words};
  }
  const json body = parse_json(response.body);
  const auto ok = body.is_object() ? body.find("ok") : body.end();
  if (body.is_discarded() || !body.is_object() || ok == body.end() || !ok->is_boolean()) {
    // A proxy's error page, a cut-off body: not the Bot API talking. Nothing is confirmed by it.
    return PollFailed{"Telegram answered HTTP " + std::to_string(response.status) + " without a Bot API answer"};
  }
  if (!ok->get<bool>()) {
    int code = response.status;
    if (const auto found = body.find("error_code"); found != body.end() && found->is_number_integer()) {
      code = found->get<int>();
    }
    return read_failure(code, body);
  }
  const auto result = body.find("result");
  if (result == body.end() || !result->is_array()) return PollFailed{"Telegram answered ok without a result array"};
  Polled polled;
  for (const json& update : *result) {
    // Without an update_id nothing can be confirmed past it: the whole answer is suspect.
    const auto id = update.is_object() ? update.find("update_id") : update.end();
    if (!update.is_object() || id == update.end() || !id->is_number_integer()) {
      return PollFailed{"Telegram answered an update without an integer update_id"};
    }
    // update_ids count up from 0. One below would make the next offset negative, which Telegram
    // reads as "the last N updates, forget the rest"; one at the top would overflow it.
    const std::int64_t update_id = id->get<std::int64_t>();
    if (update_id < 0 || update_id == std::numeric_limits<std::int64_t>::max()) {
      return PollFailed{"Telegram answered an update_id out of range"};
    }
    polled.updates.push_back({update_id, update});
  }
  std::sort(polled.updates.begin(), polled.updates.end(),
            [](const PolledUpdate& a, const PolledUpdate& b) { return a.update_id < b.update_id; });
  return polled;
}

}  // namespace slabot::telegram
