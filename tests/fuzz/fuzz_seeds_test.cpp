// The adapters fuzz target's fixtures (fuzz/fuzz_connections.hpp) and seeds (fuzz/corpus/adapters/)
// kept in step with the registry: a new platform gets a connection and a seed, and the seeds made
// from the unit tests' signed requests still pass verify, so fuzzing starts from accepted input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <variant>

#include "adapters/registry.hpp"
#include "fuzz/fuzz_connections.hpp"
#include "fuzz/request_text.hpp"
#include "fuzz/sealed_request.hpp"

using namespace slabot;

namespace {

const std::filesystem::path seeds_dir = std::filesystem::path(SLABOT_SOURCE_DIR) / "fuzz" / "corpus" / "adapters";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("fuzz seeds: every registered adapter has a fixed connection that builds", "[fuzz]") {
  for (const std::string& name : known_adapters()) {
    INFO(name);
    const auto connection = fuzz::fuzz_connection(name);
    REQUIRE(connection.has_value());
    CHECK_NOTHROW(make_adapter(*connection));
  }
}

TEST_CASE("fuzz seeds: every adapter has a seed; every seed reads; the signed and sealed ones verify and parse",
          "[fuzz]") {
  std::set<std::string> seeded;
  for (const auto& entry : std::filesystem::directory_iterator(seeds_dir)) {
    const std::string file = entry.path().filename().string();
    INFO(file);
    auto request = fuzz::read_fuzz_request(read_file(entry.path()));
    REQUIRE(request.has_value());
    const bool sealed = request->adapter.ends_with(fuzz::kSealedSuffix);
    if (sealed) request->adapter.resize(request->adapter.size() - fuzz::kSealedSuffix.size());
    REQUIRE(is_known_adapter(request->adapter));
    seeded.insert(request->adapter);
    if (sealed) REQUIRE(fuzz::seal_request(*request, *fuzz::fuzz_connection(request->adapter)));
    if (file.ends_with("-signed") || sealed) {
      const auto adapter = make_adapter(*fuzz::fuzz_connection(request->adapter));
      CHECK(std::holds_alternative<Verified>(adapter->verify(request->request, request->now)));
      CHECK(std::holds_alternative<ParsedMessages>(adapter->parse(request->request)));
    }
  }
  for (const std::string& name : known_adapters()) {
    INFO(name);
    CHECK(seeded.contains(name));
  }
}
