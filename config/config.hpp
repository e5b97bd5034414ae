#pragma once
// The bot's configuration: one JSON file (see config/example.json and the README).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/rate_limit.hpp"
#include "domain/role.hpp"
#include "domain/sla_policy.hpp"
#include "domain/tenant.hpp"

namespace slabot {

struct StaffMember {
  std::string id;
  std::string name;
  Role role = Role::engineer;
  // The member's user id on each platform, keyed by adapter name ("slack": "U123").
  std::map<std::string, std::string> platform_ids;
  // Engineers on duty are the first rung of the escalation ladder (with a ticket's assignee).
  bool on_duty = false;
  // The member's own zone (config "timezone"; UTC when not given). Groups read times in the
  // group's zone, never a member's: nothing is said to one person alone yet (README, "Local time").
  Zone zone;

  bool operator==(const StaffMember&) const = default;
};

// How a connection hears the platform: webhook (the platform calls POST /hooks/<name>) or stream
// (slabot opens an outbound connection: DingTalk Stream mode, Slack Socket Mode, Telegram
// getUpdates, Mattermost's WebSocket, Lark's long connection), which needs no public address.
enum class ConnectionMode { webhook, stream };

// A stream connection's own deadlines (connections[].stream); unset: the built-in default in
// brackets. Which apply depends on the platform (bot/stream/stream_timeouts.hpp): a WebSocket
// idles and writes, Telegram polls.
struct StreamTimeouts {
  std::optional<Duration> connect_timeout;  // each step of opening: resolve, connect, TLS, upgrade (10 s)
  std::optional<Duration> idle_timeout;     // a socket silent this long is dead; a ping goes after half (60 s)
  std::optional<Duration> write_timeout;    // one frame written (10 s)
  std::optional<Duration> poll_timeout;     // Telegram: how long one getUpdates waits for news (25 s)
  std::optional<Duration> max_retry;        // the longest wait between attempts after failures (1 min)

  bool operator==(const StreamTimeouts&) const = default;
};

struct Connection {
  std::string name;     // appears in the webhook path: POST /hooks/<name>
  std::string adapter;  // registry name: "generic", "console", ...
  // Adapter-specific secrets ("secret", "token", ...), after ${ENV} substitution.
  std::map<std::string, std::string> secrets;
  std::string outbound_url;  // where messages the bot starts are sent; may be empty
  // Overrides the adapter's own per-destination rate limit, when set.
  std::optional<RateLimit> rate_limit;
  // Secrets of single groups (channels[].secrets), by chat_id, after ${ENV} substitution: a group
  // robot has its own signing secret ("robot_secret", "bot_secret"), used for messages to that
  // group's own outbound_url. Only names the adapter takes per group (registry.cpp). Last, so
  // brace-initialised Connections elsewhere stay valid.
  std::map<std::string, std::map<std::string, std::string>> group_secrets;
  ConnectionMode mode = ConnectionMode::webhook;
  // Stream mode: where the connection opens (the platform's API base, e.g. a Mattermost server's
  // https://chat.example.com, or a test gateway); empty: the platform's public endpoint.
  std::string stream_url;
  StreamTimeouts stream;  // stream mode only

