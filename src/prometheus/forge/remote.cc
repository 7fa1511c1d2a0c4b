#include "prometheus/forge/remote.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

namespace prometheus::forge {
namespace {

// A remote URL's host and path ("owner/name" without ".git").
struct ParsedUrl {
  std::string scheme;  // https, http, ssh, or "" for scp-like git@host:path
  std::string host;    // with the port, if any
  std::string path;
};

std::optional<ParsedUrl> ParseUrl(std::string url) {
  ParsedUrl out;
  if (auto scheme_end = url.find("://"); scheme_end != std::string::npos) {
    out.scheme = url.substr(0, scheme_end);
    std::string rest = url.substr(scheme_end + 3);
    size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    out.host = authority;
    out.path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  } else if (auto colon = url.find(':'); colon != std::string::npos && url[0] != '/' &&
                                         url.find('/') > colon) {
    std::string authority = url.substr(0, colon);  // git@host:path
    if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    out.host = authority;
    out.path = url.substr(colon + 1);
  } else {
    return std::nullopt;  // a local path
  }
  if (out.scheme == "file") return std::nullopt;
  while (out.path.ends_with('/')) out.path.pop_back();
  if (out.path.ends_with(".git")) out.path.resize(out.path.size() - 4);
  return out;
}

std::string HostOnly(const std::string& host) { return host.substr(0, host.find(':')); }

std::optional<ForgeKind> Guess(const std::string& host) {
  if (host.find("github") != std::string::npos) return ForgeKind::kGitHub;
  if (host.find("gitlab") != std::string::npos) return ForgeKind::kGitLab;
  if (host.find("dev.azure.com") != std::string::npos ||
      host.find("visualstudio.com") != std::string::npos)
    return ForgeKind::kAzure;
  return std::nullopt;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Azure's "org/project/repo" and collection URL from a remote's path:
// dev.azure.com/org/project/_git/repo, ssh.dev.azure.com:v3/org/project/repo,
// org.visualstudio.com/project/_git/repo.
std::optional<std::pair<std::string, std::string>> AzureFromUrl(const ParsedUrl& url) {
  std::vector<std::string> parts = Split(url.path);
  std::string host = HostOnly(url.host);
  if (!parts.empty() && parts[0] == "v3" && parts.size() == 4) {
    return std::pair{fmt::format("{}/{}/{}", parts[1], parts[2], parts[3]),
                     fmt::format("https://dev.azure.com/{}", parts[1])};
  }
  if (host.ends_with("visualstudio.com") && parts.size() == 3 && parts[1] == "_git") {
    std::string org = host.substr(0, host.find('.'));
    return std::pair{fmt::format("{}/{}/{}", org, parts[0], parts[2]),
                     fmt::format("https://{}", host)};
  }
  if (parts.size() == 4 && parts[2] == "_git") {
    return std::pair{fmt::format("{}/{}/{}", parts[0], parts[1], parts[3]),
                     fmt::format("{}://{}/{}", url.scheme == "http" ? "http" : "https", url.host,
                                 parts[0])};
  }
  return std::nullopt;
}

// The first variable of `names` that is set: its value and its name.
std::pair<std::string, std::string> FirstSet(const Environment& env,
                                             std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (std::string value = env(name); !value.empty()) return {value, name};
  }
  return {"", ""};
}

std::string WithoutTrailingSlash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return std::string(value != nullptr ? value : "");
  };
}

std::optional<ForgeKind> ParseForgeKind(std::string_view name) {
  if (name == "github") return ForgeKind::kGitHub;
  if (name == "gitlab") return ForgeKind::kGitLab;
  if (name == "azure") return ForgeKind::kAzure;
  return std::nullopt;
}

