#include "domain/zone.hpp"

#include <exception>

#include <date/tz.h>

#include "domain/ascii.hpp"

namespace slabot {
namespace {

constexpr std::string_view kUtc = "UTC";

// A name that differs from a real one only in case ("asia/shanghai"): the tz database's names
// are case-sensitive, so the message says the right spelling.
std::string same_but_case(std::string_view name) {
  for (const auto& zone : date::get_tzdb().zones) {
    if (ascii_lower(zone.name()) == ascii_lower(name)) return zone.name();
  }
  return "";
}

}  // namespace

std::optional<Zone> Zone::find(std::string_view name, std::string& error) {
  if (name == kUtc) return Zone{};
  // The tz database lists "localtime", the server's own setting: the very thing a named zone
  // is there to avoid.
  if (name == "localtime") {
    error = "\"localtime\" is the server's own setting, not a zone: name one, such as \"Europe/Berlin\"";
    return std::nullopt;
  }
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return Zone{zone->name(), zone};
  } catch (const std::exception&) {
    // Not in the database, or no database at all (locate_zone says which in its message).
  }
  try {
    const std::string spelled = same_but_case(name);
    error = "unknown timezone \"" + std::string(name) + "\" (" +
            (spelled.empty() ? "an IANA name from the tz database, such as \"Europe/Berlin\" or \"Asia/Shanghai\""
                             : "did you mean \"" + spelled + "\"?") +
            ")";
  } catch (const std::exception& no_database) {
    error = "cannot read the tz database (is Debian's tzdata installed?): " + std::string(no_database.what());
  }
  return std::nullopt;
}

std::chrono::seconds Zone::offset_at(Timestamp t) const {
  if (zone_ == nullptr) return std::chrono::seconds{0};
  return zone_->get_info(t).offset;
}

}  // namespace slabot
