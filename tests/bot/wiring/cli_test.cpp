// The command line of every subcommand, driven in-process: --help, a mistake, the config's
// database location. (tests/app/cli_binary_test.cpp runs the real binary for what only it shows.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "bot/app.hpp"
#include "tests/support/environment_variable.hpp"
#include "tests/support/temp_dir.hpp"

using namespace slabot;

namespace {

struct Result {
  int code;
  std::string out, err;
};

using Command = std::function<int(const std::vector<std::string>&, std::ostream&, std::ostream&)>;

Result run(const Command& command, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = command(args, out, err);
  return {code, out.str(), err.str()};
}

// Every subcommand with the same signature; the console reads no input when asked for help.
const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> all{
      {"serve", run_serve},
      {"check-config", run_check_config},
      {"outbox", run_outbox},
      {"backup", run_backup},
      {"console", [](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
         std::istringstream in;
         return run_console(args, in, out, err, false);
       }}};
  return all;
}

std::string write_config(const testing::TempDir& dir, const std::string& database) {
  const std::string path = dir.file("slabot.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << database
                      << R"(", "staff": [], "tenants": [], "connections": [], "channels": []})";
  return path;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("cli: every subcommand's --help and -h print its usage on stdout and exit 0") {
  for (const auto& [name, command] : commands()) {
    for (const std::string flag : {"--help", "-h"}) {
      INFO(name << " " << flag);
      // Even after a mistake or with a config missing: asking for the usage always gets it.
      const auto r = run(command, {"--bogus", flag});
      CHECK(r.code == 0);
      CHECK(r.out == command_usage(name));
      CHECK(r.out.starts_with("usage: slabot " + name));
      CHECK(r.err.empty());
    }
  }
  CHECK(command_usage("frob").empty());
}

TEST_CASE("cli: an unknown option or a missing value is one line on stderr, then the usage; exit 2") {
  for (const auto& [name, command] : commands()) {
    INFO(name);
    const auto unknown = run(command, {"--frob"});
    CHECK(unknown.code == 2);
    CHECK(unknown.out.empty());
    CHECK(first_line(unknown.err) == "slabot " + name + ": unknown option '--frob'");
    CHECK(unknown.err.substr(unknown.err.find('\n') + 1) == command_usage(name));
  }
  for (const auto& [name, option] : std::vector<std::pair<std::string, std::string>>{{"serve", "--config"},
                                                                                     {"check-config", "--config"},
                                                                                     {"outbox", "--config"},
                                                                                     {"backup", "--config"},
                                                                                     {"console", "--db"}}) {
    INFO(name);
    const auto r = run(commands().at(name), {option});
    CHECK(r.code == 2);
    CHECK(first_line(r.err) == "slabot " + name + ": " + option + " needs a value");
  }
  const auto serve = run(run_serve, {});
  CHECK(serve.code == 2);
  CHECK(first_line(serve.err) == "slabot serve: missing --config FILE");
  const auto backup = run(run_backup, {"--config", "x.json"});
  CHECK(backup.code == 2);
  CHECK(first_line(backup.err) == "slabot backup: missing OUT, the file to write the copy to");
  const auto speed = run(commands().at("console"), {"--speed", "0"});
  CHECK(speed.code == 2);
  CHECK(first_line(speed.err) == "slabot console: --speed takes a number from 1 to 100000, e.g. --speed 60");
  const auto twice = run(run_serve, {"--config", "a.json", "--config", "b.json"});
  CHECK(first_line(twice.err) == "slabot serve: --config given twice");
}

TEST_CASE("cli: check-config takes --config FILE, and the bare FILE as its alias") {
  testing::TempDir dir;
  const auto config = write_config(dir, dir.file("bot.db"));
  const auto flagged = run(run_check_config, {"--config", config});
  CHECK(flagged.code == 0);
  CHECK(flagged.out == config + ": ok (0 tenants, 0 staff, 0 connections, 0 channels)\n");
  const auto bare = run(run_check_config, {config});
  CHECK(bare.code == 0);
  CHECK(bare.out == flagged.out);
  CHECK(run(run_check_config, {config, "--config", config}).code == 2);
  CHECK(run(run_check_config, {}).code == 2);
}

TEST_CASE("cli: check-config reads the environment's proxy as serve will: where it goes, or the problem; exit 2") {
  testing::TempDir dir;
  const auto config = write_config(dir, dir.file("bot.db"));
  testing::EnvironmentVariable upper("HTTPS_PROXY", nullptr);
  testing::EnvironmentVariable no_proxy_upper("NO_PROXY", nullptr);
  {
    testing::EnvironmentVariable proxy("https_proxy", "http://ops:s3cret-pw@proxy.corp:3128");
    testing::EnvironmentVariable no_proxy("no_proxy", ".corp,10.0.0.1");
    const auto checked = run(run_check_config, {"--config", config});
    CHECK(checked.code == 0);
    CHECK(checked.out == config +
                             ": ok (0 tenants, 0 staff, 0 connections, 0 channels)\n"
                             "  https via proxy proxy.corp:3128, except no_proxy .corp,10.0.0.1\n");
  }
  {
    testing::EnvironmentVariable proxy("https_proxy", "socks5://proxy.corp:1080");
    testing::EnvironmentVariable no_proxy("no_proxy", nullptr);
    const auto refused = run(run_check_config, {"--config", config});
    CHECK(refused.code == 2);
    CHECK(refused.out == config +
                             ": 1 problem\n"
                             "https_proxy (environment): unsupported proxy scheme 'socks5' (only http:// proxies)\n");
  }
  testing::EnvironmentVariable none("https_proxy", nullptr);
  CHECK(run(run_check_config, {"--config", config}).out ==
        config + ": ok (0 tenants, 0 staff, 0 connections, 0 channels)\n");
}

