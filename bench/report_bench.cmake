# The service report of a busy tenant's month: a year of 100,000 tickets (report_bench.cpp).
add_executable(report_bench ${CMAKE_CURRENT_LIST_DIR}/report_bench.cpp)
target_link_libraries(report_bench PRIVATE slabot_report slabot_storage SQLiteCpp slabot_allocator slabot_warnings)
