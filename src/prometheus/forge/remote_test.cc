#include "prometheus/forge/remote.h"

#include <gtest/gtest.h>

#include <map>

namespace prometheus::forge {
namespace {

Environment Env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) {
    auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  };
}

TEST(ResolveForge, ReadsGitHubFromTheRemoteUrlInEveryForm) {
  auto env = Env({{"GITHUB_TOKEN", "ghs_secret"}});
  for (const char* url : {"https://github.com/acme/etl.git", "git@github.com:acme/etl.git",
                          "ssh://git@github.com/acme/etl", "https://x:y@github.com/acme/etl/"}) {
    auto config = ResolveForge(url, "", env);
    ASSERT_TRUE(config) << url << ": " << config.error().message;
    EXPECT_EQ(config->kind, ForgeKind::kGitHub) << url;
    EXPECT_EQ(config->repository, "acme/etl") << url;
    EXPECT_EQ(config->api_base, "https://api.github.com") << url;
    EXPECT_EQ(config->token, "ghs_secret");
    EXPECT_EQ(config->token_source, "GITHUB_TOKEN");
  }
  auto enterprise = ResolveForge("https://github.acme.io/data/etl.git", "", Env({{"GH_TOKEN", "t"}}));
  ASSERT_TRUE(enterprise);
  EXPECT_EQ(enterprise->api_base, "https://github.acme.io/api/v3");
  EXPECT_EQ(enterprise->token_source, "GH_TOKEN");
}

TEST(ResolveForge, TheEnvironmentAndForgeOverrideTheUrl) {
  auto config = ResolveForge("/tmp/remote.git", "github",
                             Env({{"GITHUB_REPOSITORY", "o/r"}, {"GITHUB_TOKEN", "t"},
                                  {"GITHUB_API_URL", "http://127.0.0.1:9/"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->repository, "o/r");
  EXPECT_EQ(config->api_base, "http://127.0.0.1:9");
  auto gitlab = ResolveForge("https://gitlab.example.com/group/sub/project.git", "",
                             Env({{"GITLAB_TOKEN", "g"}}));
  ASSERT_TRUE(gitlab);
  EXPECT_EQ(gitlab->kind, ForgeKind::kGitLab);
  EXPECT_EQ(gitlab->repository, "group/sub/project");
  EXPECT_EQ(gitlab->api_base, "https://gitlab.example.com/api/v4");
  EXPECT_EQ(gitlab->git_username, "oauth2");
  for (const char* url : {"https://acme@dev.azure.com/acme/Data/_git/etl",
                          "git@ssh.dev.azure.com:v3/acme/Data/etl"}) {
    auto azure = ResolveForge(url, "", Env({{"SYSTEM_ACCESSTOKEN", "a"}}));
    ASSERT_TRUE(azure) << url << ": " << azure.error().message;
    EXPECT_EQ(azure->kind, ForgeKind::kAzure);
    EXPECT_EQ(azure->repository, "acme/Data/etl");
    EXPECT_EQ(azure->api_base, "https://dev.azure.com/acme");
    EXPECT_EQ(azure->token_source, "SYSTEM_ACCESSTOKEN");
  }
}

TEST(ResolveForge, SaysWhatIsMissingWithoutNamingTheToken) {
  auto no_token = ResolveForge("https://github.com/acme/etl.git", "", Env({}));
  ASSERT_FALSE(no_token);
  EXPECT_EQ(no_token.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(no_token.error().message.find("GITHUB_TOKEN or GH_TOKEN"), std::string::npos);
  auto unknown = ResolveForge("/srv/git/etl.git", "", Env({{"GITHUB_TOKEN", "t"}}));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("--forge"), std::string::npos);
  auto no_repo = ResolveForge("/srv/git/etl.git", "github", Env({{"GITHUB_TOKEN", "t"}}));
  ASSERT_FALSE(no_repo);
  EXPECT_NE(no_repo.error().message.find("GITHUB_REPOSITORY"), std::string::npos);
  EXPECT_EQ(ResolveForge("", "bitbucket", Env({})).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace prometheus::forge
