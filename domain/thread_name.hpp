#pragma once
// Names a thread, as `top -H`, `ps -L`, gdb and perf show it: an operator looking at where the
// CPU goes sees "store-writer" or "http-server", not a dozen threads called "slabot". Named by
// whoever starts it, so the name is there as soon as the start returns.
#include <pthread.h>

#include <string>
#include <thread>

namespace slabot {

inline void name_thread(std::thread& thread, const std::string& name) {
  // Linux keeps 15 bytes and a terminator; a longer name would be refused whole.
  pthread_setname_np(thread.native_handle(), name.substr(0, 15).c_str());
}

}  // namespace slabot
