#pragma once
// A ticket as a partner's /open hands it to the store: tenant "acme", opened by Pat at
// `opened_at`, its response due `response_time` later.
#include <string>

#include "domain/ticket.hpp"

namespace slabot::testing {

inline Ticket ticket_draft(std::string title, int severity, Timestamp opened_at, Duration response_time) {
  Ticket t;
  t.tenant_id = "acme";
  t.title = std::move(title);
  t.severity = severity;
  t.opened_by_id = "generic:u-pat";
  t.opened_by_name = "Pat";
  t.opened_at = t.clock_started_at = t.updated_at = opened_at;
  t.response_due_at = opened_at + response_time;
  return t;
}

}  // namespace slabot::testing
