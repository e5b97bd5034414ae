# The HTTP server at its connection cap under 1,000 silent and 200 slow-loris connections.
# The raw-socket flood and the signing client are the tests' own helpers, compiled in here.
add_executable(http_pressure_bench
  ${CMAKE_CURRENT_LIST_DIR}/http_pressure_bench.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/connection_flood.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/http_client.cpp
)
target_include_directories(http_pressure_bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(http_pressure_bench PRIVATE slabot_http slabot_adapters spdlog::spdlog slabot_allocator slabot_warnings)
