# SLA scheduler at scale: memory, start-up load time and firing lag with a million running clocks.
add_executable(sla_bench ${CMAKE_CURRENT_LIST_DIR}/sla_bench.cpp)
# SQLiteCpp directly too: the benchmark seeds its database with a bulk INSERT.
target_link_libraries(sla_bench PRIVATE slabot_bot SQLiteCpp slabot_allocator slabot_warnings)
