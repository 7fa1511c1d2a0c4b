// `prometheus optimize` and `prometheus vacuum`, black-box on real logs.
#include "prometheus/cli/maintenance_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using testing::RunPrometheus;
using testing::TempDir;

const std::string kSampleLogs = testing::RepoPath("testdata/eventlogs");

size_t ShownRows(const fs::path& store, const std::string& table) {
  auto run = RunPrometheus({"show", table, "--store", store.string(), "--format", "json",
                            "--limit", "0"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return testing::StdoutJson(run).size();
}

// A store with each sample log observed in its own batch.
fs::path ObservedOneByOne(TempDir& tmp) {
  fs::path store = tmp.path() / "lake";
  for (const auto& entry : fs::directory_iterator(kSampleLogs)) {
    auto run = RunPrometheus({"observe", "--source", entry.path().string(), "--store",
                              store.string(), "--no-progress"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
  }
  return store;
}

TEST(ParseByteSize, TakesUnitsOf1024) {
  EXPECT_EQ(ParseByteSize("128MB"), 128LL << 20);
  EXPECT_EQ(ParseByteSize("1gb"), 1LL << 30);
  EXPECT_EQ(ParseByteSize("512K"), 512LL << 10);
  EXPECT_EQ(ParseByteSize("4096"), 4096);
  EXPECT_EQ(ParseByteSize("0MB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("12 parsecs"), std::nullopt);
  EXPECT_EQ(ParseByteSize("MB"), std::nullopt);
}

TEST(OptimizeCommand, CompactsEachTableKeepingItsRows) {
  TempDir tmp;
  fs::path store = ObservedOneByOne(tmp);
  const size_t metrics = ShownRows(store, "prometheus_metrics");
  const size_t applications = ShownRows(store, "prometheus_applications");
  auto run = RunPrometheus({"optimize", "--store", store.string(), "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = testing::StdoutJson(run);
  ASSERT_EQ(report.size(), 2u);
  for (const auto& table : report) {
    EXPECT_GT(table["files_before"], 1) << table;
    EXPECT_EQ(table["files_after"], 1) << table;
  }
  EXPECT_EQ(ShownRows(store, "prometheus_metrics"), metrics);
  EXPECT_EQ(ShownRows(store, "prometheus_applications"), applications);
  // Observing the same logs again stores nothing new.
  auto again = RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string(),
                              "--no-progress"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ShownRows(store, "prometheus_applications"), applications);
}

TEST(OptimizeCommand, SaysWhatIsWrongWithItsArguments) {
  TempDir tmp;
  auto missing = RunPrometheus({"optimize", "--store", (tmp.path() / "none").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no such lake folder"), std::string::npos) << missing.err;
  auto size = RunPrometheus({"optimize", "--store", tmp.path().string(), "--target-size", "big"});
  EXPECT_EQ(size.exit_code, 2);
  EXPECT_NE(size.err.find("--target-size big"), std::string::npos) << size.err;
  auto uc = RunPrometheus({"optimize", "--store", "uc:main.prometheus"});
  EXPECT_EQ(uc.exit_code, 2);
  EXPECT_NE(uc.err.find("Unity Catalog"), std::string::npos) << uc.err;
}

TEST(VacuumCommand, ADryRunOfAFreshLakeDeletesNothingAndSaysSo) {
  TempDir tmp;
  fs::path store = ObservedOneByOne(tmp);
  ASSERT_EQ(RunPrometheus({"optimize", "--store", store.string()}).exit_code, 0);
  auto run = RunPrometheus({"vacuum", "--store", store.string(), "--retain", "7d", "--dry-run",
                            "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = testing::StdoutJson(run);
  ASSERT_EQ(report.size(), 3u);
  for (const auto& table : report) {
    // The compacted-away files were removed seconds ago: a week's versions need them.
    EXPECT_EQ(table["data_files"], nlohmann::json::array()) << table;
    EXPECT_EQ(table["log_files"], nlohmann::json::array()) << table;
  }
}

TEST(VacuumCommand, RefusesABadOrTooShortRetention) {
  TempDir tmp;
  fs::path store = ObservedOneByOne(tmp);
  auto bad = RunPrometheus({"vacuum", "--store", store.string(), "--retain", "7 days"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--retain 7 days: expected"), std::string::npos) << bad.err;
  auto zero = RunPrometheus({"vacuum", "--store", store.string(), "--retain", "0d"});
  EXPECT_EQ(zero.exit_code, 2);
  auto short_one = RunPrometheus({"vacuum", "--store", store.string(), "--retain", "24h"});
  EXPECT_EQ(short_one.exit_code, 2);
  EXPECT_NE(short_one.err.find("delta.deletedFileRetentionDuration"), std::string::npos)
      << short_one.err;
}

}  // namespace
}  // namespace prometheus::cli
