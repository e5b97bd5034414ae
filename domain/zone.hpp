#pragma once
// A time zone as readers live in it: UTC, or a zone of the system's tz database by its IANA name
// ("Asia/Shanghai", "Europe/Berlin"), daylight saving and all. The tz library (Debian's
// libhowardhinnant-date-dev, reading /usr/share/zoneinfo from tzdata) stays behind this header.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace date {
class time_zone;
}  // namespace date

namespace slabot {

class Zone {
 public:
  Zone() = default;  // UTC

  // The zone by its IANA name; "UTC" needs no database. nullopt when the tz database has no such
  // zone or cannot be read; `error` then says which, in words fit for check-config.
  static std::optional<Zone> find(std::string_view name, std::string& error);

  const std::string& name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr; }
  // How far local time is ahead of UTC at `t` (negative west of Greenwich), daylight saving
  // included.
  std::chrono::seconds offset_at(Timestamp t) const;

  bool operator==(const Zone& other) const { return name_ == other.name_; }

 private:
  Zone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}

  std::string name_ = "UTC";
  // Owned by the tz library's database, which lives as long as the process.
  const date::time_zone* zone_ = nullptr;
};

}  // namespace slabot
