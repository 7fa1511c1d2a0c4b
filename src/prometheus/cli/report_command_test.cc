// `prometheus report --store` and `analyze --html`: the page and the data it
// carries; an empty store and an unwritable file are errors with their exit
// codes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::cli {
namespace {

using testing::RunPrometheus;
using testing::TempDir;

const std::string kSampleLogs = testing::RepoPath("testdata/eventlogs");

// The JSON the page inlines.
nlohmann::json PageData(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::string page = text.str();
  const std::string open = R"(<script id="prometheus-data" type="application/json">)";
  size_t from = page.find(open);
  EXPECT_NE(from, std::string::npos);
  from += open.size();
  size_t to = page.find("</script>", from);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);  // nothing fetched
  return nlohmann::json::parse(page.substr(from, to - from));
}

TEST(ReportCommand, WritesTheLakesRunsWithAWhatIfFromTheStoredLog) {
  TempDir tmp;
  std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs, "--store", store}).exit_code, 0);
  ASSERT_EQ(RunPrometheus({"recommend", "--store", store}).exit_code, 0);
  std::string out = (tmp.path() / "r.html").string();
  auto run = RunPrometheus({"report", "--store", store, "--out", out, "--core-hour-price", "0.5"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json data = PageData(out);
  EXPECT_EQ(data["totals"]["runs"], 5);
  EXPECT_GT(data["totals"]["recommendations"].get<int>(), 0);
  EXPECT_EQ(data["recommendations"].size(), data["totals"]["recommendations"]);
  EXPECT_DOUBLE_EQ(data["totals"]["cost"].get<double>(), 0.5 * data["totals"]["core_hours"].get<double>());
  ASSERT_EQ(data["apps"].size(), 1u);  // the samples are five runs of one job
  EXPECT_EQ(data["apps"][0]["app_id"], data["jobs"][0]["last_app_id"]);
  EXPECT_FALSE(data["apps"][0]["stages"].empty());
  EXPECT_TRUE(data["apps"][0]["whatif"].is_object());
  EXPECT_TRUE(data["apps"][0]["core_use"].is_object());
}

TEST(ReportCommand, TheLoopIsReadOnlyWithARepoAndAForgeThatFailsIsAWarning) {
  TempDir tmp;
  std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs, "--store", store}).exit_code, 0);
  std::string out = (tmp.path() / "r.html").string();
  auto run = RunPrometheus({"report", "--store", store, "--out", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json data = PageData(out);
  EXPECT_TRUE(data["loop"]["pulls"].empty());
  EXPECT_NE(data["loop"]["note"].get<std::string>().find("--repo"), std::string::npos);
  // A folder that is no repository: the report is written without the
  // loop, saying why, and a warning names the folder.
  std::string not_repo = (tmp.path() / "nothing").string();
  std::filesystem::create_directories(not_repo);
  run = RunPrometheus({"report", "--store", store, "--out", out, "--repo", not_repo});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("warning: the loop's pull requests were not read"), std::string::npos) << run.err;
  data = PageData(out);
  EXPECT_TRUE(data["loop"]["pulls"].empty());
  EXPECT_EQ(data["loop"]["note"].get<std::string>().rfind("Not read: ", 0), 0u);
}

TEST(ReportCommand, ARollingLogIsReadBackFromItsFolder) {
  TempDir tmp;
  std::string store = (tmp.path() / "lake").string();
  std::string rolling = kSampleLogs + "/eventlog_v2_local-1623876083964";
  ASSERT_EQ(RunPrometheus({"observe", "--source", rolling, "--store", store}).exit_code, 0);
  std::string out = (tmp.path() / "r.html").string();
  ASSERT_EQ(RunPrometheus({"report", "--store", store, "--out", out}).exit_code, 0);
  nlohmann::json data = PageData(out);
  ASSERT_EQ(data["apps"].size(), 1u);
  EXPECT_EQ(data["apps"][0]["app_id"], "local-1623876083964");
  EXPECT_TRUE(data["apps"][0]["whatif"].is_object());
}

TEST(ReportCommand, AnalyzeHtmlDrillsIntoEveryRun) {
  TempDir tmp;
  std::string out = (tmp.path() / "a.html").string();
  auto run = RunPrometheus({"analyze", kSampleLogs, "--html", out, "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json data = PageData(out);
  EXPECT_EQ(data["apps"].size(), 5u);
  for (const auto& app : data["apps"]) EXPECT_TRUE(app["whatif"].is_object()) << app["app_id"];
  EXPECT_FALSE(testing::StdoutJson(run)["applications"].empty());  // stdout as before
}

TEST(ReportCommand, AnEmptyStoreOrAnUnwritableFileFails) {
  TempDir tmp;
  auto empty = RunPrometheus({"report", "--store", (tmp.path() / "none").string(), "--out",
                              (tmp.path() / "r.html").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("holds no applications"), std::string::npos) << empty.err;
  auto unwritable = RunPrometheus({"analyze", kSampleLogs, "--html",
                                   (tmp.path() / "no" / "such" / "dir.html").string()});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_NE(unwritable.err.find("dir.html: cannot write the report"), std::string::npos)
      << unwritable.err;
}

}  // namespace
}  // namespace prometheus::cli