TEST_CASE("cli: check-config says which mode each Lark connection runs in") {
  testing::TempDir dir;
  const std::string path = dir.file("lark.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db") << R"(",
    "staff": [], "tenants": [],
    "connections": [
      {"name": "feishu", "adapter": "lark", "secrets": {"verification_token": "vt"}},
      {"name": "larksuite", "adapter": "lark", "secrets": {"encrypt_key": "ek", "verification_token": "vt"}}],
    "channels": []})";
  const auto checked = run(run_check_config, {"--config", path});
  CHECK(checked.code == 0);
  CHECK(checked.out == path +
                           ": ok (0 tenants, 0 staff, 2 connections, 0 channels)\n"
                           "  connection feishu: plain mode (no encrypt_key: events checked by the verification "
                           "token only)\n"
                           "  connection larksuite: encrypted mode (encrypt_key: events decrypted and "
                           "signature-checked)\n");
}

TEST_CASE("cli: check-config says when a tenant's holiday list names no day of this year; still exit 0") {
  testing::TempDir dir;
  const std::string holidays = std::filesystem::path(dir.file("XX.txt")).parent_path().string();
  std::ofstream(dir.file("XX.txt")) << "2001-01-01\n";  // a list nobody kept up
  const std::string path = dir.file("cal.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db") << R"(",
    "holidays_dir": ")"
                      << holidays << R"(",
    "staff": [], "tenants": [{"id": "acme", "name": "Acme", "package": "elite", "country": "XX"}],
    "connections": [], "channels": []})";
  const auto checked = run(run_check_config, {"--config", path});
  CHECK(checked.code == 0);  // a calendar to bring up to date, not a config serve refuses
  const auto today =
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  const std::string year = std::to_string(static_cast<int>(today.year()));
  CHECK(checked.out.starts_with(path + ": ok (1 tenant, 0 staff, 0 connections, 0 channels)\n"));
  CHECK(checked.out.find("\n  holidays: XX.txt lists no day of " + year +
                         " (tenant acme): until it does, every Monday "
                         "to Friday of " +
                         year + " counts as a working day; add " + year + "'s holidays to " + holidays + "/XX.txt\n") !=
        std::string::npos);
}

