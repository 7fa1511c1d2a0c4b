#include "prometheus/events/event_parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "prometheus/events/recording_sink_for_test.h"
#include "prometheus/testing/paths.h"

namespace prometheus::events {
namespace {

using testing::RecordingSink;

// Gives the parser a line with the padding the line reader guarantees.
LineOutcome ParseText(EventParser& parser, const std::string& text, EventSink& sink) {
  auto buffer = std::make_unique<char[]>(text.size() + io::kLinePadding);
  std::memcpy(buffer.get(), text.data(), text.size());
  std::memset(buffer.get() + text.size(), 0, io::kLinePadding);
  io::Line line{std::string_view(buffer.get(), text.size()),
                text.size() + io::kLinePadding, 1, true};
  return parser.Parse(line, sink);
}

std::string FirstLineWith(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  ADD_FAILURE() << needle << " not in " << path;
  return "";
}

const std::string kSpark31Log =
    prometheus::testing::SharedEventLog(std::string(prometheus::testing::kSparkEvents) + "app-20200706201101-0003");

TEST(EventParser, DecodesEveryTaskEndFieldOfARealSpark31Line) {
  EventParser parser;
  RecordingSink sink;
  std::string line = FirstLineWith(kSpark31Log, "\"Event\":\"SparkListenerTaskEnd\"");
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent);
  const TaskEnd& t = sink.task_end;
  // Values read off the first TaskEnd line of that log.
  EXPECT_EQ(t.stage_id, 0);
  EXPECT_EQ(t.stage_attempt_id, 0);
  EXPECT_EQ(t.outcome, TaskOutcome::kSuccess);
  EXPECT_TRUE(t.has_metrics);
  EXPECT_EQ(t.metrics.executor_deserialize_time_ms, 962);
  EXPECT_EQ(t.metrics.executor_deserialize_cpu_time_ns, 235295000);
  EXPECT_EQ(t.metrics.executor_run_time_ms, 80);
  EXPECT_EQ(t.metrics.executor_cpu_time_ns, 8922000);
  EXPECT_EQ(t.metrics.result_size_bytes, 1387);
  EXPECT_EQ(t.metrics.jvm_gc_time_ms, 109);
  EXPECT_EQ(t.metrics.shuffle_local_bytes_read, 100);
  EXPECT_GT(t.finish_time, t.launch_time);
  EXPECT_FALSE(sink.executor_id.empty());
  // Only the SQL metric survives; internal.metrics.* are in Task Metrics.
  ASSERT_EQ(t.accumulables.size(), 1u);
  EXPECT_EQ(t.accumulables[0].id, 13);
  EXPECT_EQ(t.accumulables[0].update, 1);  // written as the string "1"
}

TEST(EventParser, ClassifiesTaskEndReasonsAsTheHistoryServerDoes) {
  EventParser parser;
  RecordingSink sink;
  auto outcome_of = [&](const std::string& reason) {
    std::string line = R"({"Event":"SparkListenerTaskEnd","Stage ID":1,"Task End Reason":{"Reason":")" +
                       reason + R"("},"Task Info":{"Task ID":7,"Launch Time":10,"Finish Time":30}})";
    EXPECT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent) << reason;
    return sink.task_end.outcome;
  };
  EXPECT_EQ(outcome_of("Success"), TaskOutcome::kSuccess);
  EXPECT_EQ(outcome_of("TaskKilled"), TaskOutcome::kKilled);
  EXPECT_EQ(outcome_of("TaskCommitDenied"), TaskOutcome::kKilled);
  EXPECT_EQ(outcome_of("ExceptionFailure"), TaskOutcome::kFailed);
  EXPECT_EQ(outcome_of("FetchFailed"), TaskOutcome::kFailed);
  EXPECT_EQ(outcome_of("Resubmitted"), TaskOutcome::kFailed);
  EXPECT_TRUE(sink.task_end.resubmitted);
  EXPECT_FALSE(sink.task_end.has_metrics);  // no "Task Metrics": none counted
}

TEST(EventParser, AFailuresReasonIsReadWithItsUserFrame) {
  EventParser parser;
  RecordingSink sink;
  std::string line =
      R"({"Event":"SparkListenerTaskEnd","Stage ID":2,"Task End Reason":{"Reason":"ExceptionFailure",)"
      R"("Class Name":"java.lang.IllegalStateException","Description":"bad row 7",)"
      R"("Stack Trace":[{"Declaring Class":"org.apache.spark.rdd.RDD","Method Name":"iterator",)"
      R"("File Name":"RDD.scala","Line Number":330},{"Declaring Class":"com.acme.etl.Parse",)"
      R"("Method Name":"apply","File Name":"Parse.scala","Line Number":42}]},)"
      R"("Task Info":{"Task ID":9,"Executor ID":"4"},"Task Metrics":{"Executor Run Time":5}})";
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent);
  const TaskFailure& f = sink.task_end.failure;
  EXPECT_EQ(f.reason, "ExceptionFailure");
  EXPECT_EQ(f.class_name, "java.lang.IllegalStateException");
  EXPECT_EQ(f.message, "bad row 7");
  ASSERT_TRUE(f.user_frame.has_value());
  EXPECT_EQ(f.user_frame->declaring_class, "com.acme.etl.Parse");
  EXPECT_EQ(f.user_frame->file, "Parse.scala");
  EXPECT_EQ(f.user_frame->line, 42);
}

