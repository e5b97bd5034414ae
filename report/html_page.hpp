#pragma once
// The page every HTML report is printed on: one self-contained document (inline CSS, a Content
// Security Policy allowing nothing to be fetched or run), print-friendly. Shared by the service
// summary report and the engagement report, so they look alike.
#include <string>

namespace slabot {

// "<!DOCTYPE html>...<body>" with `title` (escaped) as the document's title.
std::string html_page_start(const std::string& title);
// "</body></html>".
std::string html_page_end();
// A table cell of `text` (escaped), right-aligned when it is a number.
std::string html_cell(const std::string& text, bool number = false);

}  // namespace slabot
