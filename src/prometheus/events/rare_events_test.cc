// Every event kind but TaskEnd, decoded from lines taken from (or cut down
// from) the real logs in ../shared/eventlogs; field names are those of
// Spark's JsonProtocol and of the SQL events' Jackson serialisation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string_view>

#include "prometheus/events/event_kind.h"
#include "prometheus/events/recording_sink_for_test.h"

namespace prometheus::events {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing::RecordingSink;

// Classifies `line` by its "Event" and hands it to DecodeRareEvent, as the
// parser does.
simdjson::error_code Decode(std::string_view line, RecordingSink& sink) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(line);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object event;
  std::string_view name;
  if (auto error = parser.iterate(json).get(doc)) return error;
  if (auto error = doc.get_object().get(event)) return error;
  if (auto error = event.find_field_unordered("Event").get_string().get(name)) {
    return error;
  }
  EventKind kind = ClassifyEvent(name);
  if (auto error = event.reset().error()) return error;
  return DecodeRareEvent(kind, event, sink);
}

TEST(RareEvents, LogStartAndTheDatabricksHeaderGiveTheSparkVersion) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerLogStart","Spark Version":"2.5.0-SNAPSHOT"})", sink),
            simdjson::SUCCESS);
  // db_subExecution_id.zstd (DBR 11.3) starts with this line, not LogStart.
  ASSERT_EQ(Decode(R"({"Event":"DBCEventLoggingListenerMetadata","Spark Version":"3.3.0",)"
                   R"("Timestamp":1707850702370,"Rollover Number":0,)"
                   R"("SparkContext Id":8880912756278443690})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_THAT(sink.spark_versions, ElementsAre("2.5.0-SNAPSHOT", "3.3.0"));
}

TEST(RareEvents, ApplicationStartAndEnd) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerApplicationStart","App Name":"Spark shell",)"
                   R"("App ID":"application_1656321732247_0006",)"
                   R"("Timestamp":1656321766124,)"
                   R"("User":"root","App Attempt ID":"2",)"
                   R"("Driver Logs":{"stdout":"http://x"}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.app.app_name, "Spark shell");
  EXPECT_EQ(sink.app.app_id, "application_1656321732247_0006");
  EXPECT_EQ(sink.app.attempt_id, "2");
  EXPECT_EQ(sink.app.user, "root");
  EXPECT_EQ(sink.app.timestamp, 1656321766124);
  // "ExitCode" (written since Spark 4.0) is not read.
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerApplicationEnd","Timestamp":1538441042338,)"
                   R"("ExitCode":0})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.app_end, 1538441042338);
}

TEST(RareEvents, ApplicationStartWithoutAnAttemptHasAnEmptyAttemptId) {
  RecordingSink sink;
  // application_1538416563558_0014: client mode, no "App Attempt ID".
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerApplicationStart","App Name":"PythonBisectingKMeansExample",)"
                   R"("App ID":"application_1538416563558_0014",)"
                   R"("Timestamp":1538440959580,"User":"root"})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.app.app_id, "application_1538416563558_0014");
  EXPECT_EQ(sink.app.attempt_id, "");
}

TEST(RareEvents, EnvironmentUpdateKeepsOnlySparkPropertiesInOrder) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerEnvironmentUpdate",)"
                   R"("JVM Information":{"Java Version":"1.8.0_252"},)"
                   R"("Spark Properties":{"spark.driver.host":"localhost",)"
                   R"("spark.eventLog.enabled":"true",)"
                   R"("spark.executor.cores":4},)"
                   R"("Hadoop Properties":{"fs.defaultFS":"file:///"},)"
                   R"("System Properties":{"user.name":"root"},)"
                   R"("Classpath Entries":{}})",
                   sink),
            simdjson::SUCCESS);
  // A number where a string is expected is kept as its JSON text.
  EXPECT_THAT(sink.spark_properties,
              ElementsAre(Pair("spark.driver.host", "localhost"),
                          Pair("spark.eventLog.enabled", "true"),
                          Pair("spark.executor.cores", "4")));
}

TEST(RareEvents, EnvironmentUpdateKeepsTheJavaCommandOfTheSystemProperties) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerEnvironmentUpdate",)"
                   R"("Spark Properties":{"spark.master":"local[2]"},)"
                   R"("System Properties":{"user.name":"root",)"
                   R"("sun.java.command":"org.apache.spark.deploy.SparkSubmit )"
                   R"(--master local[2] /home/u/jobs/daily.py --day 1"}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.java_command,
            "org.apache.spark.deploy.SparkSubmit --master local[2] "
            "/home/u/jobs/daily.py --day 1");
  EXPECT_THAT(sink.spark_properties,
              ElementsAre(Pair("spark.master", "local[2]")));
}

