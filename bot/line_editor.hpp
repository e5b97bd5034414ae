#pragma once
// The console's line editing and history when its input is a terminal: Debian's libedit (BSD
// editline), emacs keys, the arrows, ^R search, ~/.editrc. History lasts the session.
//
// Notices arrive on other threads while the user types: print_above queues them and wakes the
// reading thread, which is inside libedit's read; there they are printed over the prompt line,
// and libedit draws the prompt and the half-typed line again below them (EL_REFRESH). Only the
// reading thread ever writes to the terminal while libedit owns it.
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "bot/console_input.hpp"

// libedit's handles, as <histedit.h> declares them: its header stays in line_editor.cpp.
struct editline;
struct history;

namespace slabot {

class LineEditor final : public ConsoleInput {
 public:
  // Edits standard input, which must be a terminal (see is_terminal), on standard output.
  LineEditor();
  ~LineEditor() override;
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Whether standard input and output are both terminals: otherwise the console reads lines
  // as they come (a pipe, a file, output captured by another program).
  static bool is_terminal();

  std::optional<std::string> read_line(const std::string& prompt) override;
  bool redraws() const override { return true; }
  void print_above(std::string lines) override;
  void flush() override;

 private:
  // libedit's read function: the next character from the terminal, printing queued notices
  // (and redrawing) while it waits. 1: a character; 0: end of input; -1: an error.
  static int read_char(editline* el, wchar_t* out);
  static char* prompt_of(editline* el);
  // Writes what print_above queued; `over_prompt` first clears the line the prompt is on.
  bool print_queued(bool over_prompt);

  editline* el_ = nullptr;
  history* history_ = nullptr;
  std::string prompt_;
  int wake_[2] = {-1, -1};  // a pipe: print_above writes a byte, read_char polls for it

  std::mutex queue_mutex_;
  std::deque<std::string> queue_;
};

}  // namespace slabot
