// `prometheus analyze` as a user runs it: the built binary in a child
// process, with its stdout, stderr and exit code.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::ProcessResult;
using testing::RunPrometheus;
using testing::TempDir;

nlohmann::json ParseJson(const ProcessResult& run) { return testing::StdoutJson(run); }

std::string SparkEvents(const std::string& name) {
  return testing::SharedEventLog(std::string(testing::kSparkEvents) + name);
}

constexpr const char* kRapids =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/";

std::string Rapids(const std::string& relative) {
  return testing::SharedEventLog(std::string(kRapids) + relative);
}

const char* const kApp = "app-20200706201101-0003";

TEST(AnalyzeCommandTest, HelpDocumentsExitCodes) {
  ProcessResult run = RunPrometheus({"analyze", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("Exit codes"));
  EXPECT_THAT(run.out, HasSubstr("0 done"));
  EXPECT_THAT(run.out, HasSubstr("2 bad arguments"));
  EXPECT_THAT(run.out, HasSubstr("--format"));
}

TEST(AnalyzeCommandTest, MissingPathIsBadInputNamingIt) {
  TempDir tmp;
  fs::path missing = tmp.path() / "no-such-log";
  ProcessResult run = RunPrometheus({"analyze", missing.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr(missing.string()));
  EXPECT_EQ(run.out, "");
}

TEST(AnalyzeCommandTest, EmptyFileIsBadInput) {
  TempDir tmp;
  fs::path empty = tmp.Write("app-1", "");
  ProcessResult run = RunPrometheus({"analyze", empty.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr(empty.string()));
  EXPECT_THAT(run.err, HasSubstr("empty"));
}

TEST(AnalyzeCommandTest, NotAnEventLogIsBadInputNamingIt) {
  TempDir tmp;
  fs::path text = tmp.Write("notes.txt", "hello\n");
  ProcessResult run =
      RunPrometheus({"analyze", "--format", "json", text.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr(text.string()));
  EXPECT_EQ(run.out, "");
}

TEST(AnalyzeCommandTest, NothingReadableGivesEachReasonThenSaysSo) {
  TempDir tmp;
  fs::path a = tmp.Write("a.txt", "hello\n");
  fs::path b = tmp.Write("b.txt", "{\"x\": 1}\n");
  ProcessResult run = RunPrometheus({"analyze", a.string(), b.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  std::string first = "prometheus: " + a.string() + ": no Spark events in 1 line(s)";
  std::string second = "\nprometheus: " + b.string() + ": no Spark events in 1 line(s)";
  EXPECT_EQ(run.err.rfind(first, 0), 0u) << run.err;
  EXPECT_THAT(run.err, HasSubstr(second));
  EXPECT_TRUE(run.err.ends_with(")\nprometheus: no readable event log\n")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 3) << run.err;
}

TEST(AnalyzeCommandTest, UnreadableLogBesideGoodOneIsAWarning) {
  TempDir tmp;
  fs::path text = tmp.Write("notes.txt", "hello\n");
  ProcessResult run = RunPrometheus(
      {"analyze", "--format", "csv", SparkEvents(kApp), text.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("warning"));
  EXPECT_THAT(run.err, HasSubstr(text.string()));
  EXPECT_THAT(run.out, HasSubstr(kApp));
}

TEST(AnalyzeCommandTest, UnknownFlagIsBadInput) {
  ProcessResult run =
      RunPrometheus({"analyze", "--no-such-flag", SparkEvents(kApp)});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--no-such-flag"));
}

TEST(AnalyzeCommandTest, UnknownFormatIsBadInput) {
  ProcessResult run =
      RunPrometheus({"analyze", "--format", "xml", SparkEvents(kApp)});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
}

TEST(AnalyzeCommandTest, NoPathOrNoSubcommandIsBadInput) {
  EXPECT_EQ(RunPrometheus({"analyze"}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({}).exit_code, 2);
}

TEST(AnalyzeCommandTest, JsonHasEveryKpiColumn) {
  ProcessResult run =
      RunPrometheus({"analyze", "--format", "json", SparkEvents(kApp)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json doc = ParseJson(run);
  ASSERT_TRUE(doc.contains("applications"));
  ASSERT_EQ(doc["applications"].size(), 1u);
  const auto& app = doc["applications"][0];
  EXPECT_EQ(app["app_id"], kApp);
  EXPECT_EQ(doc["corrupt_lines"], 0);
  EXPECT_EQ(app["corrupt_lines"], 0);
  ASSERT_TRUE(app["stages"].is_array());
  ASSERT_EQ(app["stages"].size(), 3u);
  for (const auto& stage : app["stages"]) {
    for (const auto& column : kpi::StageKpiColumns()) {
      EXPECT_TRUE(stage.contains(column)) << column;
    }
    EXPECT_EQ(stage.size(), kpi::StageKpiColumns().size());
    EXPECT_EQ(stage["app_id"], kApp);
    EXPECT_EQ(stage["num_completed_tasks"], 16);
  }
}

TEST(AnalyzeCommandTest, JsonCountsAndLocatesMalformedLine) {
  std::string path =
      Rapids("spark-events-profiling/malformed_json_eventlog.zstd");
  ProcessResult run = RunPrometheus({"analyze", "--format", "json", path});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json doc = ParseJson(run);
  EXPECT_EQ(doc["corrupt_lines"], 1);
  ASSERT_EQ(doc["applications"].size(), 1u);
  const auto& app = doc["applications"][0];
  EXPECT_EQ(app["corrupt_lines"], 1);
  ASSERT_EQ(app["corrupt_line_samples"].size(), 1u);
  const auto& sample = app["corrupt_line_samples"][0];
  EXPECT_THAT(sample["file"].get<std::string>(),
              HasSubstr("malformed_json_eventlog.zstd"));
  EXPECT_EQ(sample["line"], 4);
  EXPECT_FALSE(sample["reason"].get<std::string>().empty());
}

TEST(AnalyzeCommandTest, CsvStartsWithHeader) {
  ProcessResult run =
      RunPrometheus({"analyze", "--format", "csv", SparkEvents(kApp)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string header;
  for (const auto& column : kpi::StageKpiColumns()) {
    header += (header.empty() ? "" : ",") + column;
  }
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')), header);
  // The header and one line per stage.
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 4);
}

TEST(AnalyzeCommandTest, TextNamesTheApplication) {
  ProcessResult run = RunPrometheus({"analyze", SparkEvents(kApp)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(kApp));
  // Not a terminal: no colour escapes by default.
  EXPECT_THAT(run.out, Not(HasSubstr("\x1b[")));
}

TEST(AnalyzeCommandTest, SameApplicationTwiceIsReadOnceWithWarning) {
  std::string first =
      Rapids("spark-events-qualification/eventlog_same_app_id_1.zstd");
  std::string second =
      Rapids("spark-events-qualification/eventlog_same_app_id_2.zstd");
  ProcessResult run =
      RunPrometheus({"analyze", "--format", "json", first, second});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json doc = ParseJson(run);
  ASSERT_EQ(doc["applications"].size(), 1u);
  EXPECT_EQ(doc["applications"][0]["source"]["path"], first);
  ASSERT_EQ(doc["warnings"].size(), 1u);
  std::string warning = doc["warnings"][0];
  EXPECT_THAT(warning, HasSubstr(second));
  EXPECT_THAT(warning, HasSubstr(first));
  EXPECT_THAT(warning,
              HasSubstr(doc["applications"][0]["app_id"].get<std::string>()));

  // Outside JSON the warning goes to stderr.
  ProcessResult text =
      RunPrometheus({"analyze", "--format", "csv", first, second});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.err, HasSubstr("warning"));
  EXPECT_THAT(text.err, HasSubstr(second));
}

TEST(AnalyzeCommandTest, ThreadCountDoesNotChangeTheReport) {
  std::string folder = Rapids("spark-events-qualification/multiple_attempts");
  ProcessResult one =
      RunPrometheus({"analyze", "--format", "json", "-j", "1", folder});
  ProcessResult four =
      RunPrometheus({"analyze", "--format", "json", "-j", "4", folder});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.err;
  nlohmann::json a = ParseJson(one);
  nlohmann::json b = ParseJson(four);
  ASSERT_EQ(a["applications"].size(), b["applications"].size());
  ASSERT_GT(a["applications"].size(), 1u);
  for (size_t i = 0; i < a["applications"].size(); ++i) {
    // collected_at is the wall clock, so compare everything but the stages'.
    auto& x = a["applications"][i];
    auto& y = b["applications"][i];
    for (auto* app : {&x, &y}) {
      for (auto& stage : (*app)["stages"]) stage.erase("collected_at");
    }
    EXPECT_EQ(x, y) << "application " << i;
  }
}

}  // namespace
}  // namespace prometheus::cli