TEST(RareEvents, ExecutorAddedReadsHostAndCoresFromExecutorInfo) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerExecutorAdded","Timestamp":1538440973727,"Executor ID":"1",)"
                   R"("Executor Info":{"Host":"rezamemory-2.gce.something.com")"
                   R"(,"Total Cores":1,)"
                   R"("Log Urls":{"stdout":"http://x/stdout",)"
                   R"("stderr":"http://x/stderr"}}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.executor_added.executor_id, "1");
  EXPECT_EQ(sink.executor_added.host, "rezamemory-2.gce.something.com");
  EXPECT_EQ(sink.executor_added.total_cores, 1);
  EXPECT_EQ(sink.executor_added.timestamp, 1538440973727);
}

TEST(RareEvents, ExecutorRemovedKeepsItsReasonUnescaped) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerExecutorRemoved","Timestamp":1538440980759,"Executor ID":"1",)"
                   R"("Removed Reason":"Container marked as failed: container_)"
                   R"(1538416563558_0014_01_000002.)"
                   R"( Exit status: 56.\nContainer exited with a non-zero exit)"
                   R"( code 56\n"})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.executor_removed.executor_id, "1");
  EXPECT_EQ(sink.executor_removed.timestamp, 1538440980759);
  EXPECT_EQ(sink.executor_removed.reason,
            "Container marked as failed: container_1538416563558_0014_01_000002. "
            "Exit status: 56.\nContainer exited with a non-zero exit code 56\n");
}

// A job start from app-20200706201101-0003, its RDD Info cut to one entry.
constexpr std::string_view kJobStart =
    R"({"Event":"SparkListenerJobStart","Job ID":0,)"
    R"("Submission Time":1594091478844,)"
    R"("Stage Infos":[{"Stage ID":0,"Stage Attempt ID":0,)"
    R"("Stage Name":"$anonfun$withThreadLocalCaptured$1 at FutureTask.java:266)"
    R"(","Number of Tasks":16,)"
    R"("RDD Info":[{"RDD ID":2,"Name":"MapPartitionsRDD","Parent IDs":[1],)"
    R"("Number of Partitions":16}],)"
    R"("Parent IDs":[],"Details":"org.apache.spark.sql.execution.SQLExecution$)"
    R"(.run\njava.lang.Thread.run",)"
    R"("Accumulables":[],"Resource Profile Id":0},)"
    R"({"Stage ID":1,"Stage Attempt ID":0,"Stage Name":"count",)"
    R"("Number of Tasks":1,"Parent IDs":[0]}],)"
    R"("Stage IDs":[0,1],)"
    R"("Properties":{"spark.sql.execution.id":"0",)"
    R"("callSite.short":"count at <console>:1"}})";

TEST(RareEvents, JobStartReadsStageInfosAndProperties) {
  RecordingSink sink;
  ASSERT_EQ(Decode(kJobStart, sink), simdjson::SUCCESS);
  const JobStart& job = sink.job;
  EXPECT_EQ(job.job_id, 0);
  EXPECT_EQ(job.submission_time, 1594091478844);
  EXPECT_THAT(job.stage_ids, ElementsAre(0, 1));
  ASSERT_EQ(job.stage_infos.size(), 2u);
  const StageInfo& first = job.stage_infos[0];
  EXPECT_EQ(first.stage_id, 0);
  EXPECT_EQ(first.name, "$anonfun$withThreadLocalCaptured$1 at FutureTask.java:266");
  EXPECT_EQ(first.num_tasks, 16);
  EXPECT_EQ(first.details, "org.apache.spark.sql.execution.SQLExecution$.run\njava.lang.Thread.run");
  // The RDD's "Parent IDs" [1] are not the stage's.
  EXPECT_TRUE(first.parent_ids.empty());
  EXPECT_FALSE(first.submission_time.has_value());
  EXPECT_THAT(job.stage_infos[1].parent_ids, ElementsAre(0));
  EXPECT_THAT(job.properties,
              ElementsAre(Pair("spark.sql.execution.id", "0"),
                          Pair("callSite.short", "count at <console>:1")));
}

