#pragma once
// Reads a parsed config document into a Config, collecting every problem at its JSON path. The
// format is config/FORMAT.md. Internal to config/: loader.hpp is the interface.
//
// The member functions live by job: validator.cpp (reading typed values, reporting),
// read_document.cpp (the top level), read_people.cpp (tenants, staff, designated TAMs),
// read_connections.cpp (connections, channels), read_sla.cpp (packages), read_outbox.cpp, read_http.cpp,
// read_reminders.cpp.
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"

namespace slabot::config_detail {

enum class Need { required, optional };

class Validator {
 public:
  using json = nlohmann::json;

  Validator(const AdapterRules& rules, const EnvLookup& env) : rules_(rules), env_(env) {}

  // The Config, or nullopt when there was any problem (take_problems says which).
  std::optional<Config> run(const json& root);
  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  // ---- reporting and typed values (validator.cpp) ----
  void report(std::string path, std::string message);
  // Reports keys of `object` not in `allowed`, suggesting the nearest allowed key.
  void check_keys(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed);
  // The member, or nullptr when absent (reported when required).
  const json* member(const json& object, const std::string& path, std::string_view key, Need need);
  // The typed readers below return nullopt when the member is absent or faulty (reported).
  // A string member after ${ENV} substitution.
  std::optional<std::string> text(const json& object, const std::string& path, std::string_view key, Need need);
  std::optional<std::string> text_value(const json& value, const std::string& path);
  std::optional<bool> boolean(const json& object, const std::string& path, std::string_view key, Need need);
  // A JSON whole number from 1 to INT_MAX.
  std::optional<int> positive_integer(const json& object, const std::string& path, std::string_view key, Need need);
  // A duration string (config/duration.hpp), after ${ENV} substitution.
  std::optional<Duration> duration(const json& object, const std::string& path, std::string_view key, Need need);
  std::optional<Duration> duration_value(const json& value, const std::string& path);
  // "timezone": an IANA zone name the system's tz database knows (domain/zone.hpp).
  std::optional<Zone> zone(const json& object, const std::string& path);
  // True when `value` is an object; reports it otherwise.
  bool is_object(const json& value, const std::string& path);

  bool not_blank(const std::string& value, const std::string& path);
  // An id typed in commands: not blank, and no characters that would split or confuse a command.
  bool valid_id(const std::string& value, const std::string& path);
  // http:// or https:// and something after it. The URL is never quoted: it may carry a token.
  bool valid_http_url(const std::string& url, const std::string& path);

  using ReadItem = std::function<void(const json& item, const std::string& path)>;
  // A required top-level array of objects: `read` for each object.
  void for_each_object(const json& root, std::string_view key, const ReadItem& read);
  using VisitEntry = std::function<void(const std::string& name, const std::string& value, const std::string& path)>;
  // An optional object of string values (staff ids, secrets): each value substituted.
  void for_each_string_entry(const json& object, const std::string& path, std::string_view key,
                             const VisitEntry& visit);

  // ---- sections ----
  void read_listen(const std::string& listen, const std::string& path, Config& config);
  void read_tenant(const json& item, const std::string& path, Config& config);
  // A tenant's "country" and "holidays"; then each country's list from holidays_dir (read_holidays.cpp).
  void read_tenant_calendar(const json& item, const std::string& path, Tenant& tenant);
  void read_country_holidays(const std::string& holidays_dir, Config& config);
  void read_staff(const json& item, const std::string& path, Config& config);
  void resolve_tams(Config& config);  // after tenants and staff are read
  void read_connection(const json& item, const std::string& path, Config& config);
  std::string stream_capable_list() const;
  void read_rate_limit(const json& value, const std::string& path, Connection& connection);
  void read_stream_timeouts(const json& value, const std::string& path, Connection& connection);
  // Asks the adapter about a connection (rules_.check_connection) and reports its objection at
  // report_path; true when it has none.
  bool check_with_adapter(const Connection& connection, const std::string& report_path);
  void read_channel(const json& item, const std::string& path, Config& config);
  // channels[].secrets, into the connection's group_secrets under the channel's chat_id.
  // A support-side channel's "tenants" and "lowest_severity".
  void read_desk_share(const nlohmann::json& item, const std::string& path, bool support, Channel& channel,
                       const Config& config);
  void read_group_secrets(const json& item, const std::string& path, const Channel& channel, bool channel_unique,
                          Config& config);
  void read_packages(const json& root, Config& config);
  void read_package(const json& value, const std::string& path, SlaPolicy& policy);
  void read_response_limits(const json& value, const std::string& path, SlaPolicy& policy);
  void read_warn_at(const json& value, const std::string& path, SlaPolicy& policy);
  void read_outbox(const json& root, Config& config);
  void read_http(const json& root, Config& config);
  void read_reports(const json& root, Config& config);
  void read_reminders(const json& root, Config& config);

  const AdapterRules& rules_;
  const EnvLookup& env_;
  std::vector<ConfigProblem> problems_;
  // The path of the first occurrence of each unique value, for duplicate messages.
  std::map<std::string, std::string> tenant_ids_;
  std::map<std::string, std::string> staff_ids_;
  std::map<std::string, std::string> connection_names_;
  std::map<std::pair<std::string, std::string>, std::string> platform_ids_;
  std::map<std::pair<std::string, std::string>, std::string> channel_keys_;
  // Connections the adapter accepted (check_connection): only their groups' secrets are checked.
  std::set<std::string> accepted_connections_;
  // A tenant's "tam", checked once the staff are read.
  struct TamReference {
    std::size_t tenant;              // index in Config::tenants
    std::optional<Package> package;  // unset when the tenant's package was faulty
    std::string staff_id;
    std::string path;
  };
  std::vector<TamReference> tam_references_;
  std::vector<bool> staff_role_known_;  // per Config::staff: false when its role was faulty
};

}  // namespace slabot::config_detail
