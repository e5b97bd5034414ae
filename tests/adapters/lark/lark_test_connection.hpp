#pragma once
// The Lark connection the adapter tests start from: plain mode (no Encrypt Key), checked by
// `verification_token` alone, sending to a custom bot on open.feishu.cn.
#include <string>

#include "config/config.hpp"

namespace slabot::testing {

inline Connection lark_plain_connection(const std::string& verification_token) {
  Connection c;
  c.name = "feishu";
  c.adapter = "lark";
  c.secrets = {{"verification_token", verification_token}};
  c.outbound_url = "https://open.feishu.cn/open-apis/bot/v2/hook/tok123";
  return c;
}

}  // namespace slabot::testing