TEST(RareEvents, JobStartBeforeSpark13HasNoSubmissionTime) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerJobStart","Job ID":3,"Stage IDs":[4]})", sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.job.job_id, 3);
  EXPECT_EQ(sink.job.submission_time, std::nullopt);
  EXPECT_THAT(sink.job.stage_ids, ElementsAre(4));
}

TEST(RareEvents, JobEndReadsResultAndTheFailureMessage) {
  RecordingSink sink;
  // local-1422981780767 (Spark 1.2): a failed job and no "Completion Time".
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerJobEnd","Job ID":1,"Job Result":{"Result":"JobFailed",)"
                   R"("Exception":{"Message":"Job aborted due to stage failure)"
                   R"(: Task 3 in stage 2.0 failed",)"
                   R"("Stack Trace":[{"Declaring Class":"x"}]}}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.job_end.job_id, 1);
  EXPECT_EQ(sink.job_end.completion_time, std::nullopt);
  EXPECT_EQ(sink.job_end.result, "JobFailed");
  EXPECT_EQ(sink.job_end.failure, "Job aborted due to stage failure: Task 3 in stage 2.0 failed");

  ASSERT_EQ(Decode(R"({"Event":"SparkListenerJobEnd","Job ID":2,"Completion Time":1594091480312,)"
                   R"("Job Result":{"Result":"JobSucceeded"}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.job_end.job_id, 2);
  EXPECT_EQ(sink.job_end.completion_time, 1594091480312);
  EXPECT_EQ(sink.job_end.result, "JobSucceeded");
  EXPECT_EQ(sink.job_end.failure, "");
}

TEST(RareEvents, StageSubmittedAndCompletedGoToTheirOwnCallbacks) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":2,)"
                   R"("Stage Attempt ID":1,)"
                   R"("Stage Name":"count at <console>:20",)"
                   R"("Number of Tasks":8,)"
                   R"("Parent IDs":[0,1],"Submission Time":1422981788731,)"
                   R"("Accumulables":[]},)"
                   R"("Properties":{}})",
                   sink),
            simdjson::SUCCESS);
  ASSERT_EQ(sink.submitted_stages.size(), 1u);
  EXPECT_TRUE(sink.completed_stages.empty());
  const StageInfo& submitted = sink.submitted_stages[0];
  EXPECT_EQ(submitted.stage_id, 2);
  EXPECT_EQ(submitted.attempt_id, 1);
  EXPECT_EQ(submitted.name, "count at <console>:20");
  EXPECT_EQ(submitted.num_tasks, 8);
  EXPECT_THAT(submitted.parent_ids, ElementsAre(0, 1));
  EXPECT_EQ(submitted.submission_time, 1422981788731);
  EXPECT_EQ(submitted.completion_time, std::nullopt);
  EXPECT_EQ(submitted.failure_reason, std::nullopt);
}

TEST(RareEvents, StageCompletedReadsFailureAndNumericAccumulables) {
  RecordingSink sink;
  // Accumulables as app-20200706201101-0003 writes them: internal metrics
  // with numbers, SQL metrics with numeric strings; a non-numeric value
  // (a collection accumulator) is skipped.
  ASSERT_EQ(Decode(R"({"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":2,)"
                   R"("Stage Attempt ID":0,)"
                   R"("Stage Name":"count at <console>:20",)"
                   R"("Number of Tasks":8,)"
                   R"("Submission Time":1422981788731,)"
                   R"("Completion Time":1422981788766,)"
                   R"("Failure Reason":"Job aborted due to stage failure: Task)"
                   R"( 3 in stage 2.0 failed 1 times",)"
                   R"("Accumulables":[)"
                   R"({"ID":17,"Name":"internal.metrics.executorRunTime",)"
                   R"("Value":1292,"Internal":true},)"
                   R"({"ID":13,"Name":"number of output rows","Value":"20",)"
                   R"("Metadata":"sql"},)"
                   R"({"ID":40,"Name":"collected","Value":"[a, b]"},)"
                   R"({"Name":"no id","Value":5}]}})",
                   sink),
            simdjson::SUCCESS);
  ASSERT_EQ(sink.completed_stages.size(), 1u);
  const StageInfo& stage = sink.completed_stages[0];
  EXPECT_EQ(stage.completion_time, 1422981788766);
  EXPECT_EQ(stage.failure_reason,
            "Job aborted due to stage failure: Task 3 in stage 2.0 failed 1 times");
  ASSERT_EQ(stage.accumulables.size(), 2u);
  EXPECT_EQ(stage.accumulables[0].id, 17);
  EXPECT_EQ(stage.accumulables[0].update, 1292);
  EXPECT_EQ(stage.accumulables[1].id, 13);
  EXPECT_EQ(stage.accumulables[1].update, 20);
}