Result<ForgeConfig> ResolveForge(const std::string& remote_url, const std::string& kind,
                                 const Environment& env) {
  std::optional<ParsedUrl> url = ParseUrl(remote_url);
  ForgeConfig config;
  if (!kind.empty()) {
    auto parsed = ParseForgeKind(kind);
    if (!parsed) return Fail(ErrorCode::kInvalidArgument, "--forge {}: not github, gitlab or azure", kind);
    config.kind = *parsed;
  } else if (auto guessed = url ? Guess(url->host) : std::nullopt) {
    config.kind = *guessed;
  } else if (!env("GITHUB_REPOSITORY").empty()) {
    config.kind = ForgeKind::kGitHub;
  } else if (!env("CI_PROJECT_PATH").empty()) {
    config.kind = ForgeKind::kGitLab;
  } else if (!env("SYSTEM_COLLECTIONURI").empty()) {
    config.kind = ForgeKind::kAzure;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot tell the forge of remote {}: pass --forge github|gitlab|azure",
                remote_url.empty() ? "(none)" : remote_url);
  }
  std::pair<std::string, std::string> token;
  switch (config.kind) {
    case ForgeKind::kGitHub: {
      config.repository = env("GITHUB_REPOSITORY");
      if (config.repository.empty() && url) config.repository = url->path;
      config.api_base = env("GITHUB_API_URL");
      if (config.api_base.empty() && url) {
        config.api_base = HostOnly(url->host) == "github.com"
                              ? "https://api.github.com"
                              : fmt::format("https://{}/api/v3", HostOnly(url->host));
      }
      if (config.api_base.empty()) config.api_base = "https://api.github.com";
      token = FirstSet(env, {"GITHUB_TOKEN", "GH_TOKEN"});
      config.git_username = "x-access-token";
      break;
    }
    case ForgeKind::kGitLab: {
      config.repository = env("CI_PROJECT_PATH");
      if (config.repository.empty() && url) config.repository = url->path;
      config.api_base = FirstSet(env, {"GITLAB_API_URL", "CI_API_V4_URL"}).first;
      if (config.api_base.empty() && url)
        config.api_base = fmt::format("https://{}/api/v4", HostOnly(url->host));
      token = FirstSet(env, {"GITLAB_TOKEN"});
      config.git_username = "oauth2";
      break;
    }
    case ForgeKind::kAzure: {
      std::string collection = env("SYSTEM_COLLECTIONURI");
      std::string project = env("SYSTEM_TEAMPROJECT");
      std::string name = env("BUILD_REPOSITORY_NAME");
      if (!collection.empty() && !project.empty() && !name.empty()) {
        std::vector<std::string> parts = Split(WithoutTrailingSlash(collection));
        config.repository = fmt::format("{}/{}/{}", parts.empty() ? "" : parts.back(), project, name);
        config.api_base = collection;
      } else if (url) {
        if (auto azure = AzureFromUrl(*url)) std::tie(config.repository, config.api_base) = *azure;
      }
      if (std::string api = env("AZURE_DEVOPS_API_URL"); !api.empty()) config.api_base = api;
      token = FirstSet(env, {"AZURE_DEVOPS_TOKEN", "SYSTEM_ACCESSTOKEN"});
      config.git_username = "prometheus";
      break;
    }
  }
  config.api_base = WithoutTrailingSlash(config.api_base);
  std::string_view forge = ForgeKindName(config.kind);
  size_t parts = Split(config.repository).size();
  size_t wanted = config.kind == ForgeKind::kAzure ? 3 : 2;
  if (config.repository.empty() || parts < wanted ||
      (config.kind != ForgeKind::kGitLab && parts != wanted)) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot tell the {} repository of remote {}: {}", forge,
                remote_url.empty() ? "(none)" : remote_url,
                config.kind == ForgeKind::kGitHub  ? "set GITHUB_REPOSITORY=owner/name"
                : config.kind == ForgeKind::kGitLab ? "set CI_PROJECT_PATH=group/project"
                                                    : "set SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT "
                                                      "and BUILD_REPOSITORY_NAME");
  }
  if (config.api_base.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "cannot tell the {} API of remote {}: set {}", forge,
                remote_url.empty() ? "(none)" : remote_url,
                config.kind == ForgeKind::kGitLab ? "GITLAB_API_URL" : "SYSTEM_COLLECTIONURI");
  }
  std::tie(config.token, config.token_source) = token;
  if (config.token.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no {} token: set {}", forge,
                config.kind == ForgeKind::kGitHub  ? "GITHUB_TOKEN or GH_TOKEN"
                : config.kind == ForgeKind::kGitLab ? "GITLAB_TOKEN"
                                                    : "AZURE_DEVOPS_TOKEN (or SYSTEM_ACCESSTOKEN)");
  }
  return config;
}

}  // namespace prometheus::forge
