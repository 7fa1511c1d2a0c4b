// Our values against NVIDIA spark-rapids-tools' expectation CSVs for the same
// logs: application durations, CPU share, SQL durations, failed stages, jobs
// and tasks, and the per-stage metrics of a Databricks Photon log.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/csv.h"
#include "prometheus/testing/paths.h"

namespace prometheus::kpi {
namespace {

using testing::AnalyzeLog;
using testing::RepoPath;
using testing::SharedEventLog;

constexpr const char* kRapids = "NVIDIA__spark-rapids-tools/core/src/test/resources/";

// Rows of a CSV file with a header line, as maps from header name to text.
std::vector<std::map<std::string, std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto records = testing::ParseCsv(text, /*require_final_newline=*/false);
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < records[0].size() && c < records[r].size(); ++c) {
      row[records[0][c]] = records[r][c];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Spark writes newlines and tabs in these CSVs as the two-character escapes.
std::string EscapeLikeSparkCsv(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

TEST(RapidsToolsConformance, ApplicationSummaries) {
  struct Case {
    const char* label;
    const char* log;
  };
  const Case cases[] = {
      {"eventlog_rolling", "spark-events-qualification/eventlog_v2_local-1623876083964"},
      {"db_eventlog_rolling", "spark-events-qualification/db_sim_eventlog"},
      {"spark_2", "spark-events-profiling/spark2-eventlog.zstd"},
      {"missing_sql_end", "spark-events-qualification/join_missing_sql_end"},
      {"writeformat_eventlog", "spark-events-qualification/writeformat_eventlog"},
      {"nested_type_eventlog", "spark-events-qualification/nested_type_eventlog"},
      {"jdbc_eventlog", "spark-events-qualification/jdbc_eventlog.zstd"},
      {"read_dsv2", "spark-events-profiling/eventlog_dsv2.zstd"},
      {"dsv1_complex", "spark-events-qualification/complex_dec_eventlog.zstd"},
      {"nested_dsv2", "spark-events-qualification/eventlog_nested_dsv2"},
  };
  int compared = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto rows = ReadCsv(SharedEventLog(std::string(kRapids) + "QualificationExpectations/" +
                                       c.label + "/apps_summary.csv"));
    ASSERT_EQ(rows.size(), 1u);
    const auto& want = rows[0];
    Analysis analysis = AnalyzeLog(SharedEventLog(std::string(kRapids) + c.log));
    const model::Application& app = analysis.log.application;
    EXPECT_EQ(app.app_id, want.at("App ID"));
    if (!want.at("Attempt ID").empty() && want.at("Attempt ID") != "1") {
      EXPECT_EQ(app.attempt_id, want.at("Attempt ID"));
    }
    ASSERT_TRUE(analysis.application.duration_ms.has_value());
    EXPECT_EQ(*analysis.application.duration_ms, std::stoll(want.at("App Duration")));
    // "Executor CPU Time Percent" is not compared: the qualification tool
    // counts only stages of SQL jobs, which is not a KPI of ours.
    ++compared;
  }
  EXPECT_EQ(compared, 10);
}

TEST(RapidsToolsConformance, FailedStagesJobsAndTasks) {
  Analysis analysis = AnalyzeLog(SharedEventLog(
      std::string(kRapids) + "spark-events-profiling/tasks_executors_fail_compressed_eventlog.zstd"));
  const model::Application& app = analysis.log.application;
  std::string expectations = std::string(kRapids) + "ProfilingExpectations/";

  auto stages = ReadCsv(SharedEventLog(expectations + "stages_failure_eventlog_expectation.csv"));
  ASSERT_FALSE(stages.empty());
  for (const auto& want : stages) {
    const auto& stage = app.stages.at({std::stoll(want.at("stageId")), std::stoll(want.at("attemptId"))});
    EXPECT_EQ(stage.status, model::StageStatus::kFailed);
    EXPECT_EQ(stage.name, want.at("name"));
    EXPECT_EQ(stage.num_tasks, std::stoll(want.at("numTasks")));
    ASSERT_TRUE(stage.failure_reason.has_value());
    // The tool trims the trailing newline of Spark's stack trace.
    std::string reason = EscapeLikeSparkCsv(*stage.failure_reason);
    while (reason.ends_with("\\n")) reason.resize(reason.size() - 2);
    EXPECT_EQ(reason, want.at("failureReason"));
  }

  auto jobs = ReadCsv(SharedEventLog(expectations + "jobs_failure_eventlog_expectation.csv"));
  ASSERT_FALSE(jobs.empty());
  for (const auto& want : jobs) {
    const auto& job = app.jobs.at(std::stoll(want.at("jobID")));
    EXPECT_EQ(job.sql_execution_id, std::stoll(want.at("sqlID")));
    EXPECT_EQ(job.result, want.at("jobResult"));
    // The tool shows the exception JsonProtocol rebuilds from the message.
    EXPECT_EQ("java.lang.Exception: " + job.failure, want.at("failureReason"));
  }

  // The tool lists task attempts flagged "Failed"; like the History Server we
  // also count "Resubmitted" task ends (earlier successes whose output was
  // lost) as failed, and count those apart.
  auto tasks = ReadCsv(SharedEventLog(expectations + "tasks_failure_eventlog_expectation.csv"));
  std::map<std::pair<int64_t, int64_t>, int64_t> failed_by_stage;
  for (const auto& want : tasks) {
    ++failed_by_stage[{std::stoll(want.at("stageId")), std::stoll(want.at("stageAttemptId"))}];
  }
  int64_t failed_total = 0;
  for (const auto& [key, stage] : app.stages) {
    failed_total += stage.num_failed_tasks - stage.num_resubmitted_tasks;
  }
  EXPECT_EQ(failed_total, static_cast<int64_t>(tasks.size()));
  for (const auto& [key, count] : failed_by_stage) {
    const auto& stage = app.stages.at(key);
    EXPECT_EQ(stage.num_failed_tasks - stage.num_resubmitted_tasks, count);
    EXPECT_EQ(stage.num_resubmitted_tasks, 50);
  }

  auto removed = ReadCsv(SharedEventLog(expectations + "executors_removed_eventlog_expectation.csv"));
  ASSERT_FALSE(removed.empty());
  for (const auto& want : removed) {
    const auto& executor = app.executors.at(want.at("executorId"));
    ASSERT_TRUE(executor.removed_time.has_value());
    EXPECT_EQ(*executor.removed_time, std::stoll(want.at("time")));
    EXPECT_EQ(executor.removed_reason, want.at("reason"));
  }
}

TEST(RapidsToolsConformance, SqlDurations) {
  Analysis analysis = AnalyzeLog(SharedEventLog(
      std::string(kRapids) + "spark-events-qualification/complex_dec_eventlog.zstd"));
  const model::Application& app = analysis.log.application;
  auto rows = ReadCsv(SharedEventLog(std::string(kRapids) +
                                     "ProfilingExpectations/rapids_duration_and_cpu_expectation.csv"));
  ASSERT_FALSE(rows.empty());
  for (const auto& want : rows) {
    const auto& execution = app.sql_executions.at(std::stoll(want.at("sqlID")));
    ASSERT_TRUE(execution.end_time.has_value());
    EXPECT_EQ(*execution.end_time - execution.start_time, std::stoll(want.at("SQL Duration")));
    EXPECT_EQ(app.app_id, want.at("App ID"));
    EXPECT_EQ(*analysis.application.duration_ms, std::stoll(want.at("App Duration")));
  }
}

int64_t Int(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stoll(row.at(column));
}

// A Databricks Runtime 13.3 Photon log (testdata/photon/NOTICE): Photon keeps
// a stage's peak memory and shuffle write time in its operators' SQL metrics,
// leaving those task metrics at 0. The tool's stage rows (one per stage id,
// attempts merged) against ours, every column both compute.
TEST(RapidsToolsConformance, PhotonStageMetrics) {
  Analysis analysis = AnalyzeLog(RepoPath("testdata/photon/nds_q88_photon_db_13_3.zstd"));
  EXPECT_EQ(analysis.log.corrupt_line_count, 0);
  const std::string* runtime =
      analysis.log.application.Property("spark.databricks.clusterUsageTags.sparkVersion");
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(*runtime, "13.3.x-aarch64-photon-scala2.12");
  auto expected = ReadCsv(
      RepoPath("testdata/photon/nds_q88_photon_db_13_3_stage_metrics_agg_expectation.csv"));
  std::map<int64_t, const StageKpis*> ours;
  for (const StageKpis& row : analysis.stages) {
    ASSERT_EQ(row.stage_attempt_id, 0) << row.stage_id;  // no retried stage here
    ours[row.stage_id] = &row;
  }
  ASSERT_EQ(ours.size(), expected.size());
  int photon_peaks = 0;
  int photon_shuffle_writes = 0;
  for (const auto& want : expected) {
    SCOPED_TRACE("stage " + want.at("id"));
    ASSERT_TRUE(ours.contains(Int(want, "id")));
    const StageKpis& got = *ours.at(Int(want, "id"));
    EXPECT_EQ(got.peak_execution_memory_max_bytes, Int(want, "peakExecutionMemoryMax"));
    // The tool truncates the nanosecond sum to whole milliseconds.
    EXPECT_EQ(static_cast<int64_t>(got.shuffle_write_time_ms), Int(want, "swWriteTimeSum"));
    EXPECT_EQ(got.num_completed_tasks + got.num_failed_tasks + got.num_killed_tasks,
              Int(want, "numTasks"));
    EXPECT_EQ(got.duration_ms, Int(want, "duration"));
    if (got.num_failed_tasks + got.num_killed_tasks == 0) {
      EXPECT_EQ(got.task_duration_ms_max, Int(want, "durationMax"));
      EXPECT_EQ(got.task_duration_ms_min, Int(want, "durationMin"));
    }
    EXPECT_EQ(static_cast<int64_t>(got.executor_cpu_time_ms), Int(want, "executorCPUTimeSum"));
    EXPECT_EQ(got.executor_deserialize_time_ms, Int(want, "executorDeserializeTimeSum"));
    EXPECT_EQ(got.executor_run_time_ms, Int(want, "executorRunTimeSum"));
    EXPECT_EQ(got.input_bytes, Int(want, "inputBytesReadSum"));
    EXPECT_EQ(got.input_records, Int(want, "inputRecordsReadSum"));
    EXPECT_EQ(got.jvm_gc_time_ms, Int(want, "jvmGCTimeSum"));
    EXPECT_EQ(got.memory_bytes_spilled, Int(want, "memoryBytesSpilledSum"));
    EXPECT_EQ(got.disk_bytes_spilled, Int(want, "diskBytesSpilledSum"));
    EXPECT_EQ(got.output_bytes, Int(want, "outputBytesWrittenSum"));
    EXPECT_EQ(got.output_records, Int(want, "outputRecordsWrittenSum"));
    EXPECT_EQ(got.shuffle_fetch_wait_ms, Int(want, "srFetchWaitTimeSum"));
    EXPECT_EQ(got.shuffle_remote_bytes_read, Int(want, "srRemoteBytesReadSum"));
    EXPECT_EQ(got.shuffle_read_bytes, Int(want, "srTotalBytesReadSum"));
    EXPECT_EQ(got.shuffle_write_bytes, Int(want, "swBytesWrittenSum"));
    EXPECT_EQ(got.shuffle_write_records, Int(want, "swRecordsWrittenSum"));
    if (got.peak_execution_memory_max_bytes > 0) ++photon_peaks;
    if (Int(want, "swWriteTimeSum") > 0) ++photon_shuffle_writes;
  }
  // Every peak and shuffle write time above came from Photon's metrics: the
  // log's task metrics report neither.
  for (const auto& [key, stage] : analysis.log.application.stages) {
    EXPECT_EQ(stage.peak_execution_memory_max_bytes, 0);
    EXPECT_EQ(stage.totals.shuffle_write_time_ns, 0);
  }
  EXPECT_EQ(photon_peaks, 26);
  EXPECT_EQ(photon_shuffle_writes, 8);
}

}  // namespace
}  // namespace prometheus::kpi
