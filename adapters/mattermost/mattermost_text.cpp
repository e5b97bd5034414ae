#include "adapters/mattermost/mattermost_text.hpp"

#include "adapters/mention_guard.hpp"

namespace slabot {

std::string mattermost_inert_text(std::string_view text) {
  return defuse_mention_words(defuse_markup(text, {"!", "@"}), {"all", "channel", "here"});
}

}  // namespace slabot
