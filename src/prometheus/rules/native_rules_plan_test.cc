// The plan-based rules on real logs where they show, and on hand-made plans
// for what no shared log shows (no shared log misses a broadcast).
#include <gtest/gtest.h>

#include "prometheus/io/event_log_files.h"
#include "prometheus/rules/internal/native_rules.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::rules {
namespace {

constexpr const char* kQualification =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/"
    "spark-events-qualification/";

kpi::Analysis Analyze(const std::string& shared_path) {
  return testing::AnalyzeLog(testing::SharedEventLog(shared_path));
}

// An application whose query 1 joins `small` bytes to `large` bytes by
// SortMergeJoin on stage 3, called from /jobs/daily.py line 42.
kpi::Analysis JoinApplication(int64_t small, int64_t large) {
  kpi::Analysis a;
  model::Application& app = a.log.application;
  app.app_id = "app-1";
  model::Job job;
  job.job_id = 7;
  job.call_site = "save at /jobs/daily.py:42";
  job.stage_ids = {3};
  app.jobs[7] = job;
  model::StageAttempt stage;
  stage.stage_id = 3;
  stage.name = "save at /jobs/daily.py:42";
  stage.job_ids = {7};
  app.stages[{3, 0}] = stage;
  kpi::StageKpis row;
  row.app_id = "app-1";
  row.stage_id = 3;
  row.shuffle_fetch_wait_ms = 40000;
  row.shuffle_write_time_ms = 20000;
  row.duration_ms = 100000;
  a.stages.push_back(row);
  plan::Join join;
  join.execution_id = 1;
  join.node_name = "SortMergeJoin";
  join.join_type = "Inner";
  join.left_keys = {"country_id"};
  join.right_keys = {"id"};
  join.left.bytes = large;
  join.right.bytes = small;
  join.right.scan = plan::TableRef{"dim_country", "", "parquet"};
  join.stages = {{3, 0}};
  a.plans.broadcast_threshold = plan::kDefaultBroadcastThreshold;
  a.plans.executions.push_back({1,
                                std::nullopt,
                                false,
                                plan::kDefaultBroadcastThreshold,
                                {7},
                                {{3, 0}}});
  a.plans.joins.push_back(join);
  return a;
}

TEST(MissedBroadcast, ASmallSideJoinedByShuffleIsFoundWithAFixToApply) {
  auto recs = MissedBroadcast(JoinApplication(3 * plan::kMiB, 48 * plan::kGiB));
  ASSERT_EQ(recs.size(), 1u);
  const Recommendation& r = recs[0];
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_EQ(r.scope.sql_execution_id, 1);
  EXPECT_EQ(r.scope.plan_node, "SortMergeJoin");
  EXPECT_EQ(r.scope.stage_ids, std::vector<int64_t>{3});
  EXPECT_EQ(r.scope.spark_job_ids, std::vector<int64_t>{7});
  EXPECT_EQ(r.evidence["small_side_bytes"], 3 * plan::kMiB);
  EXPECT_EQ(r.evidence["threshold_bytes"], plan::kDefaultBroadcastThreshold);
  EXPECT_EQ(FixJson(r)["kind"], "broadcast_hint");
  EXPECT_EQ(FixJson(r)["table"], "dim_country");
  EXPECT_EQ(FixJson(r)["join_keys"], nlohmann::ordered_json::array({"id"}));
  EXPECT_EQ(FixJson(r)["side"], "right");
  // The plan's join type, which tells joins that fit alike apart.
  EXPECT_EQ(FixJson(r)["join_type"], r.evidence["join_type"]);
  EXPECT_FALSE(FixJson(r)["join_type"].get<std::string>().empty());
  EXPECT_EQ(FixJson(r)["call_site"]["file"], "/jobs/daily.py");
  EXPECT_EQ(FixJson(r)["call_site"]["line"], 42);
  EXPECT_DOUBLE_EQ(r.impact_task_seconds, 60.0);
  EXPECT_NE(r.message.find("48.0 GiB"), std::string::npos) << r.message;
}

TEST(MissedBroadcast, TheSmallLeftSideIsNamedBySideAndItsKeys) {
  kpi::Analysis a = JoinApplication(3 * plan::kMiB, 48 * plan::kGiB);
  plan::Join& join = a.plans.joins[0];
  std::swap(join.left, join.right);
  join.left.scan.reset();  // a createDataFrame side: no table nor path
  auto recs = MissedBroadcast(a);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(FixJson(recs[0])["side"], "left");
  EXPECT_EQ(FixJson(recs[0])["table"], nullptr);
  EXPECT_EQ(FixJson(recs[0])["join_keys"],
            nlohmann::ordered_json::array({"country_id"}));
}

TEST(MissedBroadcast, QuietWhenTheSmallSideIsTooBigToBroadcast) {
  EXPECT_TRUE(MissedBroadcast(JoinApplication(50 * plan::kMiB, 5 * plan::kGiB))
                  .empty());
}

TEST(MissedBroadcast, QuietOnRealLogsWhoseJoinsAreRight) {
  for (const char* log :
       {"aqeshuffle_eventlog.zstd", "customshuffle_eventlog.zstd"}) {
    EXPECT_TRUE(
        MissedBroadcast(Analyze(std::string(kQualification) + log)).empty())
        << log;
  }
}

TEST(PythonUdf, FoundOnRealLogsWithTheUdfNames) {
  auto recs = PythonUdfs(
      Analyze(std::string(kQualification) + "pandas_execs_eventlog.zstd"));
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(FixJson(recs[0])["kind"], "udf_to_builtin");
  EXPECT_FALSE(FixJson(recs[0])["udf"].empty());
  for (const auto& r : recs)
    EXPECT_EQ(r.severity, Severity::kLow);  // a seconds-long test app
  EXPECT_TRUE(PythonUdfs(Analyze(std::string(kQualification) +
                                 "aqeshuffle_eventlog.zstd"))
                  .empty());
}

TEST(SmallFiles, ReadAndWrittenAreFoundAboveTheTiers) {
  kpi::Analysis a = JoinApplication(1, 1);
  a.plans.scans.push_back({1,
                           "Scan parquet",
                           {"logs.events", "", "parquet"},
                           5000,
                           int64_t{5000} * (512 << 10),
                           1,
                           std::nullopt,
                           {},
                           {{3, 0}}});
  a.plans.writes.push_back({1,
                            "Execute InsertIntoHadoopFsRelationCommand",
                            "/out/daily",
                            "",
                            "parquet",
                            {"day"},
                            400,
                            400 * (256 << 10),
                            std::nullopt,
                            1,
                            {{3, 0}}});
  auto read = SmallFilesRead(a);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(FixJson(read[0])["table"], "logs.events");
  auto written = SmallFilesWritten(a);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(FixJson(written[0])["kind"], "repartition");
  EXPECT_EQ(FixJson(written[0])["partitions"], 1);  // 100 MiB in all
  EXPECT_EQ(FixJson(written[0])["key"], "day");
  a.plans.scans[0].files_read = 50;
  EXPECT_TRUE(SmallFilesRead(a).empty());
}

TEST(OversizedBroadcastAndCrossJoin, FoundAboveTheirThresholds) {
  kpi::Analysis a = JoinApplication(1, 1);
  a.plans.broadcasts.push_back(
      {1, "BroadcastExchange", 2 * plan::kGiB, 1, 9000, 2000, 500, {{3, 0}}});
  ASSERT_EQ(OversizedBroadcast(a).size(), 1u);
  EXPECT_EQ(OversizedBroadcast(a)[0].severity, Severity::kHigh);
  a.plans.broadcasts[0].data_size = 900 * plan::kMiB;
  EXPECT_TRUE(OversizedBroadcast(a).empty());
  a.plans.joins[0].strategy = plan::JoinStrategy::kBroadcastNestedLoop;
  a.plans.joins[0].cross_join_scanned_rows = 20'000'000'000;
  ASSERT_EQ(CartesianJoin(a).size(), 1u);
  EXPECT_EQ(CartesianJoin(a)[0].severity, Severity::kHigh);
}

TEST(RepeatedScan, DataReadByThreeQueriesIsCachedUnlessTheApplicationWritesIt) {
  kpi::Analysis a = JoinApplication(1, 1);
  for (int64_t query : {1, 2, 3}) {
    a.plans.scans.push_back({query,
                             "Scan parquet",
                             {"", "s3://lake/users", "parquet"},
                             10,
                             2 * plan::kGiB,
                             1,
                             std::nullopt,
                             {},
                             {{3, 0}}});
  }
  auto found = RepeatedScan(a);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(FixJson(found[0])["kind"], "cache");
  EXPECT_EQ(FixJson(found[0])["path"], "s3://lake/users");
  EXPECT_TRUE(FixJson(found[0])["table"].is_null());
  EXPECT_EQ(FixJson(found[0])["call_site"]["file"], "/jobs/daily.py");
  EXPECT_EQ(found[0].evidence["queries"], 3);
  EXPECT_EQ(found[0].evidence["reread_bytes"], 4.0 * plan::kGiB);
  EXPECT_EQ(found[0].severity, Severity::kLow);
  a.plans.writes.push_back({4,
                            "Execute InsertIntoHadoopFsRelationCommand",
                            "s3://lake/users",
                            "",
                            "parquet",
                            {},
                            1,
                            1,
                            std::nullopt,
                            1,
                            {{3, 0}}});
  EXPECT_TRUE(RepeatedScan(a).empty())
      << "data the application rewrites must not be cached";
  a.plans.writes.clear();
  a.plans.scans.resize(1);
  EXPECT_TRUE(RepeatedScan(a).empty()) << "one read";
}

TEST(ParseCallSite, KeepsUserFilesAndDropsJvmFrames) {
  auto site = ParseCallSite("collect at /tmp/ab/nds/nds_power.py:131");
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->file, "/tmp/ab/nds/nds_power.py");
  EXPECT_EQ(site->line, 131);
  ASSERT_TRUE(
      ParseCallSite("parquet at command-3684298126601210:4").has_value());
  EXPECT_FALSE(
      ParseCallSite("load at NativeMethodAccessorImpl.java:0").has_value());
  EXPECT_FALSE(ParseCallSite("sql at DriverLocal.scala:486").has_value());
  EXPECT_FALSE(ParseCallSite("processCmd at CliDriver.java:336").has_value());
}

}  // namespace
}  // namespace prometheus::rules
