// WeCom's callback XML (adapters/wecom/wecom_xml.hpp): a reader of its own, so it gets a target
// of its own; the adapters target reaches it only through a valid AES envelope.
//
// Input: one XML document.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "adapters/wecom/wecom_xml.hpp"
#include "commands/utf8.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace slabot;
using wecom::XmlDocument;

namespace {

std::size_t depth_of(std::string_view path) {
  return static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')) + 1;
}

std::string_view parent_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string trimmed(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto document = FUZZ_NO_THROW(XmlDocument::parse(input));
  if (!document) return 0;

  const auto& fields = document->fields();
  FUZZ_CHECK(!fields.empty());  // a root element, at least
  const std::string& root = fields.front().path;
  FUZZ_CHECK(depth_of(root) == 1);
  std::map<std::string, std::size_t> seen;  // path -> how many so far
  for (const auto& field : fields) {
    FUZZ_CHECK(depth_of(field.path) <= static_cast<std::size_t>(XmlDocument::max_depth));
    FUZZ_CHECK(field.path.find("//") == std::string::npos && field.path.back() != '/');
    // Opening tags in document order: every element's parent came before it.
    if (&field != &fields.front()) {
      FUZZ_CHECK(depth_of(field.path) > 1);
      FUZZ_CHECK(seen.contains(std::string(parent_of(field.path))));
    }
    // Only the five entities and character references are decoded, to characters XML allows:
    // well-formed text stays well-formed.
    if (utf8::valid(input)) FUZZ_CHECK(utf8::valid(field.text));
    FUZZ_CHECK(field.text.size() <= input.size());
    ++seen[field.path];
  }
  // find and find_all read the same fields, trimmed.
  for (const auto& [path, count] : seen) {
    const auto first = document->find(path);
    FUZZ_CHECK(first.has_value());
    const auto all = document->find_all(path);
    FUZZ_CHECK(all.size() == count && all.front() == *first);
  }
  FUZZ_CHECK(*document->find(root) == trimmed(fields.front().text));
  FUZZ_CHECK(!document->find(root + "/").has_value());
  return 0;
}
