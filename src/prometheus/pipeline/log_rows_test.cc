#include "prometheus/pipeline/log_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "prometheus/lake/tables.h"
#include "prometheus/parquet/json_rows.h"
#include "prometheus/pipeline/lake_table.h"
#include "prometheus/pipeline/observe.h"
#include "prometheus/pipeline/recommend.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

// Logs of every layout, two of them as a priced Databricks cluster's (so
// that their rows carry a cost, and their recommendations the cost at
// stake), written into `folder`.
std::vector<std::filesystem::path> Sources(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  for (const char* name : {"local-1422981780767", "app-20200706201101-0003"}) {
    std::ifstream in(prometheus::testing::RepoPath("testdata/eventlogs") + "/" + name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string properties = "\"Spark Properties\":{";
    const std::string tags =
        "\"spark.databricks.clusterUsageTags.clusterNodeType\":\"i3.xlarge\","
        "\"spark.databricks.clusterUsageTags.driverNodeType\":\"i3.xlarge\","
        "\"spark.databricks.clusterUsageTags.clusterWorkers\":\"2\",";
    size_t at = text.find(properties);
    EXPECT_NE(at, std::string::npos) << name;
    text.insert(at + properties.size(), tags);
    std::ofstream(folder / name) << text;
  }
  const std::string logs = prometheus::testing::RepoPath("testdata/eventlogs");
  return {folder, logs + "/application_1628109047826_1317105",
          logs + "/eventlog_v2_local-1623876083964",
          logs + "/tasks_executors_fail_compressed_eventlog.zstd",
          prometheus::testing::RepoPath("testdata/photon/nds_q88_photon_db_13_3.zstd")};
}

std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(LogRows, EqualWhatObserveThenRecommendStore) {
  prometheus::testing::TempDir tmp;
  const auto store = tmp.path() / "lake";
  ObserveRequest observe;
  observe.sources = Sources(tmp.path() / "priced");
  observe.store = store;
  observe.now_ms = kNow;
  auto batch = CollectNewLogs(observe, nullptr);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_TRUE(StoreBatch(store, *batch));
  RecommendRequest recommend;
  recommend.store = store;
  recommend.rules.folders = {prometheus::testing::RepoPath("rules")};
  recommend.now_ms = kNow;
  auto recommended = RecommendStored(recommend, nullptr);
  ASSERT_TRUE(recommended) << recommended.error().message;
  ASSERT_TRUE(StoreRecommendations(recommend, *recommended));

  LogRowsRequest request;
  request.sources = observe.sources;
  request.rules.folders = recommend.rules.folders;
  request.now_ms = kNow;
  auto rows = RowsOfLogs(request);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->applications_read, 6);
  // Every column, in order, with the same values: JSON lines name them all.
  const std::pair<std::string_view, const std::vector<std::string>*> tables[] = {
      {lake::kMetricsTable, &rows->metrics},
      {lake::kApplicationsTable, &rows->applications},
      {lake::kRecommendationsTable, &rows->recommendations}};
  for (const auto& [name, json_rows] : tables) {
    auto stored = ReadLakeTable(store, name);
    ASSERT_TRUE(stored) << stored.error().message;
    EXPECT_GT(json_rows->size(), 5u) << name;
    EXPECT_EQ(Sorted(*json_rows), Sorted(parquet::JsonRows(stored->table))) << name;
  }
  EXPECT_EQ(rows->applications.size(), 6u);
  bool cost_at_stake = false;
  for (const auto& row : rows->recommendations) {
    cost_at_stake |= row.find("cost at stake") != std::string::npos;
  }
  EXPECT_TRUE(cost_at_stake);
}

TEST(LogRows, KeepsOnlyApplicationsWithinSince) {
  prometheus::testing::TempDir tmp;
  LogRowsRequest request;
  request.sources = Sources(tmp.path());
  request.since_ms = 24LL * 3600 * 1000;
  request.now_ms = kNow;
  auto rows = RowsOfLogs(request);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->applications_before_since, 6);
  EXPECT_TRUE(rows->applications.empty());
  EXPECT_TRUE(rows->metrics.empty());
}

TEST(LogRows, ANamedPathWithoutALogIsAnErrorNamingIt) {
  LogRowsRequest request;
  request.sources = {"/nonexistent/eventlog"};
  auto rows = RowsOfLogs(request);
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().message.find("/nonexistent/eventlog"), std::string::npos)
      << rows.error().message;
}

TEST(LogRows, ABadThresholdIsAnInvalidArgument) {
  LogRowsRequest request;
  request.sources = {prometheus::testing::RepoPath("testdata/eventlogs")};
  request.rules.thresholds = {"idle_cores.idle_ratio"};
  auto rows = RowsOfLogs(request);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace prometheus::pipeline
