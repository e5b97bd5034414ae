# The fuzz targets and the libraries each links, read by fuzz/CMakeLists.txt (the libFuzzer build)
# and tests/fuzz/CMakeLists.txt (the same targets replaying their seeds in the normal suite).
set(slabot_fuzz_targets command url proxy wecom_xml adapters config telegram_poll stream_frames)
set(slabot_fuzz_libs_command slabot_command_grammar)
set(slabot_fuzz_libs_url slabot_domain)
set(slabot_fuzz_libs_proxy slabot_proxy_url)
set(slabot_fuzz_libs_wecom_xml slabot_adapters slabot_command_grammar)  # utf8::valid for a check
set(slabot_fuzz_libs_adapters slabot_adapters)
set(slabot_fuzz_libs_config slabot_config slabot_adapters nlohmann_json::nlohmann_json)  # nlohmann: finding the secrets
set(slabot_fuzz_libs_telegram_poll slabot_adapters nlohmann_json::nlohmann_json)
set(slabot_fuzz_libs_stream_frames slabot_adapters nlohmann_json::nlohmann_json)
