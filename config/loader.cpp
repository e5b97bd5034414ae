// The config file: one JSON object (strict JSON: no comments, no trailing commas).
//
//   listen       required  "host:port". host is an IPv4 address ("127.0.0.1", "0.0.0.0") or an
//                          IPv6 address in brackets ("[::1]:8080"); no host names. port 1..65535.
//   database     required  path of the SQLite file, relative to the working directory.
//   bot_name     optional  the bot's name in "/ack@slabot" and @-mentions; [A-Za-z0-9_]+;
//                          default "slabot".
//   tenants      required  array (may be empty) of partners:
//     id         required  unique; [A-Za-z0-9_.-]+ (it is typed in commands).
//     name       required  display name, not blank.
//     package    required  selected | premium | elite | flagship (any letter case).
//   staff        required  array (may be empty) of the support side's people:
//     id         required  unique ignoring ASCII case; [A-Za-z0-9_.-]+ ("/assign alice").
//     name       required  display name, not blank; "/assign @Alice Wang" finds it too.
//     role       required  engineer | tam | manager | admin. Partners are not listed: whoever
//                          writes in a tenant's channel and is not staff is that tenant's partner.
//     ids        optional  object: adapter name -> the member's user id on that platform, e.g.
//                          {"generic": "u-alice", "slack": "U01ALICE"}. A user id may belong to
//                          one member only per platform. Platforms the bot does not serve yet are
//                          allowed (the same staff list can serve several deployments).
//   connections  required  array (may be empty) of platform endpoints:
//     name       required  unique; [A-Za-z0-9_-]+; the webhook path is POST /hooks/<name>.
//     adapter    required  one of the registered adapters ("generic", "console", ...).
//     secrets    optional  object: secret name -> value; the adapter says which it requires
//                          (generic: "secret"). No value may be empty. Use ${ENV} references
//                          rather than writing secrets into the file.
//     outbound_url optional where messages the bot starts are sent; http:// or https://.
//   channels     required  array (may be empty) of IM groups the bot serves:
//     connection required  the name of a connection above.
//     chat_id    required  the platform's group id; unique per connection.
//     tenant     see below the id of the tenant whose group this is.
//     support    see below true: the support side's own (escalation) group.
//                          A channel has exactly one of "tenant" and "support": true
//                          ("support": false next to a tenant is allowed).
//
// Every string value (not keys) may contain ${NAME}: it is replaced by the environment variable
// NAME ([A-Za-z_][A-Za-z0-9_]*), once; the replacement is not scanned again. An unset variable is
// a problem. A "$" not followed by "{" is literal; there is no escape for a literal "${".
//
// Every problem is reported with its RFC 6901 path; unknown keys are problems (typos would
// otherwise be ignored silently), and so is a key given twice in one object.

#include "config/loader.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

