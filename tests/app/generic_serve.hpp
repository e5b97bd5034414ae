#pragma once
// `slabot serve` (a ServeProcess) with a generated config: one generic connection, a tenant's
// group and the support side's; and signed messages to it. For the crash, stop and load_gen
// tests, which also start other servers the same way (start_answering).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/ticket.hpp"
#include "tests/app/serve_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace slabot::testing {

inline const std::string kSecret = "crash-test-secret";
inline const std::string kSecretVariable = "SLABOT_CRASH_TEST_SECRET";
inline const std::string kConnection = "hooks";
inline const std::string kGroup = "acme-7x24";

struct Server {
  std::unique_ptr<ServeProcess> process;
  unsigned short port = 0;
};

// A generic connection whose outbound URL is a closed loopback port: every send fails, so queued
// messages stay pending (retried a minute later at the earliest) for the whole test. `extra`'s
// top-level keys are added, or replace these.
std::string write_config(const TempDir& dir, const std::string& db, unsigned short port, unsigned short outbound_port,
                         const nlohmann::json& extra = nlohmann::json::object());

// Starts a server, `start` making it for a port (and the attempt's number), and waits (bounded)
// for GET /healthz to answer 200. A child that exits at once most likely lost its port to another
// process: another port is tried. `what` names it in a failure.
Server start_answering(const std::function<std::unique_ptr<ServeProcess>(unsigned short port, int attempt)>& start,
                       const std::string& what);

// Starts `slabot serve` on `db` and waits (bounded) for GET /healthz to answer 200. A child that
// exits at once most likely lost its port to another process: another port is tried.
Server start_serve(const TempDir& dir, const std::string& db, unsigned short outbound_port, int start,
                   const nlohmann::json& extra = nlohmann::json::object());

// A signed message from `user` in the tenant's group.
HttpResult post_text(unsigned short port, const std::string& event_id, const std::string& user,
                     const std::string& text);

bool is_2xx(int status);
std::string reply_of(const HttpResult& result);
// The ticket number of a "#12 opened: ..." reply.
std::optional<TicketId> opened_id(const HttpResult& result);

}  // namespace slabot::testing
