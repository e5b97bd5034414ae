#include "adapters/teams/teams_adapter.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/crypto.hpp"
#include "adapters/delivery.hpp"
#include "adapters/teams/teams_text.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/secrets.hpp"

namespace slabot {
namespace {

constexpr std::string_view hmac_scheme = "hmac ";

// A string member of an object, or "" when absent or not a string.
std::string string_at(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return {};
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

const nlohmann::json& object_at(const nlohmann::json& object, const char* name) {
  static const nlohmann::json none;
  if (!object.is_object()) return none;
  const auto found = object.find(name);
  return found != object.end() && found->is_object() ? *found : none;
}

// A person's id as the bot identifies the sender (and staff's `teams` ids are written): the AAD
// object id when Teams gives one, else the channel account id.
std::string person_id(const nlohmann::json& account) {
  std::string id = string_at(account, "aadObjectId");
  return id.empty() ? string_at(account, "id") : id;
}

// The people the activity @-mentions: its "mention" entities. Bots ("28:" ids, the outgoing
// webhook's own mention among them, which Microsoft's example shows under another name than the
// text's) and the recipient are nobody to name.
std::vector<Mention> mentioned_people(const nlohmann::json& activity) {
  std::vector<Mention> out;
  const auto entities = activity.find("entities");
  if (entities == activity.end() || !entities->is_array()) return out;
  const std::string recipient = string_at(object_at(activity, "recipient"), "id");
  for (const auto& entity : *entities) {
    if (string_at(entity, "type") != "mention") continue;
    const auto& mentioned = object_at(entity, "mentioned");
    const std::string channel_id = string_at(mentioned, "id");
    if (channel_id.starts_with("28:") || (!recipient.empty() && channel_id == recipient)) continue;
    Mention mention{person_id(mentioned), string_at(mentioned, "name")};
    if (mention.user_id.empty()) continue;
    bool seen = false;
    for (const auto& earlier : out) seen = seen || earlier.user_id == mention.user_id;
    if (!seen) out.push_back(std::move(mention));
  }
  return out;
}

// The channel the message was posted in, the same for every thread of it.
std::string channel_of(const nlohmann::json& activity) {
  const auto& channel_data = object_at(activity, "channelData");
  if (auto id = string_at(channel_data, "teamsChannelId"); !id.empty()) return id;
  if (auto id = string_at(object_at(channel_data, "channel"), "id"); !id.empty()) return id;
  std::string id = string_at(object_at(activity, "conversation"), "id");
  return id.substr(0, id.find(";messageid="));
}

// "<at>Name</at>" for a mention; the name without the characters that would break the tag.
std::string at_tag(const Mention& mention) {
  std::string name = mention.name.empty() ? mention.user_id : mention.name;
  std::erase_if(name, [](char c) { return c == '<' || c == '>'; });
  return "<at>" + name + "</at>";
}

// Whether the body reports HTTP 429 ("Microsoft Teams endpoint returned HTTP error 429").
bool mentions_429(const std::string& body) {
  for (std::size_t at = body.find("429"); at != std::string::npos; at = body.find("429", at + 3)) {
    const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(body[at - 1]));
    const bool ends = at + 3 == body.size() || !std::isalnum(static_cast<unsigned char>(body[at + 3]));
    if (starts && ends) return true;
  }
  return false;
}

// The status in "... returned HTTP error 400 ...", if the body has one.
std::optional<int> reported_status(const std::string& body) {
  constexpr std::string_view marker = "HTTP error ";
  const std::size_t at = body.find(marker);
  if (at == std::string::npos) return std::nullopt;
  int status = 0;
  const char* first = body.data() + at + marker.size();
  const auto [end, error] = std::from_chars(first, body.data() + body.size(), status);
  if (error != std::errc{} || end == first) return std::nullopt;
  return status;
}

}  // namespace

TeamsAdapter::TeamsAdapter(const Connection& connection) : outbound_url_(connection.outbound_url) {
  auto key = base64_decode(required_secret(connection, "teams", "security_token"));
  if (!key || key->empty()) {
    throw std::invalid_argument("teams connection '" + connection.name +
                                "': secret \"security_token\" is not base64 (copy it as Teams "
                                "shows it)");
  }
  key_ = std::move(*key);
}

VerifyResult TeamsAdapter::verify(const HttpRequest& request, Timestamp) const {
  const std::string& header = request.header("authorization");
  if (header.empty()) return Rejected{401, "missing Authorization"};
  std::string scheme = header.substr(0, std::min(header.size(), hmac_scheme.size()));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != hmac_scheme) return Rejected{401, "Authorization is not \"HMAC ...\""};
  const auto sent_mac = base64_decode(std::string_view(header).substr(hmac_scheme.size()));
  if (!sent_mac) return Rejected{401, "Authorization HMAC is not base64"};
  // Teams signs the body's bytes as sent; no timestamp is covered (see the header comment).
  if (!constant_time_equal(*sent_mac, hmac_sha256(key_, request.body))) {
    return Rejected{401, "Authorization HMAC mismatch"};
  }
  return Verified{};
}