TEST_CASE("cli: check-config reports a database whose directory does not exist, at /database; exit 2") {
  testing::TempDir dir;
  const std::string database = dir.file("missing/bot.db");
  const auto config = write_config(dir, database);
  const auto r = run(run_check_config, {"--config", config});
  CHECK(r.code == 2);
  CHECK(r.out == config + ": 1 problem\n/database: " + database + ": its directory " + dir.file("missing") +
                     " does not exist (No such file or directory)\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("missing")));
  // A relative path is named as the working directory resolves it.
  const auto relative = write_config(dir, "no-such-dir/bot.db");
  const auto named = run(run_check_config, {relative});
  CHECK(named.out.find((std::filesystem::current_path() / "no-such-dir" / "bot.db").string()) != std::string::npos);
  // A directory that is a file.
  std::ofstream(dir.file("plain")) << "x";
  const auto not_dir = run(run_check_config, {write_config(dir, dir.file("plain/bot.db"))});
  CHECK(not_dir.code == 2);
  CHECK(not_dir.out.find("/database: " + dir.file("plain/bot.db") + ": " + dir.file("plain") + " is not a directory") !=
        std::string::npos);
}

TEST_CASE("cli: serve refuses a database in a missing directory before opening anything, naming it") {
  testing::TempDir dir;
  const auto config = write_config(dir, dir.file("missing/bot.db"));
  const auto r = run(run_serve, {"--config", config});
  CHECK(r.code == 2);
  CHECK(r.err.find("refusing to start") != std::string::npos);
  CHECK(r.err.find(dir.file("missing/bot.db") + ": its directory " + dir.file("missing") + " does not exist") !=
        std::string::npos);
}

TEST_CASE("cli: check-config takes a Mattermost stream connection, and requires its server's https stream_url") {
  testing::TempDir dir;
  const auto write = [&dir](const std::string& stream_url) {
    const std::string path = dir.file("slabot.json");
    std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db")
                        << R"(", "staff": [], "tenants": [], "channels": [], "connections": [)"
                        << R"({"name": "mm", "adapter": "mattermost", "mode": "stream",)" << stream_url
                        << R"( "secrets": {"bot_token": "b"}}]})";
    return path;
  };
  CHECK(run(run_check_config, {"--config", write(R"( "stream_url": "https://chat.example.com",)")}).code == 0);
  const std::string missing =
      "mattermost stream mode needs \"stream_url\": the server's https:// address (https://chat.example.com)";
  const auto without = run(run_check_config, {"--config", write("")});
  CHECK(without.code == 2);
  CHECK(without.out.find(missing) != std::string::npos);
  const auto plain = run(run_check_config, {"--config", write(R"( "stream_url": "http://chat.example.com",)")});
  CHECK(plain.code == 2);
  CHECK(plain.out.find(missing) != std::string::npos);
}

TEST_CASE("cli: check-config takes a Lark stream connection with app_id and app_secret, and names what it lacks") {
  testing::TempDir dir;
  const auto write = [&dir](const std::string& secrets) {
    const std::string path = dir.file("slabot.json");
    std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db")
                        << R"(", "staff": [], "tenants": [], "channels": [], "connections": [)"
                        << R"({"name": "lk", "adapter": "lark", "mode": "stream", "secrets": )" << secrets << "}]}";
    return path;
  };
  // No verification token: a stream connection takes no callbacks to check.
  const std::string path = write(R"({"app_id": "cli_a", "app_secret": "s3cret"})");
  const auto checked = run(run_check_config, {"--config", path});
  CHECK(checked.code == 0);
  CHECK(checked.out == path +
                           ": ok (0 tenants, 0 staff, 1 connection, 0 channels)\n"
                           "  connection lk: stream mode (Lark's long connection, opened with app_id and app_secret; "
                           "no verification token)\n");
  const auto missing = run(run_check_config, {"--config", write(R"({"app_id": "cli_a"})")});
  CHECK(missing.code == 2);
  CHECK(missing.out.find("/connections/0/secrets/app_secret: missing secret, required by the lark adapter in stream "
                         "mode") != std::string::npos);
}

TEST_CASE("cli: check-config refuses a stream deadline the platform's stream has no use for, by its key") {
  testing::TempDir dir;
  const std::string path = dir.file("slabot.json");
  std::ofstream(path)
      << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db")
      << R"(", "staff": [], "tenants": [], "channels": [], "connections": [)"
      << R"({"name": "mm", "adapter": "mattermost", "mode": "stream", "stream_url": "https://chat.example.com",)"
      << R"( "stream": {"idle_timeout": "90s", "poll_timeout": "30s"}, "secrets": {"bot_token": "b"}}]})";
  const auto checked = run(run_check_config, {"--config", path});
  CHECK(checked.code == 2);
  CHECK(
      checked.out.find("/connections/0/stream/poll_timeout: only telegram polls; the mattermost adapter's stream is a "
                       "WebSocket (use idle_timeout)") != std::string::npos);
  CHECK(checked.out.find("idle_timeout:") == std::string::npos);
}

TEST_CASE("cli: check-config and serve refuse a stream connection on a platform without a stream mode") {
  testing::TempDir dir;
  const std::string path = dir.file("slabot.json");
  std::ofstream(path) << R"({"listen": "127.0.0.1:8080", "database": ")" << dir.file("bot.db")
                      << R"(", "staff": [], "tenants": [], "channels": [], "connections": [)"
                      << R"({"name": "tm", "adapter": "teams", "mode": "stream",)"
                      << R"( "secrets": {"security_token": "c2VjcmV0"}}]})";
  const std::string problem =
      "/connections/0/mode: the teams adapter has no stream mode (stream mode: dingtalk, lark, mattermost, slack, "
      "telegram); use \"webhook\"";
  const auto checked = run(run_check_config, {"--config", path});
  CHECK(checked.code == 2);
  CHECK(checked.out.find(problem) != std::string::npos);
  const auto served = run(run_serve, {"--config", path});
  CHECK(served.code == 2);
  CHECK(served.err.find("refusing to start") != std::string::npos);
  CHECK(served.err.find(problem) != std::string::npos);
}

TEST_CASE("cli: backup refuses to replace an existing OUT without --force, and names a missing database") {
  testing::TempDir dir;
  const auto config = write_config(dir, dir.file("bot.db"));
  std::ofstream(dir.file("copy.db")) << "older copy";
  const auto kept = run(run_backup, {"--config", config, dir.file("copy.db")});
  CHECK(kept.code == 2);
  CHECK(kept.err == "slabot backup: " + dir.file("copy.db") + " exists; give --force to replace it\n");
  const auto missing = run(run_backup, {"--config", config, "--force", dir.file("copy.db")});
  CHECK(missing.code == 2);
  CHECK(missing.err.starts_with("slabot backup: no database at " + dir.file("bot.db")));
  CHECK_FALSE(std::filesystem::exists(dir.file("bot.db")));
  std::ifstream older(dir.file("copy.db"));
  std::string text;
  std::getline(older, text);
  CHECK(text == "older copy");
}

TEST_CASE("cli: serve's --log-format is text or json") {
  const auto r = run(run_serve, {"--config", "x.json", "--log-format", "xml"});
  CHECK(r.code == 2);
  CHECK(first_line(r.err) == "slabot serve: --log-format is text or json, not 'xml'");
}
