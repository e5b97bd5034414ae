#include "storage/database_location.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace slabot {

std::string absolute_database_path(const std::string& path) {
  std::error_code ignored;
  const auto absolute = std::filesystem::absolute(path, ignored);
  return absolute.empty() ? path : absolute.lexically_normal().string();
}

std::optional<std::string> database_location_problem(const std::string& path) {
  const std::string file = absolute_database_path(path);
  const std::string directory = std::filesystem::path(file).parent_path().string();
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) {
    const std::string reason = std::strerror(errno);
    if (errno == ENOENT) return file + ": its directory " + directory + " does not exist (" + reason + ")";
    return file + ": cannot use its directory " + directory + " (" + reason + ")";
  }
  if (!S_ISDIR(info.st_mode)) return file + ": " + directory + " is not a directory";
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    return file + ": its directory " + directory + " is not writable (" + std::strerror(errno) +
           "); SQLite writes the -wal and -shm files beside the database";
  }
  if (::stat(file.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return file + " is a directory";
  return std::nullopt;
}

}  // namespace slabot
