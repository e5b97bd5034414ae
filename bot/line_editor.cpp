#include "bot/line_editor.hpp"

#include <fcntl.h>
#include <histedit.h>
#include <langinfo.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <stdexcept>

namespace slabot {
namespace {

constexpr int kHistorySize = 500;
// Carriage return, then erase to the end of the line: the prompt line goes before a notice.
constexpr const char* kClearLine = "\r\033[K";

// libedit reads and shows characters by the locale's encoding: the bot speaks UTF-8, so the
// console does too, even where the environment says "C" (a container, a bare ssh session).
void use_utf8_characters() {
  if (std::setlocale(LC_CTYPE, "") && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return;
  std::setlocale(LC_CTYPE, "C.UTF-8");
}

}  // namespace

bool LineEditor::is_terminal() { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

LineEditor::LineEditor() {
  use_utf8_characters();
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("cannot make a pipe for the line editor");
  el_ = el_init("slabot", stdin, stdout, stderr);
  history_ = history_init();
  if (!el_ || !history_) throw std::runtime_error("cannot start the line editor (libedit)");
  HistEvent event;
  ::history(history_, &event, H_SETSIZE, kHistorySize);
  ::history(history_, &event, H_SETUNIQUE, 1);  // Up after the same line twice goes further back
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_SIGNAL, 1);  // the terminal is restored if a signal ends the process mid-line
  el_set(el_, EL_PROMPT, &LineEditor::prompt_of);
  el_set(el_, EL_HIST, ::history, history_);
  el_set(el_, EL_GETCFN, &LineEditor::read_char);
  el_source(el_, nullptr);  // ~/.editrc, as other libedit programs read it
}

LineEditor::~LineEditor() {
  if (el_) el_end(el_);  // gives the terminal its settings back
  if (history_) history_end(history_);
  for (const int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

char* LineEditor::prompt_of(editline* el) {
  LineEditor* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return self->prompt_.data();
}

std::optional<std::string> LineEditor::read_line(const std::string& prompt) {
  prompt_ = prompt;
  int count = 0;
  const char* line = el_gets(el_, &count);
  if (!line || count <= 0) {
    std::fputs("\n", stdout);  // end of input (^D) leaves the cursor after the prompt
    std::fflush(stdout);
    return std::nullopt;
  }
  std::string text(line, static_cast<std::size_t>(count));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.find_first_not_of(" \t") != std::string::npos) {
    HistEvent event;
    ::history(history_, &event, H_ENTER, text.c_str());
  }
  return text;
}

void LineEditor::print_above(std::string lines) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(lines));
  }
  const char byte = 1;
  // The pipe is non-blocking: a full one already holds a wake-up, and nothing is lost.
  [[maybe_unused]] const auto written = write(wake_[1], &byte, 1);
}

void LineEditor::flush() { print_queued(false); }

bool LineEditor::print_queued(bool over_prompt) {
  std::deque<std::string> lines;
  {
    std::lock_guard lock(queue_mutex_);
    lines.swap(queue_);
  }
  if (lines.empty()) return false;
  if (over_prompt) std::fputs(kClearLine, stdout);
  for (const auto& text : lines) {
    std::fputs(text.c_str(), stdout);
    std::fputs("\n", stdout);
  }
  std::fflush(stdout);
  return true;
}

int LineEditor::read_char(editline* el, wchar_t* out) {
  LineEditor* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  std::mbstate_t state{};
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {self->wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;  // a window resize: libedit's own handler deals with it
      return -1;
    }
    if (fds[1].revents & POLLIN) {
      char drain[64];
      while (read(self->wake_[0], drain, sizeof drain) > 0) {}
      if (self->print_queued(true)) el_set(el, EL_REFRESH);  // the prompt and the line so far, again
      continue;
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char byte = 0;
    const ssize_t got = read(STDIN_FILENO, &byte, 1);
    if (got == 0) return 0;
    if (got < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    // One byte at a time into one character; the rest of a multibyte one is already there.
    const std::size_t used = std::mbrtowc(out, &byte, 1, &state);
    if (used == static_cast<std::size_t>(-2)) continue;
    if (used == static_cast<std::size_t>(-1)) {
      state = {};
      *out = L'\uFFFD';
    }
    return 1;
  }
}

}  // namespace slabot