ParseOutcome TeamsAdapter::parse(const HttpRequest& request) const {
  const auto activity = parse_json(request.body);
  if (activity.is_discarded() || !activity.is_object()) return Rejected{400, "body is not a JSON object"};
  if (string_at(activity, "type") != "message") return ParsedMessages{};

  const auto text = activity.find("text");
  if (text != activity.end() && !text->is_string() && !text->is_null()) {
    return Rejected{400, "activity text is not a string"};
  }
  const auto& from = object_at(activity, "from");
  InboundMessage message;
  message.platform = adapter_name();
  message.event_id = string_at(activity, "id");
  message.chat_id = channel_of(activity);
  message.user_id = person_id(from);
  message.user_name = string_at(from, "name");
  if (message.user_name.empty()) message.user_name = message.user_id;
  message.text = teams_plain_text(string_at(activity, "text"));
  message.mentions = mentioned_people(activity);
  if (message.event_id.empty() || message.chat_id.empty() || message.user_id.empty()) {
    return Rejected{400, "message activity without id, conversation or sender"};
  }
  return one_message(std::move(message));
}

HttpAnswer TeamsAdapter::sync_reply(const InboundMessage&, const std::string& reply) const {
  const std::string text = reply.empty() ? std::string(empty_reply_text) : teams_inert_text(reply);
  return HttpAnswer{200, "application/json", dump_json({{"type", "message"}, {"text", text}})};
}

OutboundRequest TeamsAdapter::render(const OutboundMessage& message, Timestamp) const {
  std::string text = teams_inert_text(message.text);
  nlohmann::json entities = nlohmann::json::array();
  for (const auto& mention : message.mentions) {
    if (mention.user_id.empty()) continue;
    const std::string tag = at_tag(mention);
    text += (text.empty() ? "" : " ") + tag;
    // Each entity's text must match the tag in the card's text exactly.
    entities.push_back(
        {{"type", "mention"},
         {"text", tag},
         {"mentioned", {{"id", mention.user_id}, {"name", mention.name.empty() ? mention.user_id : mention.name}}}});
  }
  nlohmann::json card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                      {"type", "AdaptiveCard"},
                      {"version", "1.2"},
                      {"body", nlohmann::json::array({{{"type", "TextBlock"}, {"text", text}, {"wrap", true}}})}};
  if (!entities.empty()) card["msteams"] = {{"entities", entities}};

  OutboundRequest request;
  request.method = "POST";
  request.url = message.url.empty() ? outbound_url_ : message.url;
  request.headers["Content-Type"] = "application/json";
  request.body =
      dump_json({{"type", "message"},
                 {"attachments", nlohmann::json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                                         {"contentUrl", nullptr},
                                                         {"content", card}}})}});
  return request;
}

DeliveryResult TeamsAdapter::interpret(const HttpResponse& response) const {
  // Connectors answer throttling as 200 with the error in the text, so read the body first.
  if (response.status == 429 || mentions_429(response.body)) {
    return Throttled{retry_after(response), "teams: throttled (HTTP 429)"};
  }
  if (response.status >= 200 && response.status < 300) {
    if (response.body.find("delivery failed") == std::string::npos) return Delivered{};
    const auto status = reported_status(response.body);
    const std::string error =
        "teams: webhook delivery failed" + (status ? " (HTTP error " + std::to_string(*status) + ")" : "");
    if (status && (*status == 408 || *status >= 500)) return RetryLater{retry_after(response), error};
    if (status && (*status == 400 || *status == 413)) return Refused{error};  // the card itself
    return GiveUp{error};
  }
  DeliveryResult result = interpret_http_status(response);
  rewrite_delivery_error(result, [](const std::string& error) { return "teams " + error; });
  return result;
}

}  // namespace slabot
