// The HTML report opened in a real browser: headless Chromium (Debian's `chromium`) loads the
// file, takes a screenshot, and reports no console message (no script error, nothing refused by
// the page's policy, nothing it failed to fetch); then prints it to PDF. Skipped, saying so,
// where Chromium is absent.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/render.hpp"
#include "tests/report/report_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;
using namespace slabot::testing;

namespace {

struct Opened {
  int exit_code = -1;
  std::string log;  // Chromium's stderr: console messages are its "CONSOLE" lines
  std::uintmax_t png_bytes = 0;
};

// Opens `html` in headless Chromium (a profile of its own, killed after two minutes) and
// screenshots it to `name`.png.
Opened open_in_chromium(const TempDir& dir, const std::string& name, const std::string& html) {
  const std::string page = dir.file(name + ".html"), png = dir.file(name + ".png"), log = dir.file(name + ".log");
  std::ofstream(page) << html;
  const std::string command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--user-data-dir=" +
      dir.file(name + "-profile") + " --enable-logging=stderr --v=0 --window-size=1200,2600 --screenshot=" + png +
      " file://" + page + " > " + log + " 2>&1";
  Opened opened;
  opened.exit_code = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  opened.log = text.str();
  if (std::filesystem::exists(png)) opened.png_bytes = std::filesystem::file_size(png);
  return opened;
}

std::string console_lines(const std::string& log) {
  std::istringstream in(log);
  std::string line, found;
  while (std::getline(in, line)) {
    if (line.find(":CONSOLE") != std::string::npos) found += line + "\n";
  }
  return found;
}

}  // namespace

TEST_CASE("html report: Chromium shows it with no console error, and screenshots it") {
  if (std::system("command -v chromium > /dev/null 2>&1") != 0) {
    WARN(
        "SKIPPED: chromium is not installed (Debian package `chromium`, see scripts/install-deps.sh); "
        "the HTML report was not opened in a browser");
    return;
  }
  TempDir dir;
  // The check itself: a page with a console error is caught.
  const Opened control = open_in_chromium(
      dir, "control", "<!DOCTYPE html><html><body><script>console.error('control')</script></body></html>");
  REQUIRE(console_lines(control.log).find("control") != std::string::npos);

  const Report report = compute_report(acme(), SlaPolicy{}, *parse_period("2026-11", Zone{}), rows_of("acme"));
  const Opened opened = open_in_chromium(dir, "report", render_html(report));
  INFO(opened.log);
  CHECK(opened.exit_code == 0);
  CHECK(console_lines(opened.log).empty());
  CHECK(opened.png_bytes > 20000);  // a page with tables and two charts, not a blank one

  // Printable: Chromium prints it to a PDF of a few pages.
  const std::string pdf = dir.file("report.pdf");
  const std::string print =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=" +
      dir.file("print-profile") + " --no-pdf-header-footer --print-to-pdf=" + pdf + " file://" +
      dir.file("report.html") + " > " + dir.file("print.log") + " 2>&1";
  CHECK(std::system(print.c_str()) == 0);
  std::ifstream in(pdf, std::ios::binary);
  std::string head(5, '\0');
  in.read(head.data(), 5);
  CHECK(head == "%PDF-");
}
