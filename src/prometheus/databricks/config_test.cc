#include "prometheus/databricks/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "prometheus/testing/temp_dir.h"

namespace prometheus::databricks {
namespace {

Environment Env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

class ConfigTest : public ::testing::Test {
 protected:
  void WriteConfig(const std::string& text) {
    std::ofstream(dir_.path() / ".databrickscfg") << text;
  }
  std::string Home() const { return dir_.path().string(); }
  prometheus::testing::TempDir dir_;
};

TEST_F(ConfigTest, EnvironmentTokenWinsAndTheFileIsNotRead) {
  WriteConfig("[DEFAULT]\nhost = https://from-file\ntoken = file-token\n");
  auto config = ResolveConfig(
      Env({{"HOME", Home()}, {"DATABRICKS_HOST", "adb-1.2.azuredatabricks.net/"},
           {"DATABRICKS_TOKEN", "env-token"}}),
      std::nullopt);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->host, "https://adb-1.2.azuredatabricks.net");
  EXPECT_EQ(config->token, "env-token");
  EXPECT_EQ(config->auth, AuthType::kPat);
  EXPECT_EQ(config->source, "environment variables (DATABRICKS_HOST, DATABRICKS_TOKEN)");
}

TEST_F(ConfigTest, DefaultProfileNamedProfilesAndDefaultProfileSetting) {
  WriteConfig(
      "; comment\n[DEFAULT]\nhost  = https://dbc-1.cloud.databricks.com/\n"
      "token = dapi#abc  # a comment after a space\n\n"
      "[prod-sp]\nhost = https://prod\nclient_id = 0000-id\nclient_secret = dose-secret\n");
  auto fallback = ResolveConfig(Env({{"HOME", Home()}}), std::nullopt);
  ASSERT_TRUE(fallback) << fallback.error().message;
  EXPECT_EQ(fallback->host, "https://dbc-1.cloud.databricks.com");
  EXPECT_EQ(fallback->token, "dapi#abc");
  EXPECT_EQ(fallback->source, fmt::format("profile [DEFAULT] of {}/.databrickscfg", Home()));

  auto named = ResolveConfig(Env({{"HOME", Home()}}), "prod-sp");
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->auth, AuthType::kOAuthM2M);
  EXPECT_EQ(named->client_secret, "dose-secret");

  auto by_env = ResolveConfig(Env({{"HOME", Home()}, {"DATABRICKS_CONFIG_PROFILE", "prod-sp"}}),
                              std::nullopt);
  ASSERT_TRUE(by_env);
  EXPECT_EQ(by_env->host, "https://prod");

  // The environment fills what it sets; the asked-for profile the rest.
  auto mixed = ResolveConfig(
      Env({{"HOME", Home()}, {"DATABRICKS_HOST", "https://env-host"}}), "prod-sp");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->host, "https://env-host");
  EXPECT_EQ(mixed->client_id, "0000-id");

  WriteConfig("[__settings__]\ndefault_profile = b\n[b]\nhost = h\ntoken = t\n");
  auto settings = ResolveConfig(Env({{"HOME", Home()}}), std::nullopt);
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->host, "https://h");
}

TEST_F(ConfigTest, ConfigFileFromTheEnvironment) {
  std::ofstream(dir_.path() / "other.cfg") << "[x]\nhost = https://x\ntoken = tx\n";
  auto config = ResolveConfig(
      Env({{"DATABRICKS_CONFIG_FILE", (dir_.path() / "other.cfg").string()}}), "x");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->token, "tx");
}

TEST_F(ConfigTest, MissingThingsAreOneLineNamingTheSourceAndWhatToSet) {
  auto nothing = ResolveConfig(Env({{"HOME", Home()}}), std::nullopt);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(nothing.error().message.find("set DATABRICKS_HOST"), std::string::npos)
      << nothing.error().message;
  EXPECT_EQ(nothing.error().message.find('\n'), std::string::npos);

  auto no_token = ResolveConfig(Env({{"HOME", Home()}, {"DATABRICKS_HOST", "h"}}), std::nullopt);
  ASSERT_FALSE(no_token);
  EXPECT_NE(no_token.error().message.find("environment variables (DATABRICKS_HOST)"),
            std::string::npos) << no_token.error().message;
  EXPECT_NE(no_token.error().message.find("set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and "
                                          "DATABRICKS_CLIENT_SECRET"),
            std::string::npos);

  WriteConfig("[DEFAULT]\nhost = h\ntoken = t\n");
  auto missing_profile = ResolveConfig(Env({{"HOME", Home()}}), "nope");
  ASSERT_FALSE(missing_profile);
  EXPECT_EQ(missing_profile.error().message,
            fmt::format("{}/.databrickscfg has no [nope] profile configured", Home()));

  WriteConfig("[DEFAULT]\nhost = h\nnot a pair\n");
  auto bad = ResolveConfig(Env({{"HOME", Home()}}), std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find(".databrickscfg:3:"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::databricks
