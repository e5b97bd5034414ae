#include "commands/outbox_view.hpp"

#include "commands/utf8.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

constexpr std::size_t kPreviewCodePoints = 60;

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

void add_rows(std::string& out, const std::vector<OutboxRow>& rows, std::size_t total) {
  for (const auto& row : rows) out += "\n" + outbox_line(row);
  if (total > rows.size()) out += "\n... and " + std::to_string(total - rows.size()) + " more";
}

}  // namespace

std::string outbox_line(const OutboxRow& row) {
  const OutboundMessage& m = row.item.message;
  std::string out = "message " + std::to_string(row.id) + " to " + m.chat_id + " (" + m.connection + "): ";
  switch (row.status) {
    case OutboxStatus::dead:
      out += "dead after " + attempts_text(row.attempts);
      break;
    case OutboxStatus::pending:
      out += row.attempts == 0 ? std::string("waiting")
                               : "waiting, " + attempts_text(row.attempts) + ", next " + format_time(row.next_attempt_at);
      break;
    case OutboxStatus::sent:
      out += "sent";
      break;
  }
  if (!row.last_error.empty()) out += ": " + utf8::clip(row.last_error, kPreviewCodePoints * 2);
  out += "; queued " + format_time(row.created_at);
  std::string text = m.text;
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return out + "; \"" + utf8::clip(text, kPreviewCodePoints) + "\"";
}

std::string outbox_report(Store& store, int shown, const std::string& retry_hint) {
  const std::size_t pending_total = store.count_outbox(OutboxQuery::pending);
  const std::size_t dead_total = store.count_outbox(OutboxQuery::dead);
  if (pending_total == 0 && dead_total == 0) return "outbox: every message delivered";
  std::string out = "outbox: " + std::to_string(pending_total) + " waiting, " + std::to_string(dead_total) + " dead";
  add_rows(out, store.list_outbox(OutboxQuery::dead, shown), dead_total);
  add_rows(out, store.list_outbox(OutboxQuery::pending, shown), pending_total);
  if (dead_total && !retry_hint.empty()) out += "\n" + retry_hint;
  return out;
}

}  // namespace slabot