TEST(RareEvents, AStageEventWithoutAStageIdIsAnError) {
  RecordingSink sink;
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerStageCompleted"})", sink), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage Name":"x"}})", sink),
            simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(sink.events, 0);
}

TEST(RareEvents, SqlExecutionStartReadsThePlanTree) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",)"
                   R"("executionId":1,"rootExecutionId":0,)"
                   R"("description":"parquet at x.java:0",)"
                   R"("details":"org.apache.spark.sql.DataFrameWriter.parquet")"
                   R"(,)"
                   R"json("physicalPlanDescription":"== Physical Plan ==\n)json"
                   R"json(Execute InsertIntoHadoopFsRelationCommand (2)",)json"
                   R"("sparkPlanInfo":{"nodeName":"Execute InsertIntoHadoopFsR)"
                   R"(elationCommand",)"
                   R"("simpleString":"Execute InsertIntoHadoopFsRelationComman)"
                   R"(d file:/tmp/out",)"
                   R"("children":[{"nodeName":"Scan parquet ",)"
                   R"("simpleString":"FileScan parquet [id#0L]",)"
                   R"("children":[],"metadata":{"Format":"Parquet",)"
                   R"("PushedFilters":"[]"},)"
                   R"("metrics":[{"name":"number of files read",)"
                   R"("accumulatorId":7,"metricType":"sum"},)"
                   R"({"name":"size of files read","accumulatorId":8,)"
                   R"("metricType":"size"}]}],)"
                   R"("metadata":{},"metrics":[{"name":"number of written file)"
                   R"(s","accumulatorId":2,)"
                   R"("metricType":"sum"}]},)"
                   R"("time":1690000000000,)"
                   R"("modifiedConfigs":{"spark.sql.shuffle.partitions":"10"},)"
                   R"("jobTags":[]})",
                   sink),
            simdjson::SUCCESS);
  const SqlExecutionStart& start = sink.sql;
  EXPECT_EQ(start.execution_id, 1);
  EXPECT_EQ(start.root_execution_id, 0);
  EXPECT_EQ(start.description, "parquet at x.java:0");
  EXPECT_EQ(start.details, "org.apache.spark.sql.DataFrameWriter.parquet");
  EXPECT_EQ(start.physical_plan, "== Physical Plan ==\nExecute InsertIntoHadoopFsRelationCommand (2)");
  EXPECT_EQ(start.time, 1690000000000);
  EXPECT_THAT(start.modified_configs, ElementsAre(Pair("spark.sql.shuffle.partitions", "10")));
  EXPECT_EQ(start.plan.node_name, "Execute InsertIntoHadoopFsRelationCommand");
  ASSERT_EQ(start.plan.metrics.size(), 1u);
  EXPECT_EQ(start.plan.metrics[0].accumulator_id, 2);
  ASSERT_EQ(start.plan.children.size(), 1u);
  const SparkPlanInfo& scan = start.plan.children[0];
  EXPECT_EQ(scan.node_name, "Scan parquet ");
  EXPECT_EQ(scan.simple_string, "FileScan parquet [id#0L]");
  EXPECT_THAT(scan.metadata, ElementsAre(Pair("Format", "Parquet"), Pair("PushedFilters", "[]")));
  ASSERT_EQ(scan.metrics.size(), 2u);
  EXPECT_EQ(scan.metrics[1].name, "size of files read");
  EXPECT_EQ(scan.metrics[1].accumulator_id, 8);
  EXPECT_EQ(scan.metrics[1].metric_type, "size");
  EXPECT_TRUE(scan.children.empty());
}

TEST(RareEvents, SqlExecutionStartBeforeSpark34HasNoRootExecution) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",)"
                   R"("executionId":0,"description":"count","details":"",)"
                   R"("physicalPlanDescription":"",)"
                   R"("sparkPlanInfo":{"nodeName":"HashAggregate",)"
                   R"("simpleString":"HashAggregate",)"
                   R"("children":[],"metadata":{},"metrics":[]},)"
                   R"("time":1642039450000})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.sql.root_execution_id, std::nullopt);
  EXPECT_EQ(sink.sql.plan.node_name, "HashAggregate");
}

