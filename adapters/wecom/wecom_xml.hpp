#pragma once
// A deliberately small XML reader for WeCom's callback documents: nested elements holding text
// or CDATA, nothing else. WeCom sends no DTDs, comments, processing instructions or namespaces,
// so anything of that kind is refused rather than interpreted: no entity expansion can happen
// (only the five predefined entities and character references are decoded), and nesting is
// bounded. Attributes are read past and ignored.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slabot::wecom {

// One element's direct text (character data and CDATA, references decoded), addressed by the
// path of element names from the root: "xml/From/UserId".
struct XmlField {
  std::string path;
  std::string text;
};

class XmlDocument {
 public:
  // nullopt when `document` is not well-formed within this subset: a DOCTYPE, comment or
  // processing instruction (other than a leading <?xml ...?> declaration), an unknown entity,
  // mismatched tags, more than `max_depth` levels, or anything after the root element.
  static std::optional<XmlDocument> parse(std::string_view document);

  // The first element at `path`, with surrounding ASCII whitespace trimmed (WeCom's samples put
  // a space before some CDATA sections); nullopt when there is no such element.
  std::optional<std::string> find(std::string_view path) const;
  // Every element at `path`, in document order, trimmed the same way.
  std::vector<std::string> find_all(std::string_view path) const;

  const std::vector<XmlField>& fields() const { return fields_; }

  static constexpr int max_depth = 16;

 private:
  std::vector<XmlField> fields_;  // in document order (of the opening tags)
};

}  // namespace slabot::wecom
