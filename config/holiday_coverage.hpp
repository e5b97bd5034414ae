#pragma once
// Which countries' holiday lists have not been written for the year in hand. A year's public
// holidays are announced late in the year before (China's State Council in November or
// December), and the operator adds them to holidays_dir; until then every Monday to Friday of
// that year counts as a working day, which moves acceptance windows and lead times. check-config
// and serve's start say so; nothing refuses to run.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace slabot {

// One line per country and year whose list names no day of it, for the tenants that keep that
// country's holidays (and name none of that year among their own): `today`'s year, and in
// December the next one too (an engagement's 15-working-day lead time reaches into it). Empty
// when every list in use covers them.
std::vector<std::string> holiday_list_gaps(const Config& config, Date today);

}  // namespace slabot
