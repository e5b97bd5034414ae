#include "bot/monthly_reports.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <memory>

#include "domain/plural.hpp"
#include "report/render.hpp"
#include "report/report_reader.hpp"

namespace slabot {
namespace {

// One message a group of the tenant; the key makes a second queueing of the same post a no-op too.
std::vector<OutboxItem> report_messages(const Config& config, const Tenant& tenant, const std::string& period,
                                        const std::string& text) {
  std::vector<OutboxItem> items;
  for (const auto& channel : config.channels) {
    if (channel.tenant_id != tenant.id || !config.find_connection(channel.connection)) continue;
    OutboxItem item;
    item.message.connection = channel.connection;
    item.message.chat_id = channel.chat_id;
    item.message.url = channel.outbound_url;
    item.message.text = text;
    item.lane = Lane::routine;
    item.idempotency_key = "report:" + tenant.id + ":" + period + ":" + channel.connection + ":" + channel.chat_id;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::size_t MonthlyReports::post_due() {
  std::lock_guard lock(mutex_);
  const auto config = config_.current();
  const Timestamp now = clock_.now();
  std::unique_ptr<ReportReader> reader;  // opened when a report is due
  std::size_t posted = 0;
  for (const Tenant& tenant : config->tenants) {
    const auto& monthly = config->reports.monthly;
    if (std::find(monthly.begin(), monthly.end(), tenant.package) == monthly.end()) continue;
    const Period current = month_of(now, tenant.zone);
    // Due from the first day (plus post_after) for a week: a bot down on the first posts it when
    // back; one started for the first time mid-month does not surprise a group with an old month.
    const Timestamp due = current.start + config->reports.post_after;
    if (now < due || now >= due + kCatchUp) continue;
    const Period last = previous_month(current);
    const auto key = std::make_pair(tenant.id, last.name());
    if (posted_.contains(key)) continue;
    try {
      if (!reader) reader = std::make_unique<ReportReader>(config->database_path);
      if (reader->posted(tenant.id, last.name())) {
        posted_.insert(key);
        continue;
      }
      const std::string text = render_markdown(reader->report(tenant, config->sla, last));
      auto items = report_messages(*config, tenant, last.name(), text);
      if (items.empty()) continue;  // no group to post to: it may be added later this month
      const std::size_t groups = items.size();
      std::promise<WriteOutcome> written;
      store_.post_report(tenant.id, last.name(), std::move(items), now,
                         [&written](WriteOutcome outcome) { written.set_value(std::move(outcome)); });
      const WriteOutcome outcome = written.get_future().get();
      if (outcome.kind == WriteOutcome::Kind::applied) {
        spdlog::info("report: {} of {} posted to {}", last.name(), tenant.id, count_of(groups, "group"));
        ++posted;
      }
      if (outcome.kind == WriteOutcome::Kind::failed) {
        spdlog::warn("report: could not record {} of {}; trying again in a minute", last.name(), tenant.id);
        continue;
      }
      posted_.insert(key);
    } catch (const std::exception& e) {
      spdlog::warn("report: could not read {} of {}: {}; trying again in a minute", last.name(), tenant.id, e.what());
      reader.reset();
    }
  }
  if (posted && on_posted_) on_posted_();
  return posted;
}

}  // namespace slabot
