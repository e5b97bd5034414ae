#include "adapters/lark/lark_app.hpp"

#include <nlohmann/json.hpp>

#include "adapters/lark/lark_card.hpp"
#include "adapters/wire.hpp"
#include "adapters/wire/coded_answer.hpp"

namespace slabot {
namespace {

using nlohmann::json;

constexpr const char* default_api_base = "https://open.feishu.cn";
constexpr std::int64_t invalid_token_codes[] = {99991661, 99991663, 99991668};

std::string token_answer_without_code(int) { return "Lark token answer without a code"; }

// The token endpoint's codes: 0 is a token; anything else (10003 app_id, 10014 app_secret) is
// the credentials, which fail the same way again. A 5xx is read by its status as usual.
const CodeTable& token_codes() {
  static const CodeTable table{
      .error_prefix = "Lark tenant_access_token code",
      .code_fields = {"code"},
      .message_fields = {"msg"},
      .rules = {{.code = 0, .meaning = CodeMeaning::delivered}},
      .without_code = token_answer_without_code,
  };
  return table;
}

}  // namespace

LarkApp::LarkApp(std::string app_id, std::string app_secret, std::string api_base)
    : app_id_(std::move(app_id)), app_secret_(std::move(app_secret)), api_base_(std::move(api_base)) {}

std::string LarkApp::api_base_of(const std::string& outbound_url) {
  const auto scheme_end = outbound_url.find("://");
  if (scheme_end == std::string::npos) return default_api_base;
  const auto path = outbound_url.find('/', scheme_end + 3);
  return outbound_url.substr(0, path);
}

std::optional<OutboundRequest> LarkApp::credential_request(Timestamp now) const {
  {
    std::lock_guard lock(mutex_);
    if (!token_.empty() && now + refresh_margin < token_expires_) return std::nullopt;
  }
  OutboundRequest request;
  request.method = "POST";
  request.url = api_base_ + token_path;
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  request.body = dump_json({{"app_id", app_id_}, {"app_secret", app_secret_}});
  return request;
}

DeliveryResult LarkApp::take_credential(const HttpResponse& response, Timestamp at) const {
  DeliveryResult result = read_coded_answer(response, token_codes());
  if (!std::holds_alternative<Delivered>(result)) return result;
  const json body = parse_json(response.body);
  const std::string token = json_string(body, "tenant_access_token");
  const auto expire = body.is_object() ? body.find("expire") : body.end();
  if (token.empty() || expire == body.end() || !expire->is_number_integer()) {
    return RetryLater{std::nullopt, "Lark token answer without tenant_access_token and expire"};
  }
  const Duration lifetime = std::chrono::seconds(expire->get<std::int64_t>());
  // A token that would be fetched again at once is no token: wait rather than loop.
  if (lifetime <= refresh_margin) return RetryLater{std::nullopt, "Lark token expires too soon"};
  std::lock_guard lock(mutex_);
  token_ = token;
  token_expires_ = at + lifetime;
  return Delivered{};
}

OutboundRequest LarkApp::render(const OutboundMessage& message) const {
  OutboundRequest request;
  request.method = "POST";
  request.url = api_base_ + messages_path;
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  {
    std::lock_guard lock(mutex_);
    request.headers["Authorization"] = "Bearer " + token_;
  }
  json body{{"receive_id", message.chat_id},
            {"msg_type", "interactive"},
            {"content", dump_json(lark_card(message.text, message.actions, message.mentions))}};
  if (!message.message_id.empty()) body["uuid"] = message.message_id;
  request.body = dump_json(body);
  return request;
}

void LarkApp::forget_token_if_refused(const HttpResponse& response) const {
  const json body = parse_json(response.body);
  if (!body.is_object()) return;
  const auto code = body.find("code");
  if (code == body.end() || !code->is_number_integer()) return;
  for (const auto invalid : invalid_token_codes) {
    if (code->get<std::int64_t>() == invalid) {
      std::lock_guard lock(mutex_);
      token_.clear();
      return;
    }
  }
}

}  // namespace slabot
