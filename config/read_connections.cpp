// connections[] (secrets, outbound URL, rate limit, the adapter's own check) and channels[]
// (with a group's own secrets, which go into its connection's group_secrets).
#include <algorithm>
#include <exception>
#include <map>

#include "config/duration.hpp"
#include "config/json_path.hpp"
#include "config/text_checks.hpp"
#include "config/validator.hpp"
#include "domain/severity.hpp"

namespace slabot::config_detail {

void Validator::read_connection(const json& item, const std::string& path, Config& config) {
  check_keys(item, path, {"name", "adapter", "mode", "stream_url", "stream", "secrets", "outbound_url", "rate_limit"});
  Connection connection;
  if (auto name = text(item, path, "name", Need::required)) {
    std::string name_path = child_path(path, "name");
    bool valid = not_blank(*name, name_path);
    if (valid && !only_chars(*name, "_-")) {
      report(name_path, "must be letters, digits, '_' and '-' only (it is part of the webhook URL)");
      valid = false;
    }
    if (valid) {
      auto [first, inserted] = connection_names_.emplace(*name, name_path);
      if (!inserted) {
        report(name_path, "duplicate connection name " + json_quoted(*name) + " (first at " + first->second + ")");
      }
    }
    connection.name = *name;
  }
  bool adapter_known = false;
  if (auto adapter = text(item, path, "adapter", Need::required)) {
    adapter_known = std::find(rules_.known.begin(), rules_.known.end(), *adapter) != rules_.known.end();
    if (!adapter_known) {
      report(child_path(path, "adapter"), "unknown adapter " + json_quoted(*adapter) + " (known adapters: " +
                                              (rules_.known.empty() ? "none" : join(rules_.known)) + ")");
    }
    connection.adapter = *adapter;
  }
  // Which secrets the adapter needs depends on the mode: a stream connection authenticates itself
  // (an app's client id and secret, an app-level token), a webhook checks the platform's signature.
  std::optional<std::vector<std::string>> needed;
  if (adapter_known && rules_.required_secrets) needed = rules_.required_secrets(connection.adapter);
  if (auto mode = text(item, path, "mode", Need::optional)) {
    if (*mode == "stream") {
      connection.mode = ConnectionMode::stream;
      if (adapter_known) {
        needed = rules_.stream_secrets ? rules_.stream_secrets(connection.adapter) : std::nullopt;
        if (!needed) {
          report(child_path(path, "mode"), "the " + connection.adapter + " adapter has no stream mode" +
                                               stream_capable_list() + "; use \"webhook\"");
        }
      }
    } else if (*mode != "webhook") {
      report(child_path(path, "mode"), "must be \"webhook\" or \"stream\", not " + json_quoted(*mode));
    }
  }
  if (auto url = text(item, path, "stream_url", Need::optional)) {
    valid_http_url(*url, child_path(path, "stream_url"));
    if (connection.mode != ConnectionMode::stream) {
      report(child_path(path, "stream_url"), "only a connection with \"mode\": \"stream\" opens a stream");
    }
    connection.stream_url = *url;
  }
  if (const json* stream = member(item, path, "stream", Need::optional)) {
    if (connection.mode != ConnectionMode::stream) {
      report(child_path(path, "stream"), "only a connection with \"mode\": \"stream\" opens a stream");
    } else {
      read_stream_timeouts(*stream, child_path(path, "stream"), connection);
    }
  }
  const std::size_t problems_before_secrets = problems_.size();
  for_each_string_entry(item, path, "secrets",
                        [&](const std::string& name, const std::string& secret, const std::string& entry_path) {
                          if (secret.empty()) report(entry_path, "secret must not be empty");
                          connection.secrets[name] = secret;
                        });
  // Only when "secrets" is absent or an object: a wrong type was reported already.
  const json* secrets = member(item, path, "secrets", Need::optional);
  if (needed && (secrets == nullptr || secrets->is_object())) {
    for (const auto& name : *needed) {
      if (secrets == nullptr || !secrets->contains(name)) {
        report(child_path(child_path(path, "secrets"), name),
               "missing secret, required by the " + connection.adapter + " adapter" +
                   (connection.mode == ConnectionMode::stream ? " in stream mode" : ""));
      }
    }
  }
  const bool secrets_complete = problems_.size() == problems_before_secrets;
  if (auto url = text(item, path, "outbound_url", Need::optional)) {
    valid_http_url(*url, child_path(path, "outbound_url"));
    connection.outbound_url = *url;
  }
  if (const json* limit = member(item, path, "rate_limit", Need::optional)) {
    read_rate_limit(*limit, child_path(path, "rate_limit"), connection);
  }
  // The adapter sees only secrets that are all there and readable: anything else is reported
  // above, and its constructor need not cope with half a connection.
  if (adapter_known && secrets_complete && rules_.check_connection &&
      check_with_adapter(connection, child_path(path, "secrets"))) {
    accepted_connections_.insert(connection.name);
  }
  config.connections.push_back(std::move(connection));
}

// " (stream mode: dingtalk, slack, ...)", or "" when no adapter has one.
std::string Validator::stream_capable_list() const {
  if (!rules_.stream_secrets) return "";
  std::vector<std::string> capable;
  for (const auto& name : rules_.known) {
    if (rules_.stream_secrets(name)) capable.push_back(name);
  }
  return capable.empty() ? "" : " (stream mode: " + join(capable) + ")";
}

void Validator::read_rate_limit(const json& value, const std::string& path, Connection& connection) {
  if (!is_object(value, path)) return;
  check_keys(value, path, {"messages", "per"});
  auto messages = positive_integer(value, path, "messages", Need::required);
  auto per = duration(value, path, "per", Need::required);
  if (messages && per) connection.rate_limit = RateLimit{*messages, *per};
}

void Validator::read_stream_timeouts(const json& value, const std::string& path, Connection& connection) {
  using namespace std::chrono_literals;
  if (!is_object(value, path)) return;
  check_keys(value, path, {"connect_timeout", "idle_timeout", "write_timeout", "poll_timeout", "max_retry"});
  // Below the least a healthy network would time out (an idle socket is pinged at half its
  // timeout); above the most a dead peer, or a platform back from an outage, goes unnoticed too long.
  struct Bounded {
    std::string_view key;
    std::optional<Duration> StreamTimeouts::*field;
    Duration least;
    Duration most;
  };
  const Bounded keys[] = {
      {"connect_timeout", &StreamTimeouts::connect_timeout, 1s, 5min},
      {"idle_timeout", &StreamTimeouts::idle_timeout, 2s, 10min},
      {"write_timeout", &StreamTimeouts::write_timeout, 1s, 5min},
      {"poll_timeout", &StreamTimeouts::poll_timeout, 1s, 10min},
      {"max_retry", &StreamTimeouts::max_retry, 1s, 1h},
  };
  for (const auto& [key, field, least, most] : keys) {
    const auto set = duration(value, path, key, Need::optional);
    if (!set) continue;
    if (*set < least || *set > most) {
      report(child_path(path, key), "must be from " + format_config_duration(least) + " to " +
                                        format_config_duration(most) + ", not " + format_config_duration(*set));
      continue;
    }
    connection.stream.*field = *set;
  }
}

bool Validator::check_with_adapter(const Connection& connection, const std::string& report_path) {
  std::optional<std::string> message;
  try {
    message = rules_.check_connection(connection);
  } catch (const std::exception& error) {
    message = error.what();
  } catch (...) {
    message = "";
  }
  if (!message) return true;
  const std::string withheld = "the " + connection.adapter + " adapter refuses these secrets";
  // The adapter promises no secret in its message; should one slip through anyway (or the
  // outbound URL, which may carry a token), the message is not shown.
  bool leaks = !connection.outbound_url.empty() && message->find(connection.outbound_url) != std::string::npos;
  for (const auto& [name, value] : connection.secrets) {
    leaks = leaks || (!value.empty() && message->find(value) != std::string::npos);
  }
  for (const auto& [chat_id, secrets] : connection.group_secrets) {
    for (const auto& [name, value] : secrets) {
      leaks = leaks || (!value.empty() && message->find(value) != std::string::npos);
    }
  }
  if (leaks) {
    message = withheld + " (its explanation is withheld: it quoted a secret)";
  } else if (message->empty()) {
    message = withheld;
  }
  report(report_path, *message);
  return false;
}

void Validator::read_channel(const json& item, const std::string& path, Config& config) {
  check_keys(item, path,
             {"connection", "chat_id", "tenant", "support", "outbound_url", "secrets", "timezone", "tenants",
              "lowest_severity"});
  Channel channel;
  bool channel_key_ok = true;
  if (auto connection = text(item, path, "connection", Need::required)) {
    std::string connection_path = child_path(path, "connection");
    if (!not_blank(*connection, connection_path)) {
      channel_key_ok = false;
    } else if (config.find_connection(*connection) == nullptr) {
      report(connection_path, "no connection named " + json_quoted(*connection));
    }
    channel.connection = *connection;
  } else {
    channel_key_ok = false;
  }
  if (auto chat_id = text(item, path, "chat_id", Need::required)) {
    if (!not_blank(*chat_id, child_path(path, "chat_id"))) channel_key_ok = false;
    channel.chat_id = *chat_id;
  } else {
    channel_key_ok = false;
  }
  if (auto tenant = text(item, path, "tenant", Need::optional)) {
    std::string tenant_path = child_path(path, "tenant");
    if (not_blank(*tenant, tenant_path) && config.find_tenant(*tenant) == nullptr) {
      report(tenant_path, "no tenant with id " + json_quoted(*tenant));
    }
    channel.tenant_id = *tenant;
  }
  bool support = false;
  bool support_known = true;  // false when "support" is not a boolean (reported already)
  if (const json* flag = member(item, path, "support", Need::optional)) {
    support_known = flag->is_boolean();
    if (support_known) {
      support = flag->get<bool>();
    } else {
      report(child_path(path, "support"), "must be a boolean, not " + a_type(*flag));
    }
  }
  bool has_tenant = item.contains("tenant");
  // Exactly one owner: a group that were both could show one tenant's tickets to another.
  if (has_tenant && support) {
    report(path, "has both \"tenant\" and \"support\": true; a channel is a tenant's or the support side's");
  } else if (!has_tenant && !support && support_known) {
    report(path, "needs \"tenant\" (a tenant's group) or \"support\": true (the support side's group)");
  }
  if (support) channel.tenant_id.clear();
  read_desk_share(item, path, support, channel, config);
  if (auto zone_found = zone(item, path)) {
    // One zone per tenant, so every group of a partner reads the same times.
    if (has_tenant) {
      report(child_path(path, "timezone"),
             "a tenant's group reads times in its tenant's \"timezone\": set it on the tenant");
    }
    channel.zone = *zone_found;
  }
  if (auto url = text(item, path, "outbound_url", Need::optional)) {
    valid_http_url(*url, child_path(path, "outbound_url"));
    channel.outbound_url = *url;
  }
  bool channel_unique = false;
  if (channel_key_ok) {
    auto [first, inserted] = channel_keys_.emplace(std::pair{channel.connection, channel.chat_id}, path);
    if (!inserted) report(child_path(path, "chat_id"), "the same connection and chat_id as " + first->second);
    channel_unique = inserted;
  }
  read_group_secrets(item, path, channel, channel_unique, config);
  config.channels.push_back(std::move(channel));
}

void Validator::read_desk_share(const json& item, const std::string& path, bool support, Channel& channel,
                                const Config& config) {
  for (const char* key : {"tenants", "lowest_severity"}) {
    if (item.contains(key) && !support) {
      report(child_path(path, key),
             "is for a support-side channel (\"support\": true); a tenant's group hears its own tickets");
    }
  }
  if (const json* tenants = member(item, path, "tenants", Need::optional)) {
    const std::string tenants_path = child_path(path, "tenants");
    if (!tenants->is_array() || tenants->empty()) {
      report(tenants_path, "must be a non-empty array of tenant ids (leave it out to cover every tenant)");
    } else {
      for (std::size_t i = 0; i < tenants->size(); ++i) {
        const json& id = (*tenants)[i];
        const std::string id_path = tenants_path + "/" + std::to_string(i);
        if (!id.is_string()) {
          report(id_path, "must be a tenant id, not " + a_type(id));
        } else if (config.find_tenant(id.get<std::string>()) == nullptr) {
          report(id_path, "no tenant with id " + json_quoted(id.get<std::string>()));
        } else {
          channel.covers.push_back(id.get<std::string>());
        }
      }
    }
  }
  if (auto lowest = text(item, path, "lowest_severity", Need::optional)) {
    if (const auto level = parse_severity(*lowest)) {
      channel.lowest_severity = *level;
    } else {
      report(child_path(path, "lowest_severity"),
             "must be a severity: critical, urgent, high, medium or low (or 1..5)");
    }
  }
}

void Validator::read_group_secrets(const json& item, const std::string& path, const Channel& channel,
                                   bool channel_unique, Config& config) {
  const std::size_t problems_before = problems_.size();
  std::map<std::string, std::string> secrets;
  for_each_string_entry(item, path, "secrets",
                        [&](const std::string& name, const std::string& secret, const std::string& entry_path) {
                          if (secret.empty()) report(entry_path, "secret must not be empty");
                          secrets[name] = secret;
                        });
  if (secrets.empty()) return;
  const std::string secrets_path = child_path(path, "secrets");
  if (!item.contains("outbound_url")) {
    // Without its own webhook the group is reached through the connection's robot, which signs
    // with the connection's secret: this one would never be used.
    report(secrets_path, "a group's own secret signs its own robot: give this channel its \"outbound_url\" too");
  }
  if (!channel_unique) return;
  Connection* owner = nullptr;
  for (auto& connection : config.connections) {
    if (connection.name == channel.connection) {
      owner = &connection;
      break;
    }
  }
  if (owner == nullptr) return;  // reported at "connection"
  // The adapter says which names it takes per group (and what it thinks of the values), once the
  // connection itself is known to be fine: asked about this group's secrets alone.
  if (problems_.size() == problems_before && accepted_connections_.contains(owner->name)) {
    Connection trial = *owner;
    trial.group_secrets = {{channel.chat_id, secrets}};
    check_with_adapter(trial, secrets_path);
  }
  owner->group_secrets[channel.chat_id] = std::move(secrets);
}

}  // namespace slabot::config_detail
