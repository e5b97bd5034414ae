#include "adapters/wecom/wecom_xml.hpp"

#include <charconv>
#include <cstdint>

namespace slabot::wecom {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// XML's Char production: what a character reference may name.
bool is_xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Recursive descent over the subset described in the header. Every failure returns false and
// the whole document is refused.
class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool document(std::vector<XmlField>& out) {
    if (rest().starts_with("\xEF\xBB\xBF")) pos_ += 3;  // a UTF-8 byte order mark
    skip_space();
    if (rest().starts_with("<?xml") && s_.size() > pos_ + 5 && (is_space(s_[pos_ + 5]) || s_[pos_ + 5] == '?')) {
      const std::size_t end = s_.find("?>", pos_);
      if (end == std::string_view::npos) return false;
      if (s_.substr(pos_, end - pos_).find('<', 1) != std::string_view::npos) return false;
      pos_ = end + 2;
      skip_space();
    }
    if (!at('<') || pos_ + 1 >= s_.size() || !is_name_start(s_[pos_ + 1])) return false;
    if (!element("", 1, out)) return false;
    skip_space();
    return pos_ == s_.size();
  }

 private:
  std::string_view rest() const { return s_.substr(pos_); }
  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }

  std::string_view name() {
    const std::size_t start = pos_;
    if (pos_ >= s_.size() || !is_name_start(s_[pos_])) return {};
    while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // Reads past attributes up to and including '>' or "/>"; `empty` tells which.
  bool attributes(bool& empty) {
    for (;;) {
      skip_space();
      if (rest().starts_with("/>")) {
        pos_ += 2;
        empty = true;
        return true;
      }
      if (at('>')) {
        ++pos_;
        empty = false;
        return true;
      }
      if (name().empty()) return false;
      skip_space();
      if (!at('=')) return false;
      ++pos_;
      skip_space();
      if (!at('"') && !at('\'')) return false;
      const char quote = s_[pos_++];
      const std::size_t close = s_.find(quote, pos_);
      if (close == std::string_view::npos) return false;
      if (s_.substr(pos_, close - pos_).find('<') != std::string_view::npos) return false;
      pos_ = close + 1;
    }
  }

  // At '&': appends the referenced character. Only the predefined entities and character
  // references exist without a DTD; anything else is malformed.
  bool reference(std::string& out) {
    const std::size_t semicolon = s_.find(';', pos_);
    if (semicolon == std::string_view::npos || semicolon - pos_ > 10) return false;
    const std::string_view ref = s_.substr(pos_ + 1, semicolon - pos_ - 1);
    pos_ = semicolon + 1;
    if (ref == "lt") return out.push_back('<'), true;
    if (ref == "gt") return out.push_back('>'), true;
    if (ref == "amp") return out.push_back('&'), true;
    if (ref == "quot") return out.push_back('"'), true;
    if (ref == "apos") return out.push_back('\''), true;
    if (ref.size() < 2 || ref.front() != '#') return false;
    std::string_view digits = ref.substr(1);
    int base = 10;
    if (digits.front() == 'x') {
      digits.remove_prefix(1);
      base = 16;
    }
    std::uint32_t cp = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, base);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size()) return false;
    if (!is_xml_char(cp)) return false;
    append_utf8(out, cp);
    return true;
  }

  // At '<' of an opening tag.
  bool element(const std::string& parent, int depth, std::vector<XmlField>& out) {
    if (depth > XmlDocument::max_depth) return false;
    ++pos_;
    const std::string_view tag = name();
    if (tag.empty()) return false;
    const std::size_t index = out.size();  // out grows while children are read: keep an index
    out.push_back({parent.empty() ? std::string(tag) : parent + "/" + std::string(tag), {}});
    bool empty = false;
    if (!attributes(empty)) return false;
    if (empty) return true;
    for (;;) {
      if (pos_ >= s_.size()) return false;
      if (at('&')) {
        if (!reference(out[index].text)) return false;
        continue;
      }
      if (!at('<')) {
        out[index].text.push_back(s_[pos_++]);
        continue;
      }
      if (rest().starts_with("</")) {
        pos_ += 2;
        if (name() != tag) return false;
        skip_space();
        if (!at('>')) return false;
        ++pos_;
        return true;
      }
      if (rest().starts_with("<![CDATA[")) {
        const std::size_t close = s_.find("]]>", pos_ + 9);
        if (close == std::string_view::npos) return false;
        out[index].text.append(s_.substr(pos_ + 9, close - pos_ - 9));
        pos_ = close + 3;
        continue;
      }
      // DOCTYPE, ENTITY, comments and processing instructions are not part of WeCom's format.
      if (rest().starts_with("<!") || rest().starts_with("<?")) return false;
      const std::string path = out[index].path;
      if (!element(path, depth + 1, out)) return false;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<XmlDocument> XmlDocument::parse(std::string_view document) {
  XmlDocument parsed;
  Reader reader(document);
  if (!reader.document(parsed.fields_)) return std::nullopt;
  return parsed;
}

std::optional<std::string> XmlDocument::find(std::string_view path) const {
  for (const auto& field : fields_) {
    if (field.path == path) return std::string(trim(field.text));
  }
  return std::nullopt;
}

std::vector<std::string> XmlDocument::find_all(std::string_view path) const {
  std::vector<std::string> found;
  for (const auto& field : fields_) {
    if (field.path == path) found.emplace_back(trim(field.text));
  }
  return found;
}

}  // namespace slabot::wecom