TEST(RareEvents, SqlExecutionEndReadsTimeAndError) {
  RecordingSink sink;
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd",)"
                   R"("executionId":4,"time":1642039528481,)"
                   R"("errorMessage":"org.apache.spark.SparkException: boom"})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.sql_end.execution_id, 4);
  EXPECT_EQ(sink.sql_end.time, 1642039528481);
  EXPECT_EQ(sink.sql_end.error_message, "org.apache.spark.SparkException: boom");
}

TEST(RareEvents, AdaptiveUpdateCarriesTheNewPlan) {
  RecordingSink sink;
  // Cut down from local-1642039451826.
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate",)"
                   R"json("executionId":0,"physicalPlanDescription":"== Ph)json"
                   R"json(ysical Plan ==\nAdaptiveSparkPlan (12)",)json"
                   R"("sparkPlanInfo":{"nodeName":"AdaptiveSparkPlan",)"
                   R"("simpleString":"AdaptiveSparkPlan isFinalPlan=false",)"
                   R"json("children":[{"nodeName":"HashAggregate",)json"
                   R"json("simpleString":"HashAggregate(keys=[])",)json"
                   R"("children":[],"metadata":{},)"
                   R"("metrics":[{"name":"spill size","accumulatorId":55,)"
                   R"("metricType":"size"}]}],"metadata":{},"metrics":[]}})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.adaptive_update.execution_id, 0);
  EXPECT_EQ(sink.adaptive_update.physical_plan, "== Physical Plan ==\nAdaptiveSparkPlan (12)");
  EXPECT_EQ(sink.adaptive_update.plan.simple_string, "AdaptiveSparkPlan isFinalPlan=false");
  ASSERT_EQ(sink.adaptive_update.plan.children.size(), 1u);
  EXPECT_EQ(sink.adaptive_update.plan.children[0].metrics[0].accumulator_id, 55);
}

TEST(RareEvents, AdaptiveMetricUpdatesListTheNewMetrics) {
  RecordingSink sink;
  // From db_subExecution_id.zstd, two of its metrics.
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveSQLMetricUpdates",)"
                   R"("executionId":24,"sqlPlanMetrics":[)"
                   R"({"name":"shuffle records written","accumulatorId":1926,)"
                   R"("metricType":"sum"},)"
                   R"({"name":"shuffle write time","accumulatorId":1927,)"
                   R"("metricType":"nsTiming"}]})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.adaptive_metrics.execution_id, 24);
  ASSERT_EQ(sink.adaptive_metrics.metrics.size(), 2u);
  EXPECT_EQ(sink.adaptive_metrics.metrics[0].name, "shuffle records written");
  EXPECT_EQ(sink.adaptive_metrics.metrics[0].accumulator_id, 1926);
  EXPECT_EQ(sink.adaptive_metrics.metrics[1].metric_type, "nsTiming");
}

TEST(RareEvents, DriverAccumUpdatesArePairsOfIdAndValue) {
  RecordingSink sink;
  // local-1642039451826 writes [[62,10]]; a pair of any other size is skipped.
  ASSERT_EQ(Decode(R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates",)"
                   R"("executionId":0,"accumUpdates":[[62,10],[63],[64,"7"]]})",
                   sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.driver.execution_id, 0);
  ASSERT_EQ(sink.driver.updates.size(), 2u);
  EXPECT_EQ(sink.driver.updates[0].id, 62);
  EXPECT_EQ(sink.driver.updates[0].update, 10);
  EXPECT_EQ(sink.driver.updates[1].id, 64);
  EXPECT_EQ(sink.driver.updates[1].update, 7);
}

TEST(RareEvents, AFieldOfTheWrongTypeIsAnError) {
  RecordingSink sink;
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerJobEnd","Job ID":"one"})", sink),
            simdjson::INCORRECT_TYPE);
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerExecutorAdded","Timestamp":[1]})", sink),
            simdjson::INCORRECT_TYPE);
  EXPECT_EQ(sink.events, 0);
}

TEST(RareEvents, TaskEndAndUnusedEventsAreNotDecodedHere) {
  RecordingSink sink;
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerTaskEnd","Stage ID":1})", sink), simdjson::SUCCESS);
  EXPECT_EQ(Decode(R"({"Event":"SparkListenerBlockManagerAdded","Block Manager ID":{}})", sink),
            simdjson::SUCCESS);
  EXPECT_EQ(sink.events, 0);
}

}  // namespace
}  // namespace prometheus::events
