#include "config/strict_json.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "config/json_path.hpp"

namespace slabot::config_detail {
namespace {

using nlohmann::json;

// nlohmann keeps the last of two equal keys without a word, so a second "channels" would drop
// the first list. This follows the parser's events to report such keys with their paths.
class DuplicateKeyWatch {
 public:
  bool on_event(json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_.push_back({false, 0, {}, {}}); break;
      case json::parse_event_t::array_start: frames_.push_back({true, 0, {}, {}}); break;
      case json::parse_event_t::key: {
        Frame& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second) {
          problems_.push_back({current_path(), "key given twice in one object; only the last one would count"});
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        value_done();
        break;
      case json::parse_event_t::value: value_done(); break;
    }
    return true;
  }

  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  struct Frame {
    bool array;
    std::size_t index;  // of the element being read, in an array
    std::string key;    // being read, in an object
    std::set<std::string> keys;
  };

  void value_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }

  std::string current_path() const {
    std::string path;
    for (const auto& frame : frames_) {
      path = frame.array ? child_path(path, frame.index) : child_path(path, frame.key);
    }
    return path;
  }

  std::vector<Frame> frames_;
  std::vector<ConfigProblem> problems_;
};

// Only the position, never the text around it.
std::string parse_error_message(std::string_view text, std::size_t byte) {
  std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::string where = "byte " + std::to_string(byte) + " (line " + std::to_string(line) + ", column " +
                      std::to_string(end - line_start + 1) + ")";
  if (byte > text.size()) return "not valid JSON: unexpected end of input at " + where;
  return "not valid JSON: syntax error at " + where;
}

}  // namespace

StrictJson parse_strict_json(std::string_view text) {
  DuplicateKeyWatch duplicates;
  StrictJson result;
  try {
    result.root =
        json::parse(text.begin(), text.end(), [&duplicates](int /*depth*/, json::parse_event_t event, json& parsed) {
          return duplicates.on_event(event, parsed);
        });
  } catch (const json::parse_error& error) {
    result.root.reset();
    result.problems.push_back({"", parse_error_message(text, error.byte)});
    return result;
  } catch (const json::out_of_range&) {
    // A number beyond a double (1e999): nlohmann says so with out_of_range, not parse_error, and
    // names no position; its message quotes the number, which stays out of ours like all text.
    result.root.reset();
    result.problems.push_back({"", "not valid JSON: a number too large for a double (beyond 1.7e308)"});
    return result;
  }
  result.problems = duplicates.take_problems();
  return result;
}

}  // namespace slabot::config_detail
