#include "prometheus/forge/forge.h"

#include "prometheus/forge/azure.h"
#include "prometheus/forge/github.h"
#include "prometheus/forge/gitlab.h"

namespace prometheus::forge {

std::unique_ptr<Forge> Connect(const ForgeConfig& config, http::Transport& transport,
                               Pacing pacing) {
  switch (config.kind) {
    case ForgeKind::kGitLab: return GitLab(config, transport, std::move(pacing));
    case ForgeKind::kAzure: return Azure(config, transport, std::move(pacing));
    case ForgeKind::kGitHub: break;
  }
  return GitHub(config, transport, std::move(pacing));
}

}  // namespace prometheus::forge
