// `observe --databricks` refusals that need no workspace: they must be one
// clear line and exit 2. (The whole flow runs against the stand-in
// workspace in tests/standins/observe_databricks_e2e.py.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using testing::RunPrometheus;
using testing::TempDir;

// Sets environment variables for one test, and puts them back.
class ScopedEnv {
 public:
  ScopedEnv(std::vector<std::pair<std::string, std::string>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      if (value.empty()) {
        unsetenv(name.c_str());
      } else {
        setenv(name.c_str(), value.c_str(), 1);
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(DatabricksObserve, MissingCredentialsAreOneLineSayingWhatToSet) {
  TempDir home;
  ScopedEnv env({{"HOME", home.path().string()}, {"DATABRICKS_HOST", "https://ws.example"},
                 {"DATABRICKS_TOKEN", ""}, {"DATABRICKS_CONFIG_PROFILE", ""},
                 {"DATABRICKS_CONFIG_FILE", ""}, {"DATABRICKS_CLIENT_ID", ""}});
  auto run = RunPrometheus({"observe", "--databricks", "--store", (home.path() / "lake").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "prometheus: Databricks: no credentials for https://ws.example (from environment "
            "variables (DATABRICKS_HOST)); set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and "
            "DATABRICKS_CLIENT_SECRET, or a profile in ~/.databrickscfg\n");
  auto profile = RunPrometheus({"observe", "--databricks", "--profile", "prod", "--store",
                                (home.path() / "lake").string()});
  EXPECT_EQ(profile.exit_code, 2);
  EXPECT_NE(profile.err.find("profile [prod] asked for"), std::string::npos) << profile.err;
}

TEST(DatabricksObserve, NeitherSourceNorWorkspaceNorAUnityCatalogStoreWithoutAWarehouse) {
  TempDir dir;
  auto nothing = RunPrometheus({"observe", "--store", dir.path().string()});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(nothing.err, "prometheus: observe: --source or --databricks is required\n");
  ScopedEnv env({{std::string("DATABRICKS_WAREHOUSE_ID"), std::string()}});
  auto uc = RunPrometheus({"observe", "--databricks", "--store", "uc:main.prometheus"});
  EXPECT_EQ(uc.exit_code, 2);
  EXPECT_EQ(uc.err, "prometheus: --store uc:main.prometheus: a Unity Catalog store needs a SQL "
                    "warehouse: set DATABRICKS_WAREHOUSE_ID or give --warehouse-id\n");
  auto bad = RunPrometheus({"show", "prometheus_metrics", "--store", "uc:main.prom'x",
                            "--warehouse-id", "w"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("expected uc:CATALOG.SCHEMA"), std::string::npos) << bad.err;
}

TEST(DatabricksObserve, StorageDefaultsToPrometheusStorageAndABadPriceTableIsNamed) {
  TempDir dir;
  std::string store = (dir.path() / "from-env").string();
  {
    ScopedEnv env({{"PROMETHEUS_STORAGE", store}});
    auto run = RunPrometheus({"observe", "--source",
                              testing::RepoPath("testdata/eventlogs/local-1422981780767")});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(store) / "prometheus_applications"));
    // show and recommend read the same default.
    auto shown = RunPrometheus({"show", "prometheus_applications", "--format", "csv"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("local-1422981780767"), std::string::npos);
    auto recommended = RunPrometheus({"recommend"});
    EXPECT_EQ(recommended.exit_code, 0) << recommended.err;
    EXPECT_NE(recommended.out.find(store), std::string::npos);
  }
  std::ofstream(dir.path() / "prices.json") << R"({"currency": "USD"})";
  ScopedEnv env({{"PROMETHEUS_PRICE_TABLE", (dir.path() / "prices.json").string()}});
  auto bad = RunPrometheus({"observe", "--source", testing::RepoPath("testdata/eventlogs/local-1422981780767"),
                            "--store", store});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.err.starts_with("prometheus: " + (dir.path() / "prices.json").string() +
                                  ": expected currency")) << bad.err;
}

}  // namespace
}  // namespace prometheus::cli
