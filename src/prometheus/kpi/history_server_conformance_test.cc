// Our per-stage values against the Spark History Server's own REST answers
// for the same logs (HistoryServerSuite's expectation files), field by field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/kpi/quantiles.h"
#include "prometheus/report/format.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::kpi {
namespace {

using nlohmann::json;
using testing::kHistoryServerExpectations;
using testing::kSparkEvents;
using testing::AnalyzeLog;
using testing::SharedEventLog;

struct Case {
  const char* expectation;
  const char* log;
};

// From the HistoryServerSuite case table (../shared/eventlogs/README.md §2):
// every expectation that holds stage data.
const Case kCases[] = {
    {"stage_list_json_expectation.json", "local-1422981780767"},
    {"complete_stage_list_json_expectation.json", "local-1422981780767"},
    {"failed_stage_list_json_expectation.json", "local-1422981780767"},
    {"one_stage_json_expectation.json", "local-1422981780767"},
    {"one_stage_json_with_details_expectation.json", "local-1422981780767"},
    {"one_stage_attempt_json_expectation.json", "local-1422981780767"},
    {"one_stage_attempt_json_details_with_failed_task_expectation.json",
     "local-1422981780767"},
    {"one_stage_json_with_partitionId_expectation.json", "local-1642039451826"},
    {"stage_list_with_accumulable_json_expectation.json", "local-1426533911241"},
    {"stage_with_accumulable_json_expectation.json", "local-1426533911241"},
    {"excludeOnFailure_for_stage_expectation.json", "app-20180109111548-0000"},
    {"excludeOnFailure_node_for_stage_expectation.json",
     "application_1516285256255_0012"},
    {"stage_list_with_peak_metrics_expectation.json", "app-20200706201101-0003"},
    {"stage_with_peak_metrics_expectation.json", "app-20200706201101-0003"},
    {"stage_with_summaries_expectation.json", "app-20200706201101-0003"},
    {"stage_with_speculation_summary_expectation.json",
     "application_1628109047826_1317105"},
};

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

std::string HistoryServerTime(int64_t epoch_ms) {
  std::string text = report::FormatTimestamp(epoch_ms);
  text.pop_back();  // "Z"
  return text + "GMT";
}

void ExpectStageMatches(const json& want, const Analysis& analysis,
                        const std::string& where) {
  int64_t stage_id = want.at("stageId");
  int64_t attempt_id = want.at("attemptId");
  SCOPED_TRACE(where + " stage " + std::to_string(stage_id) + "." +
               std::to_string(attempt_id));
  const StageKpis* row = nullptr;
  for (const auto& stage : analysis.stages) {
    if (stage.stage_id == stage_id && stage.stage_attempt_id == attempt_id) {
      row = &stage;
    }
  }
  ASSERT_NE(row, nullptr);
  const model::StageAttempt& stage =
      analysis.log.application.stages.at({stage_id, attempt_id});
  const events::TaskMetrics& m = stage.totals;

  EXPECT_EQ(row->status, want.at("status").get<std::string>());
  EXPECT_EQ(row->num_tasks, want.at("numTasks"));
  EXPECT_EQ(row->num_completed_tasks, want.at("numCompleteTasks"));
  EXPECT_EQ(row->num_failed_tasks, want.at("numFailedTasks"));
  EXPECT_EQ(row->num_killed_tasks, want.at("numKilledTasks"));
  if (want.contains("submissionTime")) {
    ASSERT_TRUE(row->submission_time.has_value());
    EXPECT_EQ(HistoryServerTime(*row->submission_time), want["submissionTime"]);
  }
  if (want.contains("completionTime")) {
    ASSERT_TRUE(row->completion_time.has_value());
    EXPECT_EQ(HistoryServerTime(*row->completion_time), want["completionTime"]);
  }
  EXPECT_EQ(row->executor_run_time_ms, want.at("executorRunTime"));
  EXPECT_EQ(m.executor_cpu_time_ns, want.at("executorCpuTime"));
  EXPECT_DOUBLE_EQ(row->executor_cpu_time_ms,
                   want.at("executorCpuTime").get<double>() / 1e6);
  EXPECT_EQ(m.executor_deserialize_cpu_time_ns,
            want.at("executorDeserializeCpuTime"));
  EXPECT_EQ(row->executor_deserialize_time_ms,
            want.at("executorDeserializeTime"));
  EXPECT_EQ(row->jvm_gc_time_ms, want.at("jvmGcTime"));
  EXPECT_EQ(row->result_size_bytes, want.at("resultSize"));
  EXPECT_EQ(m.result_serialization_time_ms, want.at("resultSerializationTime"));
  EXPECT_EQ(m.peak_execution_memory_bytes, want.at("peakExecutionMemory"));
  EXPECT_EQ(row->input_bytes, want.at("inputBytes"));
  EXPECT_EQ(row->input_records, want.at("inputRecords"));
  EXPECT_EQ(row->output_bytes, want.at("outputBytes"));
  EXPECT_EQ(row->output_records, want.at("outputRecords"));
  EXPECT_EQ(row->shuffle_read_bytes, want.at("shuffleReadBytes"));
  EXPECT_EQ(row->shuffle_remote_bytes_read, want.at("shuffleRemoteBytesRead"));
  EXPECT_EQ(m.shuffle_local_bytes_read, want.at("shuffleLocalBytesRead"));
  EXPECT_EQ(m.shuffle_remote_bytes_read_to_disk,
            want.at("shuffleRemoteBytesReadToDisk"));
  EXPECT_EQ(m.shuffle_remote_blocks_fetched, want.at("shuffleRemoteBlocksFetched"));
  EXPECT_EQ(m.shuffle_local_blocks_fetched, want.at("shuffleLocalBlocksFetched"));
  EXPECT_EQ(row->shuffle_read_records, want.at("shuffleReadRecords"));
  EXPECT_EQ(row->shuffle_fetch_wait_ms, want.at("shuffleFetchWaitTime"));
  EXPECT_EQ(row->shuffle_write_bytes, want.at("shuffleWriteBytes"));
  EXPECT_EQ(row->shuffle_write_records, want.at("shuffleWriteRecords"));
  EXPECT_EQ(m.shuffle_write_time_ns, want.at("shuffleWriteTime"));
  EXPECT_EQ(row->memory_bytes_spilled, want.at("memoryBytesSpilled"));
  EXPECT_EQ(row->disk_bytes_spilled, want.at("diskBytesSpilled"));

  if (want.contains("taskMetricsDistributions")) {
    const json& dist = want["taskMetricsDistributions"];
    std::vector<uint32_t> sorted = stage.successful_task_durations_ms;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_FALSE(sorted.empty());
    for (size_t i = 0; i < dist["quantiles"].size(); ++i) {
      double q = dist["quantiles"][i];
      EXPECT_EQ(NearestRankQuantile(sorted, q), dist["duration"][i].get<double>())
          << "duration quantile " << q;
    }
    // The stage page's quantiles (0, .25, .5, .75, 1) are our KPI columns.
    EXPECT_EQ(row->task_duration_ms_min, dist["duration"][0].get<int64_t>());
    EXPECT_EQ(row->task_duration_ms_p25, dist["duration"][1].get<int64_t>());
    EXPECT_EQ(row->task_duration_ms_p50, dist["duration"][2].get<int64_t>());
    EXPECT_EQ(row->task_duration_ms_p75, dist["duration"][3].get<int64_t>());
    EXPECT_EQ(row->task_duration_ms_max, dist["duration"][4].get<int64_t>());
  }
}

TEST(HistoryServerConformance, StageValuesMatchEveryExpectation) {
  int compared = 0;
  for (const Case& c : kCases) {
    json want = ReadJson(SharedEventLog(std::string(kHistoryServerExpectations) +
                                        c.expectation));
    Analysis analysis = AnalyzeLog(SharedEventLog(std::string(kSparkEvents) + c.log));
    if (want.is_array()) {
      for (const json& stage : want) {
        ExpectStageMatches(stage, analysis, c.expectation);
        ++compared;
      }
    } else {
      ExpectStageMatches(want, analysis, c.expectation);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 23);  // stage objects in those files
}

// taskSummary answers: quantiles of successful tasks' durations.
TEST(HistoryServerConformance, TaskSummaryQuantilesMatch) {
  struct SummaryCase {
    const char* expectation;
    int64_t stage_id;
  };
  const SummaryCase cases[] = {
      {"stage_task_summary_w_shuffle_write_expectation.json", 0},
      {"stage_task_summary_w_shuffle_read_expectation.json", 1},
      {"stage_task_summary_w__custom_quantiles_expectation.json", 0},
  };
  Analysis analysis = AnalyzeLog(
      SharedEventLog(std::string(kSparkEvents) + "local-1430917381534"));
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expectation);
    json want = ReadJson(SharedEventLog(std::string(kHistoryServerExpectations) +
                                        c.expectation));
    std::vector<uint32_t> sorted =
        analysis.log.application.stages.at({c.stage_id, 0}).successful_task_durations_ms;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < want["quantiles"].size(); ++i) {
      double q = want["quantiles"][i];
      EXPECT_EQ(NearestRankQuantile(sorted, q), want["duration"][i].get<double>())
          << "quantile " << q;
    }
    const StageKpis* row = nullptr;
    for (const auto& s : analysis.stages) {
      if (s.stage_id == c.stage_id) row = &s;
    }
    ASSERT_NE(row, nullptr);
    if (want["quantiles"].size() == 5 && want["quantiles"][1] == 0.25) {
      EXPECT_EQ(row->task_duration_ms_p25, want["duration"][1].get<int64_t>());
      EXPECT_EQ(row->task_duration_ms_p50, want["duration"][2].get<int64_t>());
      EXPECT_EQ(row->task_duration_ms_p75, want["duration"][3].get<int64_t>());
      EXPECT_EQ(row->task_duration_ms_p95, want["duration"][4].get<int64_t>());
    }
  }
}

}  // namespace
}  // namespace prometheus::kpi
