#include "config/config.hpp"

#include <algorithm>
#include <string_view>

namespace slabot {

bool Channel::hears(const std::string& tenant, int severity) const {
  if (severity > lowest_severity) return false;
  return covers.empty() || std::find(covers.begin(), covers.end(), tenant) != covers.end();
}

namespace {

// Folds ASCII letters only: ids are ASCII by validation, and folding other scripts would need a
// locale; bytes of non-ASCII names ("王伟") compare exactly.
bool equals_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

const Tenant* Config::find_tenant(const std::string& id) const {
  auto it = std::find_if(tenants.begin(), tenants.end(), [&](const Tenant& t) { return t.id == id; });
  return it == tenants.end() ? nullptr : &*it;
}

const Connection* Config::find_connection(const std::string& name) const {
  auto it = std::find_if(connections.begin(), connections.end(), [&](const Connection& c) { return c.name == name; });
  return it == connections.end() ? nullptr : &*it;
}

const Channel* Config::find_channel(const std::string& connection, const std::string& chat_id) const {
  auto it = std::find_if(channels.begin(), channels.end(),
                         [&](const Channel& c) { return c.connection == connection && c.chat_id == chat_id; });
  return it == channels.end() ? nullptr : &*it;
}

std::string Config::tenant_label(const std::string& tenant_id) const {
  const Tenant* tenant = find_tenant(tenant_id);
  return tenant && !tenant->name.empty() ? tenant->name : tenant_id;
}

std::string Config::chat_owner(const std::string& connection, const std::string& chat_id) const {
  const Channel* channel = find_channel(connection, chat_id);
  if (!channel) return "";
  return channel->support_side() ? "support side" : tenant_label(channel->tenant_id);
}

const StaffMember* Config::find_staff_by_platform(const std::string& platform, const std::string& user_id) const {
  // Platform user ids are opaque tokens ("U01ABC"): compared exactly.
  auto it = std::find_if(staff.begin(), staff.end(), [&](const StaffMember& s) {
    auto id = s.platform_ids.find(platform);
    return id != s.platform_ids.end() && id->second == user_id;
  });
  return it == staff.end() ? nullptr : &*it;
}

const StaffMember* Config::find_staff(const std::string& id_or_name) const {
  std::string_view wanted = id_or_name;
  if (!wanted.empty() && wanted.front() == '@') wanted.remove_prefix(1);  // "@alice" as typed in chat
  if (wanted.empty()) return nullptr;
  // Ids first: an id is unique, while a name may happen to equal someone else's id.
  for (const auto& member : staff) {
    if (equals_ignoring_case(member.id, wanted)) return &member;
  }
  for (const auto& member : staff) {
    if (equals_ignoring_case(member.name, wanted)) return &member;
  }
  return nullptr;
}

Zone Config::reader_zone(const Channel& channel) const {
  if (channel.support_side()) return channel.zone;
  const Tenant* tenant = find_tenant(channel.tenant_id);
  return tenant ? tenant->zone : Zone{};
}

}  // namespace slabot
