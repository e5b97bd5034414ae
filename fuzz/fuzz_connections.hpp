#pragma once
// One fixed connection per registered adapter, with the secrets of its unit tests
// (tests/adapters/...), so the tests' signed requests are seeds that pass verify. An adapter
// registered without an entry here stops the adapters target at start: a new platform arrives
// fuzzed, or the fuzz build says it does not.
#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace slabot::fuzz {

inline std::optional<Connection> fuzz_connection(const std::string& adapter) {
  struct Fixture {
    std::map<std::string, std::string> secrets;
    std::string outbound_url;
  };
  static const std::map<std::string, Fixture> fixtures{
      {"console", {{}, ""}},
      {"dingtalk",
       {{{"app_secret", "dingtalk-app-secret-for-tests"}, {"robot_secret", "SECtest0123456789abcdef7"}},
        "https://oapi.dingtalk.com/robot/send?access_token=tok123"}},
      {"generic", {{{"secret", "test-secret"}}, "http://127.0.0.1:9/outbound"}},
      {"lark",
       {{{"encrypt_key", "lark-encrypt-key-for-tests"},
         {"verification_token", "lark-verification-token"},
         {"bot_secret", "lark-bot-secret-for-tests"},
         {"app_id", "cli_fuzz"},
         {"app_secret", "lark-app-secret-for-tests"}},
        "https://open.feishu.cn/open-apis/bot/v2/hook/tok123"}},
      {"mattermost",
       {{{"token", "okwexkjpe7ygb8eq1ww58t483w"},
         {"action_url", "https://bot.example.com/hooks/fuzz"},
         {"action_secret", "fuzz-action-secret-0123456789abcdef"}},
        "https://chat.example.com/hooks/bywsw8zt5jgpte3nm65qjiru6h"}},
      {"slack", {{{"signing_secret", "test-signing-secret"}, {"bot_token", "xoxb-test-token"}}, ""}},
      {"teams",
       {{{"security_token", "vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA="}},
        "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"}},
      {"telegram",
       {{{"webhook_secret", "s3cr3t_Token-42"}, {"bot_token", "123456789:AAHOp1v7pz-cV3L2C-xiivqNi0qbVOOVNtQ"}}, ""}},
      // A group robot (no corp_id): the vectors of tests/adapters/wecom/make_vectors.sh.
      {"wecom",
       {{{"token", "slabotToken42"}, {"encoding_aes_key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}}, ""}},
  };
  const auto found = fixtures.find(adapter);
  if (found == fixtures.end()) return std::nullopt;
  Connection connection;
  connection.name = "fuzz";
  connection.adapter = adapter;
  connection.secrets = found->second.secrets;
  connection.outbound_url = found->second.outbound_url;
  return connection;
}

}  // namespace slabot::fuzz