TEST(EventParser, AFailureReasonOfOddShapeKeepsTheTaskAndItsMetrics) {
  // The reason only describes the failure: fields of another type are
  // skipped, and the task's end and metrics still count.
  EventParser parser;
  RecordingSink sink;
  std::string line =
      R"({"Event":"SparkListenerTaskEnd","Stage ID":2,"Task End Reason":{"Reason":"FetchFailed",)"
      R"("Block Manager Address":null,"Shuffle ID":"x","Message":5,"Stack Trace":[7,"frame",)"
      R"({"Declaring Class":null,"Line Number":"?"}],"Class Name":3,"Exit Caused By App":"yes"},)"
      R"("Task Info":{"Task ID":9},"Task Metrics":{"Executor Run Time":5}})";
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent) << parser.last_error();
  EXPECT_EQ(sink.task_end.outcome, TaskOutcome::kFailed);
  EXPECT_EQ(sink.task_end.failure.reason, "FetchFailed");
  EXPECT_EQ(sink.task_end.failure.shuffle_id, -1);
  EXPECT_FALSE(sink.task_end.failure.user_frame.has_value());
  EXPECT_EQ(sink.task_end.metrics.executor_run_time_ms, 5);
}

TEST(EventParser, FieldOrderDoesNotMatterAndUnknownFieldsAreSkipped) {
  EventParser parser;
  RecordingSink sink;
  std::string line =
      R"({"Future Field":{"x":[1,2,{"y":null}]},"Task Metrics":{"Executor Run Time":5,"New Metric":9},)"
      R"("Stage Attempt ID":2,"Event":"SparkListenerTaskEnd","Stage ID":4})";
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent);
  EXPECT_EQ(sink.task_end.stage_id, 4);
  EXPECT_EQ(sink.task_end.stage_attempt_id, 2);
  EXPECT_EQ(sink.task_end.metrics.executor_run_time_ms, 5);
}

// Found by fuzzing (testdata/fuzz/event_log): a number written as a double
// is read as an integer only when one can hold it.
TEST(EventParser, ANumberNoInt64HoldsIsNotReadAsOne) {
  EventParser parser;
  RecordingSink sink;
  std::string line = R"({"Event":"SparkListenerTaskEnd","Stage ID":4,"Stage Attempt ID":0,)"
                     R"("Task Metrics":{"Executor Run Time":5.0E3}})";
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent);
  EXPECT_EQ(sink.task_end.metrics.executor_run_time_ms, 5000);
  line = R"({"Event":"SparkListenerTaskEnd","Stage ID":4,"Stage Attempt ID":0,)"
         R"("Task Metrics":{"Executor Run Time":3.3E64}})";
  EXPECT_NE(ParseText(parser, line, sink), LineOutcome::kEvent);
}

TEST(EventParser, UnknownAndUnusedEventsAreIgnoredNotErrors) {
  EventParser parser;
  RecordingSink sink;
  EXPECT_EQ(ParseText(parser, R"({"Event":"com.example.MyListenerEvent","a":1})", sink),
            LineOutcome::kIgnored);
  EXPECT_EQ(ParseText(parser, R"({"Event":"SparkListenerTaskStart","Stage ID":1})", sink),
            LineOutcome::kIgnored);
  EXPECT_EQ(ParseText(parser, "   ", sink), LineOutcome::kBlank);
  EXPECT_EQ(sink.task_ends, 0);
}

TEST(EventParser, CorruptLinesAreReportedWithAReason) {
  EventParser parser;
  RecordingSink sink;
  EXPECT_EQ(ParseText(parser, R"({"Event":"SparkListenerTaskEnd","Stage ID":1,"Task Info":{"Task)", sink),
            LineOutcome::kCorrupt);
  EXPECT_FALSE(parser.last_error().empty());
  EXPECT_EQ(ParseText(parser, R"({"NotAnEvent":1})", sink), LineOutcome::kCorrupt);
  EXPECT_NE(parser.last_error().find("Event"), std::string::npos);
  EXPECT_EQ(ParseText(parser, "[1,2,3]", sink), LineOutcome::kCorrupt);
  EXPECT_EQ(ParseText(parser, R"({"Event":"SparkListenerTaskEnd","Stage ID":"x"})", sink),
            LineOutcome::kCorrupt);
  EXPECT_NE(parser.last_error().find("SparkListenerTaskEnd"), std::string::npos);
  EXPECT_EQ(sink.task_ends, 0);
}

