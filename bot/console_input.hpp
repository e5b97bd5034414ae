#pragma once
// Where the console's lines come from: a stream (a pipe, a file, a test's string), or the line
// editor when the input is a terminal (bot/line_editor.hpp).
#include <istream>
#include <optional>
#include <string>

namespace slabot {

class ConsoleInput {
 public:
  virtual ~ConsoleInput() = default;

  // The next line without its line break; nullopt at the end of the input.
  virtual std::optional<std::string> read_line(const std::string& prompt) = 0;

  // Whether read_line draws `prompt` itself and can print above it while it waits (print_above),
  // drawing the prompt and the line typed so far again. Otherwise the console writes the prompt,
  // and a notice that comes while it shows reprints it.
  virtual bool redraws() const { return false; }

  // From any thread while read_line waits (redraws() only): `lines` are printed above the prompt.
  virtual void print_above(std::string /*lines*/) {}

  // On the reading thread once read_line has returned: prints what print_above still holds.
  virtual void flush() {}
};

// Lines from a stream, as they are: piped input is read exactly as before the line editor.
class StreamInput final : public ConsoleInput {
 public:
  explicit StreamInput(std::istream& in) : in_(in) {}
  std::optional<std::string> read_line(const std::string&) override {
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    return line;
  }

 private:
  std::istream& in_;
};

}  // namespace slabot
