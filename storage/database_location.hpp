#pragma once
// Where the database file goes, checked before SQLite tries: SQLite itself says only "unable to
// open database file", naming neither the path nor the reason.
#include <optional>
#include <string>

namespace slabot {

// `path` resolved against the working directory, as SQLite will resolve it.
std::string absolute_database_path(const std::string& path);

// Why the database at `path` cannot be opened or created, naming the absolute path and the OS's
// reason: its directory is missing, not a directory or not writable (SQLite writes the -wal and
// -shm files beside the database), or the path is a directory. nullopt when it looks usable.
std::optional<std::string> database_location_problem(const std::string& path);

}  // namespace slabot
