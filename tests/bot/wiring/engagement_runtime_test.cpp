// The customer success engagement, wired: its reminders at 09:00 in the tenant's zone (a milestone
// falling due and overdue, each working day of an acceptance window, the confirmation by the
// five-day rule, the landing's monthly report), each sent once, across restarts too.
#include <catch2/catch.hpp>

#include <future>

#include "bot/runtime.hpp"
#include "domain/contract_year.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/bot/wiring/recording_http_client.hpp"
#include "tests/support/ladder_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace std::chrono_literals;

namespace {

Zone shanghai() {
  std::string error;
  return Zone::find("Asia/Shanghai", error).value();
}

// `hour`:`minute` local time in Shanghai on `date`.
Timestamp local(const char* date, int hour, int minute = 0) {
  return start_of(*parse_date(date), shanghai()) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

InboundMessage message(const std::string& user, const std::string& text) {
  return InboundMessage{"hooks", "generic", "", "acme-7x24", user, user, text};
}

std::string ask(MessageHandler& handler, InboundMessage m) {
  std::promise<BotReply> promise;
  handler.handle(std::move(m), [&](BotReply r) { promise.set_value(std::move(r)); });
  return promise.get_future().get().text;
}

struct Fixture {
  Fixture() { config.tenants[0].zone = shanghai(); }
  testing::TempDir dir;
  Config config = testing::ladder_config(dir.file("eng.db"), "http://platform.invalid/out");
  std::optional<SqliteStore> store{SqliteStoreOptions{config.database_path}};
  ManualClock clock{local("2026-01-05", 10)};
  testing::RecordingHttpClient http;

  std::string say_at(Timestamp t, const std::string& user, const std::string& text) {
    clock.set(t);
    BotRuntime runtime(config, *store, clock, http);
    return ask(runtime, message(user, text));
  }
  // Reminds as a freshly started bot would at `t`.
  std::size_t remind_at(Timestamp t) {
    clock.set(t);
    return remind_engagements(config, *store, t);
  }
  void restart() {
    store.reset();  // the bot stops; the file stays
    store.emplace(SqliteStoreOptions{config.database_path});
  }
  std::vector<std::string> group_texts() {
    std::vector<std::string> texts;
    for (const auto& row : store->list_outbox(OutboxQuery::all, 100)) {
      if (row.item.message.chat_id == "acme-7x24") texts.push_back(row.item.message.text);
    }
    return texts;
  }
};

}  // namespace

TEST_CASE("engagement reminders: the acceptance window day by day, and the five-day rule once across restarts") {
  Fixture f;
  REQUIRE(f.say_at(local("2026-01-05", 10), "u-erin", "/engagement start standard digital marketing at:2026-01-31")
              .starts_with("Engagement started"));
  f.say_at(local("2026-02-04", 10), "u-erin", "/milestone done 1.1");
  CHECK(
      f.say_at(local("2026-02-06", 16), "u-erin", "/deliverable submit 1.2 Research report").find("until 2026-02-13") !=
      std::string::npos);
  CHECK(f.remind_at(local("2026-02-06", 17)) == 0);     // the day it was submitted is not in its window
  CHECK(f.remind_at(local("2026-02-07", 10)) == 0);     // Saturday
  CHECK(f.remind_at(local("2026-02-09", 8, 59)) == 0);  // Monday, before 09:00
  CHECK(f.remind_at(local("2026-02-09", 9)) == 1);
  CHECK(f.remind_at(local("2026-02-09", 15)) == 0);
  f.restart();
  CHECK(f.remind_at(local("2026-02-11", 9, 30)) == 1);
  CHECK(f.remind_at(local("2026-02-13", 23)) == 1);  // the last day, late: still sent
  // The window closed at local midnight; the rule's confirmation is written and told at 09:00.
  CHECK(f.remind_at(local("2026-02-14", 8)) == 0);
  CHECK(f.remind_at(local("2026-02-14", 9)) == 1);
  CHECK(f.remind_at(local("2026-02-14", 9, 1)) == 0);
  f.restart();
  CHECK(f.remind_at(local("2026-02-14", 10)) == 0);
  CHECK(f.remind_at(local("2026-02-16", 9)) == 0);

  const auto texts = f.group_texts();
  REQUIRE(texts.size() == 4);
  CHECK(texts[0] ==
        "Deliverable 1.2 \"Research report\" awaits the customer's confirmation or objection: 5 working days left "
        "(until 2026-02-13); without an objection it is confirmed; TAM: Tom");
  CHECK(texts[1].find(": 3 working days left") != std::string::npos);
  CHECK(texts[2].find(": 1 working day left") != std::string::npos);
  CHECK(texts[3] ==
        "Deliverable 1.2 \"Research report\" is confirmed by the five-day rule: no objection within 5 working days "
        "(until 2026-02-13); TAM: Tom");
  std::size_t rule_rows = 0;
  for (const auto& row : f.store->tenant_log("acme", "engagement", {})) rule_rows += row.detail == "rule-confirm 1.2";
  CHECK(rule_rows == 1);
  CHECK(f.say_at(local("2026-02-16", 10), "u-pat", "/engagement")
            .find("\"Research report\" confirmed by the five-day rule 2026-02-14 00:00 +08:00") != std::string::npos);
}

TEST_CASE("engagement reminders: a milestone falling due, overdue, and the landing's monthly report") {
  Fixture f;
  f.say_at(local("2026-01-05", 10), "u-erin", "/engagement start standard digital marketing at:2026-01-31");
  f.say_at(local("2026-02-04", 10), "u-erin", "/milestone done 1.1");
  // 1.2 is due 2026-02-28: reminded at 09:00 two days ahead (reminders.milestone_before), then once overdue.
  CHECK(f.remind_at(local("2026-02-26", 8, 59)) == 0);
  CHECK(f.remind_at(local("2026-02-26", 9)) == 1);
  CHECK(f.remind_at(local("2026-02-28", 12)) == 0);
  CHECK(f.remind_at(local("2026-03-01", 9)) == 1);
  f.restart();
  CHECK(f.remind_at(local("2026-03-02", 9)) == 0);
  auto texts = f.group_texts();
  REQUIRE(texts.size() == 2);
  CHECK(texts[0] ==
        "Engagement milestone 1.2 (current situation investigation and demand analysis) is due 2026-02-28 and not "
        "done yet; TAM: Tom");
  CHECK(texts[1] ==
        "Engagement milestone 1.2 (current situation investigation and demand analysis) was due 2026-02-28 and is "
        "overdue; TAM: Tom");
  // Landing: the comprehensive service report each month from T+3M (2026-04-30).
  for (const char* m : {"1.2", "1.3", "1.4"})
    f.say_at(local("2026-03-02", 10), "u-erin", std::string("/milestone done ") + m);
  CHECK(f.remind_at(local("2026-04-29", 9)) == 0);
  CHECK(f.remind_at(local("2026-04-30", 9)) == 1);
  CHECK(f.remind_at(local("2026-05-15", 9)) == 0);
  CHECK(f.remind_at(local("2026-05-31", 9)) == 1);
  texts = f.group_texts();
  CHECK(texts.back() ==
        "Engagement landing: this month's comprehensive service report is due (2026-05-31); submit it with "
        "/deliverable submit 1.4 <title>; TAM: Tom");
}

TEST_CASE("engagement reminders: a cancelled engagement's reminders stop, its open window included") {
  Fixture f;
  f.say_at(local("2026-01-05", 10), "u-erin", "/engagement start standard digital marketing at:2026-01-31");
  f.say_at(local("2026-02-04", 10), "u-erin", "/milestone done 1.1");
  f.say_at(local("2026-02-06", 16), "u-erin", "/deliverable submit 1.2 Research report");
  CHECK(f.remind_at(local("2026-02-09", 9)) == 1);  // the window's first working day
  CHECK(f.say_at(local("2026-02-09", 10), "u-erin", "/engagement cancel the customer withdrew")
            .starts_with("Engagement (standard, from 2026-01-31) cancelled: the customer withdrew"));
  for (const char* day : {"2026-02-10", "2026-02-13", "2026-02-14", "2026-02-26", "2026-03-01", "2026-04-30"})
    CHECK(f.remind_at(local(day, 9)) == 0);  // no window, no rule, no milestone, no landing report
  CHECK(f.group_texts().size() == 1);
  CHECK(f.say_at(local("2026-02-16", 10), "u-pat", "/engagement")
            .find("\"Research report\" undecided (engagement cancelled)") !=
        std::string::npos);  // never confirmed by the rule
}

TEST_CASE("engagement reminders: an acceptance reminder @-mentions the customer success manager in the group") {
  Fixture f;
  f.say_at(local("2026-01-05", 10), "u-erin", "/engagement start standard digital marketing at:2026-01-31");
  auto naming = message("u-erin", "/engagement csm @Wei Zhang");
  naming.mentions = {{"u-wei", "Wei Zhang"}};  // as the platform identified the person mentioned
  f.clock.set(local("2026-01-06", 10));
  {
    BotRuntime runtime(f.config, *f.store, f.clock, f.http);
    REQUIRE(ask(runtime, naming).starts_with("Wei Zhang is the customer success manager"));
  }
  f.say_at(local("2026-02-04", 10), "u-erin", "/milestone done 1.1");
  f.say_at(local("2026-02-06", 16), "u-erin", "/deliverable submit 1.2 Research report");
  REQUIRE(f.remind_at(local("2026-02-09", 9)) == 1);
  // The rule's confirmation of 1.2, and 1.2 falling due (the staff's work: no manager mentioned).
  CHECK(f.remind_at(local("2026-02-26", 9)) == 2);

  std::vector<std::vector<Mention>> group, support;
  for (const auto& row : f.store->list_outbox(OutboxQuery::all, 100)) {
    if (row.item.idempotency_key.find(" accept ") == std::string::npos &&
        row.item.idempotency_key.find(" 1.2 due") == std::string::npos)
      continue;
    (row.item.message.chat_id == "acme-7x24" ? group : support).push_back(row.item.message.mentions);
  }
  REQUIRE(group.size() == 2);
  REQUIRE(support.size() == 2);
  auto ids = [](const std::vector<Mention>& mentions) {
    std::vector<std::string> out;
    for (const auto& m : mentions) out.push_back(m.user_id);
    return out;
  };
  // In the partner's group the manager is mentioned beside the TAM; the support side, where the
  // manager is not a member, mentions the TAM alone.
  CHECK(ids(group[0]) == std::vector<std::string>{"u-tom", "u-wei"});
  CHECK(group[0][1].name == "Wei Zhang");
  CHECK(ids(support[0]) == std::vector<std::string>{"u-tom"});
  // A reminder of a milestone falling due is for the staff: the TAM only.
  CHECK(ids(group[1]) == std::vector<std::string>{"u-tom"});
  CHECK(ids(support[1]) == std::vector<std::string>{"u-tom"});
}
