#include "prometheus/model/load_event_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::model {
namespace {

namespace fs = std::filesystem;
using testing::SharedEventLog;

constexpr const char* kQualification =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-qualification/";
constexpr const char* kProfiling =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-profiling/";

Result<LoadedLog> Load(const std::string& path) {
  auto inputs = io::FindEventLogs({path});
  if (!inputs) return std::unexpected(inputs.error());
  EXPECT_EQ(inputs->inputs.size(), 1u);
  return LoadEventLog(inputs->inputs.front());
}

using prometheus::testing::Slurp;
using prometheus::testing::TempDir;

TEST(LoadEventLog, CountsACorruptLineWithFileAndLineAndGoesOn) {
  std::string path = SharedEventLog(std::string(kProfiling) + "malformed_json_eventlog.zstd");
  auto log = Load(path);
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_EQ(log->corrupt_line_count, 1);
  ASSERT_EQ(log->corrupt_lines.size(), 1u);
  EXPECT_EQ(log->corrupt_lines[0].file, path);
  EXPECT_EQ(log->corrupt_lines[0].line, 4u);
  EXPECT_FALSE(log->corrupt_lines[0].reason.empty());
  EXPECT_GT(log->application.task_end_events, 0);  // the rest was read
}

TEST(LoadEventLog, ACutLastLineOfAnInProgressLogIsNormal) {
  std::string full = Slurp(SharedEventLog(std::string(testing::kSparkEvents) +
                                             "app-20200706201101-0003"));
  // Cut in the middle of the last TaskEnd line, as a live writer would.
  size_t last_task = full.rfind("{\"Event\":\"SparkListenerTaskEnd\"");
  ASSERT_NE(last_task, std::string::npos);
  TempDir dir;
  fs::path file = dir.Write("app-1.inprogress", full.substr(0, last_task + 200));
  auto log = Load(file.string());
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_TRUE(log->truncated_tail);
  EXPECT_EQ(log->corrupt_line_count, 0);
  EXPECT_TRUE(log->input.in_progress);
  EXPECT_FALSE(log->application.end_time.has_value());
  EXPECT_EQ(log->application.task_end_events, 47);  // 48 in the whole log
}

TEST(LoadEventLog, AFileWithoutEventsIsAnErrorNamingIt) {
  TempDir dir;
  fs::path file = dir.Write("notes.txt", "hello\nworld\n");
  auto log = Load(file.string());
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(log.error().message.find(file.string()), std::string::npos);
  EXPECT_NE(log.error().message.find("no Spark events"), std::string::npos);
}

TEST(LoadEventLog, AFolderWithoutPartsYetIsNotFound) {
  io::EventLogInput input{.name = "eventlog_v2_app-1", .layout = io::LogLayout::kRolling};
  auto log = LoadEventLog(input);
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(log.error().message, "eventlog_v2_app-1: no event-log part in this folder yet");
}

TEST(LoadEventLog, RollingAndDatabricksLayoutsOfOneRunGiveTheSameModel) {
  auto rolling = Load(SharedEventLog(std::string(kQualification) +
                                     "eventlog_v2_local-1623876083964"));
  auto databricks = Load(SharedEventLog(std::string(kQualification) + "db_sim_eventlog"));
  ASSERT_TRUE(rolling.has_value()) << rolling.error().message;
  ASSERT_TRUE(databricks.has_value()) << databricks.error().message;
  EXPECT_EQ(rolling->input.parts.size(), 2u);
  EXPECT_EQ(rolling->corrupt_line_count, 0);  // part 1 has no final newline
  EXPECT_EQ(databricks->corrupt_line_count, 0);
  const Application& a = rolling->application;
  const Application& b = databricks->application;
  EXPECT_EQ(a.app_id, "local-1623876083964");
  EXPECT_EQ(a.app_id, b.app_id);
  EXPECT_TRUE(a.end_time.has_value());
  EXPECT_EQ(a.task_end_events, b.task_end_events);
  ASSERT_EQ(a.stages.size(), b.stages.size());
  for (const auto& [key, stage] : a.stages) {
    EXPECT_EQ(stage.totals.executor_run_time_ms, b.stages.at(key).totals.executor_run_time_ms);
  }
}

TEST(LoadEventLog, DatabricksRuntimeLogWithRepeatedMetadataHeader) {
  auto log = Load(SharedEventLog(std::string(kQualification) + "db_subExecution_id.zstd"));
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_EQ(log->application.spark_version, "3.3.0");
  EXPECT_EQ(log->corrupt_line_count, 0);
  EXPECT_EQ(log->application.task_end_events, 137);
  EXPECT_EQ(log->application.sql_executions.size(), 12u);
  const std::string* cluster =
      log->application.Property("spark.databricks.clusterUsageTags.clusterId");
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(*cluster, "0207-201646-mku1a74m");
}

TEST(LoadEventLog, ResolvesSqlMetricsFromTaskAndDriverUpdates) {
  auto log = Load(SharedEventLog(std::string(testing::kSparkEvents) + "app-20200706201101-0003"));
  ASSERT_TRUE(log.has_value()) << log.error().message;
  const Application& app = log->application;
  ASSERT_EQ(app.sql_executions.size(), 1u);
  const SqlExecution& sql = app.sql_executions.begin()->second;
  EXPECT_FALSE(sql.job_ids.empty());
  // Sums computed independently from the log's task accumulables and
  // DriverAccumUpdates events.
  std::map<int64_t, int64_t> want = {{1, 6000000}, {7, 300}, {14, 100000}, {2, 1048616}};
  std::map<int64_t, int64_t> got;
  std::function<void(const PlanNode&)> walk = [&](const PlanNode& node) {
    for (const auto& metric : node.metrics) {
      if (metric.value) got[metric.accumulator_id] = *metric.value;
    }
    for (const auto& child : node.children) walk(child);
  };
  walk(sql.plan);
  for (const auto& [id, value] : want) EXPECT_EQ(got[id], value) << "accumulator " << id;
}

TEST(LoadEventLog, AttemptsOfOneApplicationAreKeptApart) {
  std::string dir = SharedEventLog(std::string(kQualification) + "multiple_attempts");
  auto inputs = io::FindEventLogs({dir});
  ASSERT_TRUE(inputs.has_value());
  ASSERT_EQ(inputs->inputs.size(), 4u);
  std::set<std::string> attempts;
  for (const auto& input : inputs->inputs) {
    auto log = LoadEventLog(input);
    ASSERT_TRUE(log.has_value()) << log.error().message;
    EXPECT_EQ(log->application.app_id, "application_1724877841851_0016");
    attempts.insert(log->application.attempt_id);
  }
  EXPECT_EQ(attempts, (std::set<std::string>{"1", "2", "3", "4"}));
}

}  // namespace
}  // namespace prometheus::model

