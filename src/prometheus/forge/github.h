// GitHub's REST API (APIS.md §8.1-8.3): pull requests, issue comments,
// labels; GitHub Enterprise through another API base.
#pragma once

#include <memory>

#include "prometheus/forge/forge.h"

namespace prometheus::forge {

std::unique_ptr<Forge> GitHub(const ForgeConfig& config, http::Transport& transport, Pacing pacing);

}  // namespace prometheus::forge
