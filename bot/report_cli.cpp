#include "bot/report_cli.hpp"

#include <fstream>
#include <ostream>
#include <utility>

#include "bot/cli_config.hpp"
#include "domain/clock.hpp"
#include "domain/plural.hpp"
#include "report/engagement_report.hpp"
#include "report/render.hpp"
#include "report/report_reader.hpp"

namespace slabot {
namespace {

std::string tenant_ids(const Config& config) {
  std::string ids;
  for (const auto& t : config.tenants) ids += (ids.empty() ? "" : ", ") + t.id;
  return ids.empty() ? "none" : ids;
}

// The config at `path`, or nullopt when it has problems (listed on `err`).
std::optional<Config> checked_config(const std::string& path, std::ostream& err) {
  auto loaded = load_checked(path);
  if (loaded.problems.empty()) return std::move(loaded.config);
  err << path << ": " << count_of(loaded.problems.size(), "problem") << "\n" << format_problems(loaded.problems);
  return std::nullopt;
}

// The report to standard output, or to --out's file.
int write_out(const CliArgs& cli, const std::string& text, std::ostream& out, std::ostream& err) {
  if (!cli.values.contains("--out")) {
    out << text;
    return 0;
  }
  std::ofstream file(cli.value("--out"), std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "slabot report: cannot write " << cli.value("--out") << "\n";
    return 1;
  }
  return 0;
}

int run_engagement_report(const CliArgs& cli, std::ostream& out, std::ostream& err);

}  // namespace

const CliSpec& report_spec() {
  static const CliSpec spec{
      "report",
      "usage: slabot report --config FILE --tenant ID --period YYYY-MM [--format md|csv|html]\n"
      "                     [--out FILE]\n"
      "       slabot report --config FILE --engagement TENANT|ID [--format md|html] [--out FILE]\n"
      "  one tenant's service summary report for a calendar month in the tenant's zone\n"
      "  (md unless told), or a customer success engagement's (the tenant's latest, or the\n"
      "  one whose number /engagement's log gave), read from the database without writing\n"
      "  to it; --out writes it to FILE instead of standard output\n",
      {"--config", "--tenant", "--period", "--format", "--out", "--engagement"},
      {}};
  return spec;
}

int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = report_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  if (!cli.words.empty()) return usage_error(spec, "unexpected argument '" + cli.words[0] + "'", err);
  if (cli.values.contains("--engagement")) return run_engagement_report(cli, out, err);
  constexpr std::pair<const char*, const char*> kNeeded[] = {
      {"--config", "FILE"}, {"--tenant", "ID"}, {"--period", "YYYY-MM"}};
  for (const auto& [option, what] : kNeeded) {
    if (!cli.values.contains(option)) return usage_error(spec, std::string("missing ") + option + " " + what, err);
  }
  const std::string format = cli.values.contains("--format") ? cli.value("--format") : "md";
  if (format != "md" && format != "csv" && format != "html") {
    return usage_error(spec, "--format is md, csv or html, not '" + format + "'", err);
  }
  // The month is checked before the config is read: a typo is told at once, whatever the file.
  if (!parse_period(cli.value("--period"), Zone{})) {
    return usage_error(spec, "--period is a month like 2026-11, not '" + cli.value("--period") + "'", err);
  }
  const std::string config_path = cli.value("--config");
  const auto loaded = checked_config(config_path, err);
  if (!loaded) return 2;
  const Config& config = *loaded;
  const Tenant* tenant = config.find_tenant(cli.value("--tenant"));
  if (!tenant) {
    err << "slabot report: no tenant '" << cli.value("--tenant") << "' in " << config_path
        << " (tenants: " << tenant_ids(config) << ")\n";
    return 2;
  }
  if (auto missing = missing_database(config.database_path)) {
    err << "slabot report: " << *missing << "\n";
    return 2;
  }
  // A month not over is reported so far, and says so.
  const Timestamp now = SystemClock{}.now();
  const Period month = *parse_period(cli.value("--period"), tenant->zone);
  if (month.start > now) return usage_error(spec, month.name() + " has not begun", err);
  const Period period = up_to(month, now);
  std::string text;
  try {
    ReportReader reader(config.database_path);
    const Report report = reader.report(*tenant, config.sla, period);
    text = format == "md" ? render_markdown(report) + "\n" : format == "csv" ? render_csv(report) : render_html(report);
  } catch (const std::exception& e) {
    err << "slabot report: cannot read " << config.database_path << ": " << e.what() << "\n";
    return 1;
  }
  return write_out(cli, text, out, err);
}

namespace {

int run_engagement_report(const CliArgs& cli, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = report_spec();
  if (cli.values.contains("--tenant") || cli.values.contains("--period")) {
    return usage_error(spec, "--engagement names its tenant itself and takes no --tenant or --period", err);
  }
  if (!cli.values.contains("--config")) return usage_error(spec, "missing --config FILE", err);
  const std::string format = cli.values.contains("--format") ? cli.value("--format") : "md";
  if (format != "md" && format != "html") {
    return usage_error(spec, "an engagement report's --format is md or html, not '" + format + "'", err);
  }
  const std::string config_path = cli.value("--config");
  const auto loaded = checked_config(config_path, err);
  if (!loaded) return 2;
  const Config& config = *loaded;
  if (auto missing = missing_database(config.database_path)) {
    err << "slabot report: " << *missing << "\n";
    return 2;
  }
  const std::string named = cli.value("--engagement");
  std::string text;
  try {
    ReportReader reader(config.database_path);
    // A tenant's id, else the number of an engagement's start row.
    const Tenant* tenant = config.find_tenant(named);
    std::int64_t id = 0;
    if (!tenant && !named.empty() && named.find_first_not_of("0123456789") == std::string::npos && named.size() < 18) {
      id = std::stoll(named);
      tenant = config.find_tenant(reader.engagement_tenant(id));
    }
    if (!tenant) {
      err << "slabot report: no tenant or engagement '" << named << "' (tenants: " << tenant_ids(config) << ")\n";
      return 2;
    }
    const Timestamp now = SystemClock{}.now();
    const auto engagement =
        rebuild_engagement(reader.engagement_rows(tenant->id), tenant->calendar, tenant->zone, now, id);
    if (!engagement) {
      err << "slabot report: " << tenant->id << " has no engagement\n";
      return 2;
    }
    text = format == "md" ? render_engagement_markdown(*tenant, *engagement, now)
                          : render_engagement_html(*tenant, *engagement, now);
  } catch (const std::exception& e) {
    err << "slabot report: cannot read " << config.database_path << ": " << e.what() << "\n";
    return 1;
  }
  return write_out(cli, text, out, err);
}

}  // namespace

}  // namespace slabot
