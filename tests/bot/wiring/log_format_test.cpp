// serve --log-format json: one JSON object a line, whatever the message holds.
#include "bot/log_format.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

using namespace slabot;

TEST_CASE("log format: json lines parse, with time, level, logger and the message escaped") {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("slabot-test", sink);
  logger.set_formatter(json_log_formatter());
  logger.info("outbox: message {} to {} is dead: {}", 12, "acme-7x24", "HTTP 404 \"gone\"\nsecond line");
  logger.warn("bytes from a peer: {}", std::string("caf\xc3\xa9 \xff\xfe end"));
  logger.error("日本語 and a tab\there");

  std::istringstream lines(out.str());
  std::string line;
  std::vector<nlohmann::json> parsed;
  while (std::getline(lines, line)) {
    INFO(line);
    const auto json = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    parsed.push_back(json);
  }
  REQUIRE(parsed.size() == 3);  // the newline inside the first message stayed inside its line
  CHECK(parsed[0]["level"] == "info");
  CHECK(parsed[0]["logger"] == "slabot-test");
  CHECK(parsed[0]["msg"] == "outbox: message 12 to acme-7x24 is dead: HTTP 404 \"gone\"\nsecond line");
  CHECK(parsed[0]["thread"].is_number_integer());
  const std::string time = parsed[0]["time"];
  REQUIRE(time.size() == 24);  // 2026-12-03T17:30:00.123Z
  CHECK(time[10] == 'T');
  CHECK(time.back() == 'Z');
  CHECK(parsed[1]["level"] == "warning");
  CHECK(parsed[1]["msg"].get<std::string>().starts_with("bytes from a peer: café "));  // bad bytes replaced
  CHECK(parsed[2]["msg"] == "日本語 and a tab\there");
}

TEST_CASE("log format: text and json are the choices") {
  CHECK(parse_log_format("text") == LogFormat::text);
  CHECK(parse_log_format("json") == LogFormat::json);
  CHECK_FALSE(parse_log_format("JSON").has_value());
  CHECK_FALSE(parse_log_format("").has_value());
}
