#include "commands/outbox_view.hpp"

#include "commands/utf8.hpp"
#include "domain/time_format.hpp"

namespace slabot {
namespace {

constexpr std::size_t kPreviewCodePoints = 60;

std::string count_text(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "2 failed tries, asked to wait 3 times": what the row went through, or "" when nothing yet.
std::string history_text(const OutboxRow& row) {
  std::string out;
  if (const int failed = row.attempts - row.waits; failed > 0) out += count_text(failed, "failed try", "failed tries");
  if (row.waits > 0)
    out += (out.empty() ? "" : ", ") + std::string("asked to wait ") + count_text(row.waits, "time", "times");
  return out;
}

void add_rows(std::string& out, const std::vector<OutboxRow>& rows, std::size_t total, const Zone& zone,
              const ChatOwner& owner) {
  for (const auto& row : rows) out += "\n" + outbox_line(row, zone, owner);
  if (total > rows.size()) out += "\n... and " + std::to_string(total - rows.size()) + " more";
}

}  // namespace

std::string outbox_line(const OutboxRow& row, const Zone& zone, const ChatOwner& owner) {
  const OutboundMessage& m = row.item.message;
  const std::string whose = owner ? owner(m.connection, m.chat_id) : "";
  std::string out = "message " + std::to_string(row.id) + " to " + (whose.empty() ? "" : "[" + whose + "] ") +
                    m.chat_id + " (" + m.connection + "): ";
  switch (row.status) {
    case OutboxStatus::dead:
      out += "dead";
      if (const auto history = history_text(row); !history.empty()) out += " after " + history;
      break;
    case OutboxStatus::pending:
      out += "waiting";
      if (const auto history = history_text(row); !history.empty()) {
        out += ", " + history + ", next " + format_time(row.next_attempt_at, zone);
      }
      break;
    case OutboxStatus::sent: out += "sent"; break;
    case OutboxStatus::superseded: out += "not sent (out of date)"; break;
  }
  if (!row.last_error.empty()) out += ": " + utf8::clip(row.last_error, kPreviewCodePoints * 2);
  out += "; queued " + format_time(row.created_at, zone);
  std::string text = m.text;
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return out + "; \"" + utf8::clip(text, kPreviewCodePoints) + "\"";
}

std::string outbox_report(Store& store, int shown, const std::string& retry_hint, const Zone& zone,
                          const ChatOwner& owner) {
  const std::size_t pending_total = store.count_outbox(OutboxQuery::pending);
  const std::size_t dead_total = store.count_outbox(OutboxQuery::dead);
  if (pending_total == 0 && dead_total == 0) return "outbox: every message delivered";
  std::string out = "outbox: " + std::to_string(pending_total) + " waiting, " + std::to_string(dead_total) + " dead";
  add_rows(out, store.list_outbox(OutboxQuery::dead, shown), dead_total, zone, owner);
  add_rows(out, store.list_outbox(OutboxQuery::pending, shown), pending_total, zone, owner);
  if (dead_total && !retry_hint.empty()) out += "\n" + retry_hint;
  return out;
}

}  // namespace slabot