TEST(EventParser, DecodesJobStartPropertiesAndStageInfos) {
  EventParser parser;
  RecordingSink sink;
  std::string line = FirstLineWith(kSpark31Log, "\"Event\":\"SparkListenerJobStart\"");
  ASSERT_EQ(ParseText(parser, line, sink), LineOutcome::kEvent);
  EXPECT_EQ(sink.job.job_id, 0);
  EXPECT_FALSE(sink.job.stage_ids.empty());
  EXPECT_EQ(sink.job.stage_infos.size(), sink.job.stage_ids.size());
  bool has_execution_id = false;
  for (const auto& [key, value] : sink.job.properties) {
    has_execution_id |= key == "spark.sql.execution.id";
  }
  EXPECT_TRUE(has_execution_id);
}

TEST(EventParser, DecodesSqlPlanTreesAndDriverUpdates) {
  EventParser parser;
  RecordingSink sink;
  std::string start = FirstLineWith(kSpark31Log, "SparkListenerSQLExecutionStart");
  ASSERT_EQ(ParseText(parser, start, sink), LineOutcome::kEvent);
  EXPECT_EQ(sink.sql.execution_id, 0);
  EXPECT_FALSE(sink.sql.plan.node_name.empty());
  EXPECT_FALSE(sink.sql.physical_plan.empty());
  std::string driver = FirstLineWith(kSpark31Log, "SparkListenerDriverAccumUpdates");
  ASSERT_EQ(ParseText(parser, driver, sink), LineOutcome::kEvent);
  ASSERT_FALSE(sink.driver.updates.empty());
  EXPECT_GT(sink.driver.updates[0].update, 0);
}

}  // namespace
}  // namespace prometheus::events

namespace prometheus::events {
namespace {

TEST(EventParser, ReadsAFailuresEndReasonWholly) {
  EventParser parser;
  RecordingSink sink;
  // The views point into the line: it must outlive the checks.
  std::string text;
  std::unique_ptr<char[]> buffer;
  auto parse = [&](const std::string& reason) -> const TaskFailure& {
    text = R"({"Event":"SparkListenerTaskEnd","Stage ID":1,"Task End Reason":)" + reason +
           R"(,"Task Info":{"Task ID":1}})";
    buffer = std::make_unique<char[]>(text.size() + io::kLinePadding);
    std::memcpy(buffer.get(), text.data(), text.size());
    std::memset(buffer.get() + text.size(), 0, io::kLinePadding);
    io::Line line{std::string_view(buffer.get(), text.size()), text.size() + io::kLinePadding,
                  1, true};
    EXPECT_EQ(parser.Parse(line, sink), LineOutcome::kEvent) << reason;
    return sink.task_end.failure;
  };
  const TaskFailure& exception = parse(
      R"({"Reason":"ExceptionFailure","Class Name":"org.apache.spark.SparkException","Description":"Job aborted","Stack Trace":[{"Declaring Class":"org.apache.spark.rdd.RDD","Method Name":"count","File Name":"RDD.scala","Line Number":1},{"Declaring Class":"com.acme.Job$","Method Name":"run","File Name":"Job.scala","Line Number":42}],"Full Stack Trace":"org.apache.spark.SparkException: Job aborted\nCaused by: java.lang.OutOfMemoryError: Java heap space"})");
  EXPECT_EQ(exception.reason, "ExceptionFailure");
  EXPECT_EQ(exception.class_name, "org.apache.spark.SparkException");
  EXPECT_EQ(exception.message, "Job aborted");
  EXPECT_TRUE(exception.full_stack_trace.ends_with("Caused by: java.lang.OutOfMemoryError: Java heap space"));
  ASSERT_TRUE(exception.user_frame.has_value());
  EXPECT_EQ(exception.user_frame->declaring_class, "com.acme.Job$");
  EXPECT_EQ(exception.user_frame->line, 42);

  const TaskFailure& lost = parse(
      R"({"Reason":"ExecutorLostFailure","Executor ID":"3","Exit Caused By App":true,"Loss Reason":"Container killed by YARN for exceeding memory limits."})");
  EXPECT_EQ(lost.executor_id, "3");
  EXPECT_EQ(lost.exit_caused_by_app, true);
  EXPECT_EQ(lost.message, "Container killed by YARN for exceeding memory limits.");

  const TaskFailure& fetch = parse(
      R"({"Reason":"FetchFailed","Block Manager Address":{"Executor ID":"1","Host":"h8","Port":7337},"Shuffle ID":54,"Map ID":1203,"Map Index":7,"Reduce ID":3,"Message":"java.io.IOException: lost"})");
  EXPECT_EQ(fetch.executor_id, "1");
  EXPECT_EQ(fetch.host, "h8");
  EXPECT_EQ(fetch.shuffle_id, 54);
  EXPECT_EQ(fetch.map_id, 1203);
  EXPECT_EQ(fetch.message, "java.io.IOException: lost");

  EXPECT_EQ(parse(R"({"Reason":"TaskKilled","Kill Reason":"another attempt succeeded"})").message,
            "another attempt succeeded");
  EXPECT_EQ(sink.task_end.outcome, TaskOutcome::kKilled);
  EXPECT_EQ(parse(R"({"Reason":"Success"})").reason, "");
  EXPECT_EQ(sink.task_end.outcome, TaskOutcome::kSuccess);
}

}  // namespace
}  // namespace prometheus::events
