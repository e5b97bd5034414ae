# The load generator: keep-alive, signed generic-webhook requests against a running `serve`
# (scripts/bench-http.sh runs it against each workload and the ceiling).
add_executable(load_gen ${CMAKE_CURRENT_LIST_DIR}/load_gen.cpp)
target_include_directories(load_gen PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(load_gen PRIVATE slabot_adapters Boost::system nlohmann_json::nlohmann_json Threads::Threads
  slabot_allocator slabot_warnings)
