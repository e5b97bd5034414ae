#pragma once
// `slabot report`: one tenant's service summary report for one month, as md, csv or html.
#include <iosfwd>
#include <string>
#include <vector>

#include "bot/cli_args.hpp"

namespace slabot {

const CliSpec& report_spec();
int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace slabot
