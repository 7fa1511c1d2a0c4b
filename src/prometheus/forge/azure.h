// Azure DevOps pull requests (Git REST 7.1, APIS.md §8.6).
#pragma once

#include <memory>

#include "prometheus/forge/forge.h"

namespace prometheus::forge {

std::unique_ptr<Forge> Azure(const ForgeConfig& config, http::Transport& transport, Pacing pacing);

}  // namespace prometheus::forge