namespace prometheus::model {
namespace {

TEST(LoadEventLog, SqlMetricsFallBackToStageValuesWhenTaskEventsAreMissing) {
  std::string full = Slurp(SharedEventLog(std::string(testing::kSparkEvents) +
                                             "app-20200706201101-0003"));
  // Drop every TaskEnd, as a compacted or overflowing log would.
  std::string kept;
  size_t start = 0;
  while (start < full.size()) {
    size_t end = full.find('\n', start);
    if (end == std::string::npos) end = full.size();
    std::string_view line(full.data() + start, end - start);
    if (line.find("\"Event\":\"SparkListenerTaskEnd\"") == std::string_view::npos) {
      kept.append(line);
      kept += '\n';
    }
    start = end + 1;
  }
  TempDir dir;
  auto log = Load(dir.Write("app-1", kept).string());
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_EQ(log->application.task_end_events, 0);
  // "number of output rows" of the BroadcastHashJoin, from StageCompleted.
  EXPECT_EQ(log->application.accumulator_values.at(1), 6000000);
}

// Most of a compressed log is not a complete log: each codec's cut is a
// warning naming the file and the byte where the cut part starts. (Half of
// the zstd fixture holds no whole line: the next test.)
TEST(LoadEventLog, ACutCompressedLogIsAWarningNamingFileAndOffset) {
  const std::string base = testing::RepoPath("testdata/codecs/app-20200706201101-0003");
  TempDir dir;
  for (std::string suffix : {".gz", ".lz4", ".lzf", ".snappy", ".zstd"}) {
    std::string bytes = Slurp(base + suffix);
    fs::path cut = dir.Write("app-20200706201101-0003" + suffix,
                             bytes.substr(0, bytes.size() * 9 / 10));
    auto log = Load(cut.string());
    ASSERT_TRUE(log.has_value()) << suffix << ": " << log.error().message;
    ASSERT_EQ(log->cut_parts.size(), 1u) << suffix;
    EXPECT_LT(log->cut_parts[0].offset, bytes.size() * 9 / 10) << suffix;
    EXPECT_GT(log->events, 0) << suffix;
    std::vector<std::string> warnings = LoadWarnings(*log);
    ASSERT_FALSE(warnings.empty()) << suffix;
    EXPECT_NE(warnings[0].find(cut.string() + ": compressed stream ends early"),
              std::string::npos)
        << warnings[0];
    EXPECT_NE(warnings[0].find(
                  "at byte " + std::to_string(log->cut_parts[0].offset) + " "),
              std::string::npos)
        << warnings[0];

    auto whole = Load(base + suffix);
    ASSERT_TRUE(whole.has_value()) << whole.error().message;
    EXPECT_TRUE(whole->cut_parts.empty()) << suffix;
    EXPECT_TRUE(LoadWarnings(*whole).empty()) << suffix;
  }
}

TEST(LoadEventLog, ALogCutBeforeItsFirstLineSaysItIsTruncated) {
  std::string bytes =
      Slurp(testing::RepoPath("testdata/codecs/app-20200706201101-0003.zstd"));
  TempDir dir;
  fs::path cut = dir.Write("app-1.zstd", bytes.substr(0, 40));
  auto log = Load(cut.string());
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().message.find("no Spark events in 0 line(s)"), std::string::npos);
  EXPECT_NE(log.error().message.find("it is truncated: " + cut.string() +
                                     ": compressed stream ends early: the zstd "
                                     "frame starting at byte 0 is incomplete"),
            std::string::npos)
      << log.error().message;
}

TEST(LoadEventLog, AnApplicationIdTakenFromTheFileNameIsSaid) {
  std::string plain =
      Slurp(testing::RepoPath("testdata/codecs/app-20200706201101-0003"));
  std::string without_start;
  size_t begin = 0;
  while (begin < plain.size()) {
    size_t end = plain.find('\n', begin);
    std::string line = plain.substr(begin, end - begin + 1);
    if (line.find("SparkListenerApplicationStart") == std::string::npos) {
      without_start += line;
    }
    begin = end + 1;
  }
  TempDir dir;
  fs::path path = dir.Write("app-from-name", without_start);
  auto log = Load(path.string());
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_TRUE(log->app_id_from_file_name);
  EXPECT_EQ(log->application.app_id, "app-from-name");
  std::vector<std::string> warnings = LoadWarnings(*log);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], path.string() +
                             ": no SparkListenerApplicationStart event, so the "
                             "application id app-from-name was taken from the "
                             "file name");

  auto with_start = Load(testing::RepoPath("testdata/codecs/app-20200706201101-0003"));
  ASSERT_TRUE(with_start.has_value());
  EXPECT_FALSE(with_start->app_id_from_file_name);
}

}  // namespace
}  // namespace prometheus::model
