// GitLab's merge requests (REST v4, APIS.md §8.5).
#pragma once

#include <memory>

#include "prometheus/forge/forge.h"

namespace prometheus::forge {

std::unique_ptr<Forge> GitLab(const ForgeConfig& config, http::Transport& transport, Pacing pacing);

}  // namespace prometheus::forge
