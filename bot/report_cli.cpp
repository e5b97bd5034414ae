#include "bot/report_cli.hpp"

#include <fstream>
#include <ostream>
#include <utility>

#include "bot/cli_config.hpp"
#include "domain/clock.hpp"
#include "domain/plural.hpp"
#include "report/render.hpp"
#include "report/report_reader.hpp"

namespace slabot {
namespace {

std::string tenant_ids(const Config& config) {
  std::string ids;
  for (const auto& t : config.tenants) ids += (ids.empty() ? "" : ", ") + t.id;
  return ids.empty() ? "none" : ids;
}

}  // namespace

const CliSpec& report_spec() {
  static const CliSpec spec{"report",
                            "usage: slabot report --config FILE --tenant ID --period YYYY-MM [--format md|csv|html]\n"
                            "                     [--out FILE]\n"
                            "  one tenant's service summary report for a calendar month in the tenant's zone\n"
                            "  (md unless told), read from the database without writing to it; --out writes\n"
                            "  it to FILE instead of standard output\n",
                            {"--config", "--tenant", "--period", "--format", "--out"},
                            {}};
  return spec;
}

int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CliSpec& spec = report_spec();
  const CliArgs cli = parse_cli(args, spec);
  if (auto code = help_or_mistake(spec, cli, out, err)) return *code;
  if (!cli.words.empty()) return usage_error(spec, "unexpected argument '" + cli.words[0] + "'", err);
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
  const auto loaded = load_checked(config_path);
  if (!loaded.problems.empty()) {
    err << config_path << ": " << count_of(loaded.problems.size(), "problem") << "\n" << format_problems(loaded.problems);
    return 2;
  }
  const Config& config = *loaded.config;
  const Tenant* tenant = config.find_tenant(cli.value("--tenant"));
  if (!tenant) {
    err << "slabot report: no tenant '" << cli.value("--tenant") << "' in " << config_path << " (tenants: "
        << tenant_ids(config) << ")\n";
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

}  // namespace slabot
