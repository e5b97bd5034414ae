#pragma once
// Keeps each tenant's customer success engagement honest, through the outbox, at 09:00 in the
// tenant's zone: a milestone falling due (`reminders.milestone_before` ahead) and one overdue;
// each working day of an open acceptance window, with the days left; the confirmation by the
// five-day rule once a window closed without an objection (its log row written with the notice);
// and the monthly comprehensive service report during the landing. Each is a "reminded" row in
// the tenant's log written with its messages (bot/entitlements/tenant_reminder.hpp), so it goes
// once, across restarts too; checked every minute of real time.
#include <chrono>
#include <cstddef>

#include "config/config.hpp"
#include "storage/store.hpp"

namespace slabot {

// How often the runtime looks (bot/runtime.cpp runs it on a PeriodicTask), and the local time of
// day the day's reminders go.
inline constexpr std::chrono::minutes kEngagementRemindersEvery{1};
inline constexpr std::chrono::hours kEngagementRemindersAt{9};

// Records and queues every engagement reminder due at `now` for `config`'s tenants and not sent
// before; returns how many. Waits for each write: runs on a thread of its own.
std::size_t remind_engagements(const Config& config, Store& store, Timestamp now);

}  // namespace slabot