  bool operator==(const Connection&) const = default;
};

struct Channel {
  std::string connection;  // Connection::name
  std::string chat_id;     // the platform's group id
  std::string tenant_id;   // the tenant the group belongs to; empty for the support side
  // Where messages the bot starts in this group go, when the group has its own webhook (a group
  // robot); empty: the connection's outbound_url.
  std::string outbound_url;
  // The zone a support side's channel reads times in (config "timezone"; UTC when not given). A
  // tenant's group reads its tenant's zone (reader_zone).
  Zone zone;
  // A support-side channel's share of the desk: the tenants it covers (empty: all) and the least
  // severe ticket it wants to hear about (5, Low: all). Tenant groups hear their own tickets.
  std::vector<std::string> covers;
  int lowest_severity = 5;
  bool support_side() const { return tenant_id.empty(); }
  // Whether this support-side channel hears about a ticket of `tenant` at `severity`.
  bool hears(const std::string& tenant, int severity) const;
  bool operator==(const Channel&) const = default;
};

// How the outbox retries and when it gives up on a message.
// How messages the bot starts are retried (bot/outbox/delivery_rules.hpp has the rules).
struct OutboxSettings {
  // Answers saying the message itself is wrong, at most, before it is dead. Failures that may
  // pass and the platform's waits never kill a message: only max_age does.
  int max_attempts = 3;
  Duration max_age = std::chrono::hours(24);
  Duration first_retry = std::chrono::seconds(2);  // doubles each failure, with jitter
  // The longest wait between tries: a platform back from an outage hears the waiting breach
  // pings within a minute, at the cost of one request a minute per waiting group meanwhile.
  Duration max_retry = std::chrono::minutes(1);

  bool operator==(const OutboxSettings&) const = default;
};

// The inbound HTTP server's limits and deadlines (`serve`). Defaults: what a platform expects
// (Teams gives a bot 5 s, Slack 3 s) with room for the server's own work.
struct HttpSettings {
  int max_connections = 512;                                 // open connections, idle ones included
  Duration first_request_timeout = std::chrono::seconds(5);  // accept to the first request's header
  Duration request_timeout = std::chrono::seconds(10);       // one whole request, from its first byte
  Duration idle_timeout = std::chrono::seconds(10);          // a kept-alive connection between requests
  Duration shutdown_timeout = std::chrono::seconds(10);      // SIGTERM to exit, finishing requests in hand

  bool operator==(const HttpSettings&) const = default;
};

// The monthly service report posted to tenants' groups (bot/monthly_reports.hpp).
struct ReportSettings {
  std::vector<Package> monthly{Package::elite, Package::flagship};  // the packages that get it
  Duration post_after{};  // after local midnight starting the month's first day

  bool operator==(const ReportSettings&) const = default;
};

// When the bot reminds a tenant's group and TAM of a health check (bot/entitlements).
struct ReminderSettings {
  // How long before a health check falls due the first reminder goes; another goes once overdue.
  Duration health_check_before = std::chrono::days(7);
  // How long before an engagement's milestone falls due its reminder goes (bot/engagements).
  Duration milestone_before = std::chrono::days(2);

  bool operator==(const ReminderSettings&) const = default;
};

struct Config {
  std::string listen_address = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::string database_path = "slabot.db";
  std::string bot_name = "slabot";  // for "/ack@slabot" and the bot's own @-mention
  // Where each country's holiday list lives (<dir>/CN.txt), for tenants naming a "country".
  std::string holidays_dir = "/etc/slabot/holidays";
  std::vector<Tenant> tenants;
  std::vector<StaffMember> staff;
  std::vector<Connection> connections;
  std::vector<Channel> channels;
  SlaPolicies sla;  // per package; the seed's table unless the file says otherwise
  OutboxSettings outbox;
  HttpSettings http;
  ReportSettings reports;
  ReminderSettings reminders;

  const Tenant* find_tenant(const std::string& id) const;
  const Connection* find_connection(const std::string& name) const;
  const Channel* find_channel(const std::string& connection, const std::string& chat_id) const;
  // A tenant as people read it: its name, else its id (a tenant no longer configured: the id).
  std::string tenant_label(const std::string& tenant_id) const;
  // Whose chat this is, for the support side's lists: its tenant's label, "support side", or ""
  // for a chat the config does not know.
  std::string chat_owner(const std::string& connection, const std::string& chat_id) const;
  // The staff member with this user id on this platform, if any.
  const StaffMember* find_staff_by_platform(const std::string& platform, const std::string& user_id) const;
  // By config id or name, case-insensitive, with or without a leading '@'.
  const StaffMember* find_staff(const std::string& id_or_name) const;
  // The zone the people in `channel` read times in: its tenant's, or the support channel's own.
  Zone reader_zone(const Channel& channel) const;
};

}  // namespace slabot
