#include "storage/outbox_rows.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "storage/sqlite_connection.hpp"

namespace slabot {
namespace {

std::string mentions_json(const std::vector<Mention>& mentions) {
  if (mentions.empty()) return "[]";  // most messages: no JSON built for them
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : mentions) list.push_back({{"id", m.user_id}, {"name", m.name}});
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<Mention> parse_mentions(const std::string& text) {
  std::vector<Mention> mentions;
  const auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return mentions;
  for (const auto& m : list) {
    if (m.is_object()) mentions.push_back({m.value("id", ""), m.value("name", "")});
  }
  return mentions;
}

// The message's buttons and tap reference as the `buttons` column keeps them; "" when it has
// neither (every message of a text-only platform).
std::string buttons_json(const OutboundMessage& message) {
  if (message.actions.empty() && !message.tap) return "";
  nlohmann::json buttons = nlohmann::json::object();
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& action : message.actions) actions.push_back(action_value(action));
  buttons["actions"] = std::move(actions);
  if (message.tap) {
    buttons["tap"] = {{"action", action_value(message.tap->action)},
                      {"message", message.tap->message_ref},
                      {"query", message.tap->query_id},
                      {"text", message.tap->original_text},
                      {"acted", message.tap->acted}};
  }
  return buttons.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What buttons_json wrote; a value it cannot read (a row from a newer slabot) is left out, and
// the message goes as text.
void read_buttons(const std::string& text, OutboundMessage& message) {
  if (text.empty()) return;
  const auto buttons = nlohmann::json::parse(text, nullptr, false);
  if (!buttons.is_object()) return;
  if (const auto actions = buttons.find("actions"); actions != buttons.end() && actions->is_array()) {
    for (const auto& value : *actions) {
      if (!value.is_string()) continue;
      if (auto action = parse_action_value(value.get<std::string>())) message.actions.push_back(*action);
    }
  }
  const auto tap = buttons.find("tap");
  if (tap == buttons.end() || !tap->is_object()) return;
  const auto action = parse_action_value(tap->value("action", ""));
  if (!action) return;
  message.tap = Tap{*action, tap->value("message", ""), tap->value("query", ""), tap->value("text", ""),
                    tap->value("acted", false)};
}

OutboxStatus parse_status(const std::string& text) {
  if (text == "sent") return OutboxStatus::sent;
  if (text == "dead") return OutboxStatus::dead;
  if (text == "superseded") return OutboxStatus::superseded;
  return OutboxStatus::pending;
}

}  // namespace

const char* const kOutboxColumns =
    "id, connection, chat_id, url, text, mentions, lane, idempotency_key, status, attempts, created_at, "
    "next_attempt_at, last_error, ticket_id, stage, waits, refusals, stage_clock, buttons, thread_id";

OutboxRow read_outbox_row(SQLite::Statement& row) {
  OutboxRow r;
  r.id = row.getColumn(0).getInt64();
  r.item.message.connection = row.getColumn(1).getString();
  r.item.message.chat_id = row.getColumn(2).getString();
  r.item.message.url = row.getColumn(3).getString();
  r.item.message.text = row.getColumn(4).getString();
  r.item.message.mentions = parse_mentions(row.getColumn(5).getString());
  r.item.lane = row.getColumn(6).getInt() == static_cast<int>(Lane::urgent) ? Lane::urgent : Lane::routine;
  r.item.idempotency_key = row.getColumn(7).getString();
  r.status = parse_status(row.getColumn(8).getString());
  r.attempts = row.getColumn(9).getInt();
  r.created_at = from_unix_ms(row.getColumn(10).getInt64());
  r.next_attempt_at = from_unix_ms(row.getColumn(11).getInt64());
  r.last_error = row.getColumn(12).getString();
  r.item.ticket_id = row.getColumn(13).getInt64();
  r.item.stage = row.getColumn(14).getInt();
  r.waits = row.getColumn(15).getInt();
  r.refusals = row.getColumn(16).getInt();
  r.item.stage_clock = from_unix_ms(row.getColumn(17).getInt64());
  read_buttons(row.getColumn(18).getString(), r.item.message);
  r.item.message.thread_id = row.getColumn(19).getString();
  return r;
}

void insert_outbox_item(SqliteConnection& db, const OutboxItem& item, Timestamp now) {
  // Bound without a copy (every row of an SLA burst passes here): declared before the statement.
  const std::string mentions = mentions_json(item.message.mentions);
  const std::string buttons = buttons_json(item.message);
  auto insert = db.statement(
      "INSERT INTO outbox (connection, chat_id, url, text, mentions, lane, idempotency_key, "
      "created_at, next_attempt_at, ticket_id, stage, stage_clock, buttons, thread_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (idempotency_key) DO NOTHING");
  insert->bindNoCopy(1, item.message.connection);
  insert->bindNoCopy(2, item.message.chat_id);
  insert->bindNoCopy(3, item.message.url);
  insert->bindNoCopy(4, item.message.text);
  insert->bindNoCopy(5, mentions);
  insert->bind(6, static_cast<int>(item.lane));
  insert->bindNoCopy(7, item.idempotency_key);
  insert->bind(8, to_unix_ms(now));
  insert->bind(9, to_unix_ms(now));
  insert->bind(10, item.ticket_id);
  insert->bind(11, item.stage);
  insert->bind(12, to_unix_ms(item.stage_clock));
  insert->bindNoCopy(13, buttons);
  insert->bindNoCopy(14, item.message.thread_id);
  insert->exec();
}

bool update_outbox_delivery(SqliteConnection& db, std::int64_t id, const DeliveryUpdate& update) {
  auto statement = db.statement(
      "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, waits = ?, refusals = ? "
      "WHERE id = ?");
  statement->bind(1, std::string(outbox_status_name(update.status)));
  statement->bind(2, update.attempts);
  statement->bind(3, to_unix_ms(update.next_attempt_at));
  statement->bind(4, update.last_error);
  statement->bind(5, update.waits);
  statement->bind(6, update.refusals);
  statement->bind(7, id);
  return statement->exec() == 1;
}

}  // namespace slabot
