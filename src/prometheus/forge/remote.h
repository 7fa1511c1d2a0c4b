// Which forge and repository a git remote is, and its token: from the
// remote's URL, or from what CI systems set (GITHUB_REPOSITORY, GitLab CI's
// CI_PROJECT_PATH, Azure Pipelines' SYSTEM_COLLECTIONURI...), an explicit
// --forge overriding the guess.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/forge/forge.h"

namespace prometheus::forge {

// Reads an environment variable ("" when unset); tests pass their own.
using Environment = std::function<std::string(const std::string& name)>;
Environment ProcessEnvironment();

// `remote_url` may be "" (no remote) or a local path (a bare repository in
// tests): the repository then comes from the environment. `kind` is
// --forge ("" to guess from the URL's host). Fails with kInvalidArgument
// saying what is missing; never names a token's value.
Result<ForgeConfig> ResolveForge(const std::string& remote_url, const std::string& kind,
                                 const Environment& env);

// "github", "gitlab" or "azure".
std::optional<ForgeKind> ParseForgeKind(std::string_view name);

}  // namespace prometheus::forge