namespace slabot {
namespace {

using nlohmann::json;

enum class Need { required, optional };

// ---- paths and message text -------------------------------------------------------------------

std::string child_path(const std::string& parent, std::string_view key) {
  std::string out = parent + '/';
  for (char c : key) {  // RFC 6901 escapes
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child_path(const std::string& parent, std::size_t index) {
  return parent + '/' + std::to_string(index);
}

// A value as JSON text, so quotes and control characters cannot garble the message.
// Only for values that are not secrets.
std::string json_quoted(std::string_view value) {
  return json(std::string(value)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string a_type(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    default: return "a number";
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// ---- small syntax checks ----------------------------------------------------------------------

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool only_chars(std::string_view text, std::string_view extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return is_alnum(c) || extra.find(c) != std::string_view::npos;
  });
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool is_env_name(std::string_view name) {
  return only_chars(name, "_") && !(name.front() >= '0' && name.front() <= '9');
}

std::string ascii_lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// ---- parsing ----------------------------------------------------------------------------------

// nlohmann keeps the last of two equal keys without a word, so a second "channels" would drop
// the first list. This follows the parser's events to report such keys with their paths.
class DuplicateKeyWatch {
 public:
  bool on_event(json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_.push_back({false, 0, {}, {}}); break;
      case json::parse_event_t::array_start: frames_.push_back({true, 0, {}, {}}); break;
      case json::parse_event_t::key: {
        Frame& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second) {
          problems_.push_back({current_path(), "key given twice in one object; only the last one would count"});
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        value_done();
        break;
      case json::parse_event_t::value: value_done(); break;
    }
    return true;
  }

  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  struct Frame {
    bool array;
    std::size_t index;  // of the element being read, in an array
    std::string key;    // being read, in an object
    std::set<std::string> keys;
  };

  void value_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }

  std::string current_path() const {
    std::string path;
    for (const auto& frame : frames_) {
      path = frame.array ? child_path(path, frame.index) : child_path(path, frame.key);
    }
    return path;
  }

  std::vector<Frame> frames_;
  std::vector<ConfigProblem> problems_;
};

// Only the position: the parser's own text quotes the input ("last read: ..."), which may be a
// secret.
std::string parse_error_message(std::string_view text, std::size_t byte) {
  std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::string where = "byte " + std::to_string(byte) + " (line " + std::to_string(line) + ", column " +
                      std::to_string(end - line_start + 1) + ")";
  if (byte > text.size()) return "not valid JSON: unexpected end of input at " + where;
  return "not valid JSON: syntax error at " + where;
}

// ---- validation -------------------------------------------------------------------------------

class Validator {
 public:
  Validator(const AdapterRules& rules, const EnvLookup& env) : rules_(rules), env_(env) {}

  std::optional<Config> run(const json& root) {
    if (!root.is_object()) {
      report("", "the config must be a JSON object, not " + a_type(root));
      return std::nullopt;
    }
    check_keys(root, "", {"listen", "database", "bot_name", "tenants", "staff", "connections", "channels"});
    Config config;
    if (auto listen = text(root, "", "listen", Need::required)) read_listen(*listen, "/listen", config);
    if (auto database = text(root, "", "database", Need::required)) {
      if (not_blank(*database, "/database")) config.database_path = *database;
    }
    if (auto bot_name = text(root, "", "bot_name", Need::optional)) {
      if (!only_chars(*bot_name, "_")) {
        report("/bot_name", "must be letters, digits and '_' only");
      } else {
        config.bot_name = *bot_name;
      }
    }
    // Channels come last: they refer to tenants and connections.
    for_each_object(root, "tenants", [&](const json& item, const std::string& path) { read_tenant(item, path, config); });
    for_each_object(root, "staff", [&](const json& item, const std::string& path) { read_staff(item, path, config); });
    for_each_object(root, "connections",
                    [&](const json& item, const std::string& path) { read_connection(item, path, config); });
    for_each_object(root, "channels",
                    [&](const json& item, const std::string& path) { read_channel(item, path, config); });
    if (!problems_.empty()) return std::nullopt;
    return config;
  }

  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  void report(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }

  void check_keys(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = "unknown key";
      std::string_view best;
      std::size_t best_distance = 3;  // a typo is at most two edits away
      for (auto candidate : allowed) {
        std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance && distance < candidate.size()) {
          best = candidate;
          best_distance = distance;
        }
      }
      if (!best.empty()) {
        message += " (did you mean " + json_quoted(best) + "?)";
      } else {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        message += "; allowed here: " + join(names);
      }
      report(child_path(path, key), message);
    }
  }

  const json* member(const json& object, const std::string& path, std::string_view key, Need need) {
    auto it = object.find(std::string(key));
    if (it != object.end()) return &*it;
    if (need == Need::required) report(child_path(path, key), "missing required key");
    return nullptr;
  }

  // A string member after ${ENV} substitution; nullopt when absent or already reported.
  std::optional<std::string> text(const json& object, const std::string& path, std::string_view key, Need need) {
    const json* value = member(object, path, key, need);
    if (value == nullptr) return std::nullopt;
    return text_value(*value, child_path(path, key));
  }

  std::optional<std::string> text_value(const json& value, const std::string& path) {
    if (!value.is_string()) {
      report(path, "must be a string, not " + a_type(value));
      return std::nullopt;
    }
    return substitute(value.get_ref<const std::string&>(), path);
  }

  // One pass: the substituted text is not scanned again, so a variable's value cannot pull in
  // another variable. Messages name the variable, never the value around it (it may be a secret).
  std::optional<std::string> substitute(std::string_view raw, const std::string& path) {
    std::string out;
    bool ok = true;
    std::size_t pos = 0;
    while (true) {
      std::size_t start = raw.find("${", pos);
      if (start == std::string_view::npos) break;
      out.append(raw.substr(pos, start - pos));
      std::size_t end = raw.find('}', start + 2);
      if (end == std::string_view::npos) {
        report(path, "unterminated ${ (expected ${NAME})");
        return std::nullopt;
      }
      std::string name(raw.substr(start + 2, end - start - 2));
      if (!is_env_name(name)) {
        report(path, "malformed ${...} reference (a variable name is letters, digits and '_', not starting with a digit)");
        ok = false;
      } else if (auto value = env_ ? env_(name) : std::nullopt) {
        out += *value;
      } else {
        report(path, "environment variable " + name + " is not set");
        ok = false;
      }
      pos = end + 1;
    }
    out.append(raw.substr(pos));
    if (!ok) return std::nullopt;
    return out;
  }

  bool not_blank(const std::string& value, const std::string& path) {
    if (!is_blank(value)) return true;
    report(path, "must not be empty");
    return false;
  }

  // An id typed in commands: not blank, and no characters that would split or confuse a command.
  bool valid_id(const std::string& value, const std::string& path) {
    if (!not_blank(value, path)) return false;
    if (only_chars(value, "_.-")) return true;
    report(path, "must be letters, digits, '_', '.' and '-' only");
    return false;
  }

  template <typename Read>
  void for_each_object(const json& root, std::string_view key, Read read) {
    const json* list = member(root, "", key, Need::required);
    if (list == nullptr) return;
    std::string path = child_path("", key);
    if (!list->is_array()) {
      report(path, "must be an array, not " + a_type(*list));
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      if (!item.is_object()) {
        report(child_path(path, i), "must be an object, not " + a_type(item));
        continue;
      }
      read(item, child_path(path, i));
    }
  }

  // An optional object of string values (staff ids, secrets): each value substituted.
  template <typename Visit>
  void for_each_string_entry(const json& object, const std::string& path, std::string_view key, Visit visit) {
    const json* entries = member(object, path, key, Need::optional);
    if (entries == nullptr) return;
    std::string entries_path = child_path(path, key);
    if (!entries->is_object()) {
      report(entries_path, "must be an object, not " + a_type(*entries));
      return;
    }
    for (const auto& [name, value] : entries->items()) {
      std::string entry_path = child_path(entries_path, name);
      if (auto text = text_value(value, entry_path)) visit(name, *text, entry_path);
    }
  }

  void read_listen(const std::string& listen, const std::string& path, Config& config) {
    auto bad = [&](const std::string& why) {
      report(path, "bad listen address " + json_quoted(listen) + ": " + why +
                       " (expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080)");
    };
    std::string host;
    std::string port;
    int family = AF_INET;
    if (!listen.empty() && listen.front() == '[') {
      std::size_t close = listen.find(']');
      if (close == std::string::npos) return bad("missing ']'");
      if (listen.compare(close + 1, 1, ":") != 0) return bad("missing :port");
      host = listen.substr(1, close - 1);
      port = listen.substr(close + 2);
      family = AF_INET6;
    } else {
      std::size_t colon = listen.rfind(':');
      if (colon == std::string::npos) return bad("missing :port");
      host = listen.substr(0, colon);
      port = listen.substr(colon + 1);
      if (host.find(':') != std::string::npos) return bad("an IPv6 address goes in brackets");
    }
    unsigned char address[sizeof(in6_addr)];
    if (inet_pton(family, host.c_str(), address) != 1) {
      return bad(family == AF_INET6 ? "not an IPv6 address" : "host must be an IPv4 address (no host names)");
    }
    bool digits = !port.empty() && port.size() <= 5 &&
                  std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    unsigned long number = digits ? std::stoul(port) : 0;
    if (number < 1 || number > 65535) return bad("port must be 1..65535");
    config.listen_address = host;  // without brackets, as address parsers expect
    config.listen_port = static_cast<unsigned short>(number);
  }

  void read_tenant(const json& item, const std::string& path, Config& config) {
    check_keys(item, path, {"id", "name", "package"});
    Tenant tenant;
    if (auto id = text(item, path, "id", Need::required)) {
      std::string id_path = child_path(path, "id");
      if (valid_id(*id, id_path)) {
        auto [first, inserted] = tenant_ids_.emplace(*id, id_path);
        if (!inserted) report(id_path, "duplicate tenant id " + json_quoted(*id) + " (first at " + first->second + ")");
      }
      tenant.id = *id;
    }
    if (auto name = text(item, path, "name", Need::required)) {
      if (not_blank(*name, child_path(path, "name"))) tenant.name = *name;
    }
    if (auto package = text(item, path, "package", Need::required)) {
      if (auto parsed = parse_package(*package)) {
        tenant.package = *parsed;
      } else {
        report(child_path(path, "package"),
               "unknown package " + json_quoted(*package) + " (one of: selected, premium, elite, flagship)");
      }
    }
    // Kept even when faulty, so channels naming it are not reported a second time.
    config.tenants.push_back(std::move(tenant));
  }

  void read_staff(const json& item, const std::string& path, Config& config) {
    check_keys(item, path, {"id", "name", "role", "ids"});
    StaffMember member;
    if (auto id = text(item, path, "id", Need::required)) {
      std::string id_path = child_path(path, "id");
      // Ignoring case, because find_staff does: "Alice" and "alice" could not be told apart.
      if (valid_id(*id, id_path)) {
        auto [first, inserted] = staff_ids_.emplace(ascii_lower(*id), id_path);
        if (!inserted) report(id_path, "duplicate staff id " + json_quoted(*id) + " (first at " + first->second + ")");
      }
      member.id = *id;
    }
    if (auto name = text(item, path, "name", Need::required)) {
      if (not_blank(*name, child_path(path, "name"))) member.name = *name;
    }
    if (auto role = text(item, path, "role", Need::required)) {
      auto parsed = parse_role(*role);
      if (parsed && is_staff(*parsed)) {
        member.role = *parsed;
      } else if (parsed) {
        report(child_path(path, "role"),
               "partner is not a staff role: partners are whoever writes in their tenant's channel");
      } else {
        report(child_path(path, "role"), "unknown role " + json_quoted(*role) + " (one of: engineer, tam, manager, admin)");
      }
    }
    for_each_string_entry(item, path, "ids", [&](const std::string& platform, const std::string& user_id,
                                                 const std::string& entry_path) {
      if (platform.empty()) report(entry_path, "platform name must not be empty");
      if (!not_blank(user_id, entry_path)) return;
      auto [first, inserted] = platform_ids_.emplace(std::pair{platform, user_id}, entry_path);
      if (!inserted) {
        report(entry_path, platform + " user id " + json_quoted(user_id) + " is already given to another staff member (" +
                               first->second + ")");
      }
      member.platform_ids[platform] = user_id;
    });
    config.staff.push_back(std::move(member));
  }

  void read_connection(const json& item, const std::string& path, Config& config) {
    check_keys(item, path, {"name", "adapter", "secrets", "outbound_url"});
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
    for_each_string_entry(item, path, "secrets", [&](const std::string& name, const std::string& secret,
                                                     const std::string& entry_path) {
      if (secret.empty()) report(entry_path, "secret must not be empty");
      connection.secrets[name] = secret;
    });
    // Only when "secrets" is absent or an object: a wrong type was reported already.
    const json* secrets = member(item, path, "secrets", Need::optional);
    if (adapter_known && rules_.required_secrets && (secrets == nullptr || secrets->is_object())) {
      for (const auto& name : rules_.required_secrets(connection.adapter)) {
        if (secrets == nullptr || !secrets->contains(name)) {
          report(child_path(child_path(path, "secrets"), name),
                 "missing secret, required by the " + connection.adapter + " adapter");
        }
      }
    }
    // The URL is never quoted: webhook URLs often carry an access token.
    if (auto url = text(item, path, "outbound_url", Need::optional)) {
      bool http = url->starts_with("http://") && url->size() > 7;
      bool https = url->starts_with("https://") && url->size() > 8;
      if (!http && !https) {
        report(child_path(path, "outbound_url"), "must start with http:// or https:// and name a host");
      }
      connection.outbound_url = *url;
    }
    config.connections.push_back(std::move(connection));
  }

  void read_channel(const json& item, const std::string& path, Config& config) {
    check_keys(item, path, {"connection", "chat_id", "tenant", "support"});
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
    if (channel_key_ok) {
      auto [first, inserted] = channel_keys_.emplace(std::pair{channel.connection, channel.chat_id}, path);
      if (!inserted) report(child_path(path, "chat_id"), "the same connection and chat_id as " + first->second);
    }
    config.channels.push_back(std::move(channel));
  }

  const AdapterRules& rules_;
  const EnvLookup& env_;
  std::vector<ConfigProblem> problems_;
  // The path of the first occurrence of each unique value, for duplicate messages.
  std::map<std::string, std::string> tenant_ids_;
  std::map<std::string, std::string> staff_ids_;
  std::map<std::string, std::string> connection_names_;
  std::map<std::pair<std::string, std::string>, std::string> platform_ids_;
  std::map<std::pair<std::string, std::string>, std::string> channel_keys_;
};

ConfigResult single_problem(std::string path, std::string message) {
  ConfigResult result;
  result.problems.push_back({std::move(path), std::move(message)});
  return result;
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

ConfigResult parse_config(std::string_view json_text, const AdapterRules& rules, const EnvLookup& env) {
  DuplicateKeyWatch duplicates;
  json root;
  try {
    root = json::parse(json_text.begin(), json_text.end(),
                       [&duplicates](int /*depth*/, json::parse_event_t event, json& parsed) {
                         return duplicates.on_event(event, parsed);
                       });
  } catch (const json::parse_error& error) {
    return single_problem("", parse_error_message(json_text, error.byte));
  }
  ConfigResult result;
  result.problems = duplicates.take_problems();
  Validator validator(rules, env);
  auto config = validator.run(root);
  auto problems = validator.take_problems();
  result.problems.insert(result.problems.end(), problems.begin(), problems.end());
  if (result.problems.empty()) result.config = std::move(config);
  return result;
}

ConfigResult load_config_file(const std::string& path, const AdapterRules& rules, const EnvLookup& env) {
  std::error_code ignored;
  // A directory opens fine on Linux and then reads as empty, which would read as "not JSON".
  if (std::filesystem::is_directory(path, ignored)) {
    return single_problem("", "cannot read config file " + json_quoted(path) + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return single_problem("", "cannot open config file " + json_quoted(path) + ": " +
                                  std::error_code(errno, std::generic_category()).message());
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return single_problem("", "cannot read config file " + json_quoted(path));
  return parse_config(text, rules, env);
}

std::string format_problems(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const auto& problem : problems) {
    std::string line = (problem.path.empty() ? "(root)" : problem.path) + ": " + problem.message;
    // One line per problem, whatever a key or value contains.
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace slabot
