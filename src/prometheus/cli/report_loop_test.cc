// The loop's pull requests as the report reads them from a forge: markers
// read back, merged ones measured on the lake's runs as verify measures
// them, reverts tied to what they revert, and the diff of Prometheus' own
// commits on a branch.
#include "prometheus/cli/report_loop.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "prometheus/loop/marker.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::cli {
namespace {

// A forge that answers its list of pull requests and nothing else.
class ListingForge : public forge::Forge {
 public:
  explicit ListingForge(std::vector<forge::PullRequest> pulls) : pulls_(std::move(pulls)) {}
  Result<std::string> DefaultBranch() override { return std::string("main"); }
  Result<std::vector<forge::PullRequest>> PullRequests(std::string_view prefix) override {
    prefixes.emplace_back(prefix);
    return pulls_;
  }
  Result<forge::PullRequest> Create(const forge::NewPullRequest&) override { return Unexpected(); }
  Status Update(int64_t, const std::string&, const std::string&) override { return Unexpected(); }
  Status AddLabels(int64_t, const std::vector<std::string>&) override { return Unexpected(); }
  Result<std::vector<forge::Comment>> Comments(int64_t) override { return Unexpected(); }
  Status AddComment(int64_t, const std::string&) override { return Unexpected(); }
  Status Close(int64_t) override { return Unexpected(); }
  std::vector<std::string> prefixes;

 private:
  static std::unexpected<Error> Unexpected() {
    ADD_FAILURE() << "the report must only read the forge";
    return Fail(ErrorCode::kInternal, "unexpected");
  }
  std::vector<forge::PullRequest> pulls_;
};

lake::StoredApplication JobRun(int64_t start, int64_t duration_ms) {
  lake::StoredApplication app;
  app.app_id = "app-" + std::to_string(start);
  app.app_name = "etl";
  app.start_time.value = start;
  app.duration_ms = duration_ms;
  app.task_time_ms = duration_ms * 2;
  app.status = "complete";
  return app;
}

forge::PullRequest Pull(int64_t number, const loop::Marker& marker, bool merged, int64_t merged_at) {
  forge::PullRequest pr;
  pr.number = number;
  pr.merged = merged;
  pr.merged_at_ms = merged_at;
  pr.title = "Prometheus: 1 fix for etl";
  pr.url = "https://github.com/acme/etl/pull/" + std::to_string(number);
  pr.body = "body\n\n" + loop::WriteMarker(marker);
  return pr;
}

TEST(LoopPulls, MergedFixesAreMeasuredAsVerifyMeasuresThemAndRevertsJoinThem) {
  std::vector<lake::StoredApplication> runs = {JobRun(1, 100'000), JobRun(2, 101'000), JobRun(3, 99'000),
                                               JobRun(11, 60'000), JobRun(12, 61'000), JobRun(13, 59'000)};
  loop::Marker fixes{"fixes", loop::NamedJob("etl", ""), {}, {"rec-1", "rec-2"}, 0};
  loop::Marker revert{"revert", loop::NamedJob("etl", ""), {}, {}, 4};
  forge::PullRequest unmarked;
  unmarked.number = 2;
  unmarked.body = "a human's pull request";
  ListingForge forge({Pull(5, revert, false, 0), Pull(4, fixes, true, 10), Pull(3, fixes, false, 0),
                      unmarked});
  auto pulls = LoopPulls(forge, nullptr, runs, {});
  ASSERT_TRUE(pulls) << pulls.error().message;
  EXPECT_EQ(forge.prefixes, std::vector<std::string>{"prometheus/"});
  ASSERT_EQ(pulls->size(), 2u);  // the revert joins #4, the unmarked one is not ours
  const report::LoopPull& merged = (*pulls)[0];
  EXPECT_EQ(merged.number, 4);
  EXPECT_EQ(merged.state, "merged");
  EXPECT_EQ(merged.job, "etl");
  EXPECT_EQ(merged.merged_at_ms, 10);
  EXPECT_EQ(merged.recommendation_ids, (std::vector<std::string>{"rec-1", "rec-2"}));
  EXPECT_EQ(merged.verdict, "improved");
  EXPECT_EQ(merged.runs_before, 3u);
  EXPECT_EQ(merged.runs_after, 3u);
  EXPECT_EQ(merged.split, "by time");
  ASSERT_EQ(merged.changes.size(), 4u);
  EXPECT_EQ(merged.changes[0].name, "duration");
  EXPECT_DOUBLE_EQ(merged.changes[0].before, 100.0);
  EXPECT_DOUBLE_EQ(merged.changes[0].after, 60.0);
  EXPECT_EQ(merged.revert_number, 5);
  EXPECT_EQ(merged.revert_state, "closed");
  EXPECT_EQ(merged.revert_url, "https://github.com/acme/etl/pull/5");
  const report::LoopPull& closed = (*pulls)[1];
  EXPECT_EQ(closed.state, "closed");
  EXPECT_EQ(closed.verdict, "");
  EXPECT_TRUE(closed.changes.empty());
  EXPECT_EQ(closed.revert_number, 0);
}

TEST(LoopPulls, ADatabricksJobIsTheReportsJobKey) {
  std::vector<lake::StoredApplication> runs = {JobRun(1, 1000)};
  runs[0].job_id = 42;
  loop::Marker fixes{"fixes", loop::DatabricksJob(42), {}, {}, 0};
  ListingForge forge({Pull(1, fixes, true, 10)});
  auto pulls = LoopPulls(forge, nullptr, runs, {});
  ASSERT_TRUE(pulls);
  ASSERT_EQ(pulls->size(), 1u);
  EXPECT_EQ((*pulls)[0].job, report::JobKey(runs[0]));
  EXPECT_EQ((*pulls)[0].verdict, "not enough runs yet");
  EXPECT_EQ((*pulls)[0].runs_before, 1u);
}

int Sh(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

TEST(ProposedDiff, IsPrometheusOwnCommitsOnTheBranch) {
  testing::TempDir tmp;
  std::string work = (tmp.path() / "work").string();
  tmp.Write("work/jobs/etl.py", "spark = 1\n");
  ASSERT_EQ(Sh("git init -q -b main " + work + " && cd " + work +
               " && git add . && git -c user.name=Ann -c user.email=ann@example.com commit -q -m init"),
            0);
  auto repo = git::Repository::Open(work);
  ASSERT_TRUE(repo);
  std::string base = *repo->Resolve("HEAD");
  EXPECT_EQ(ProposedDiff(*repo, base), "");  // nobody's but Ann's
  std::string first = *repo->CommitFiles(base, {{"jobs/etl.py", "spark = 2\n"}}, "fix 1",
                                         git::Identity{}, 1700000000);
  std::string second = *repo->CommitFiles(first, {{"jobs/b.py", "b\n"}}, "fix 2", git::Identity{},
                                          1700000000);
  std::string diff = ProposedDiff(*repo, second);
  EXPECT_EQ(diff, *repo->Diff(base, second));
  EXPECT_NE(diff.find("+spark = 2"), std::string::npos);
  EXPECT_NE(diff.find("+b"), std::string::npos);
  // A human's commit on top is not Prometheus' fix: left out.
  std::string human = *repo->CommitFiles(second, {{"NOTES.md", "reviewed\n"}}, "notes",
                                         git::Identity{"Bob", "bob@example.com"}, 1700000000);
  EXPECT_EQ(ProposedDiff(*repo, human), diff);
  EXPECT_EQ(ProposedDiff(*repo, std::string(40, '0')), "");  // not in the repository
}

TEST(WouldFixDiffs, EachSafeFixPlannedOnceAndNothingWritten) {
  testing::TempDir tmp;
  const std::string job =
      "from pyspark.sql import SparkSession\n"
      "spark = SparkSession.builder.appName(\"etl\").getOrCreate()\n"
      "spark.range(10).count()\n";
  tmp.Write("jobs/etl.py", job);
  auto record = [](std::string id, nlohmann::json fix) {
    return nlohmann::json{{"id", std::move(id)}, {"rule", "r"}, {"severity", "low"},
                          {"scope", {{"app_id", "a"}}}, {"fix", std::move(fix)}};
  };
  nlohmann::json conf = {{"kind", "conf"}, {"key", "spark.sql.shuffle.partitions"}, {"value", "64"}};
  auto diffs = WouldFixDiffs(tmp.path(), {record("r1", conf), record("r2", conf),
                                          record("r3", {{"kind", "investigate"}, {"advice", "look"}})});
  ASSERT_TRUE(diffs.contains("r1"));
  EXPECT_NE(diffs["r1"].find("spark.sql.shuffle.partitions"), std::string::npos) << diffs["r1"];
  EXPECT_EQ(diffs["r2"], diffs["r1"]);  // the same fix, planned once
  EXPECT_FALSE(diffs.contains("r3"));   // not a safe kind: described, never a diff
  std::ifstream file(tmp.path() / "jobs/etl.py");
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), job);  // a dry run
  EXPECT_TRUE(WouldFixDiffs(tmp.path(), {record("r1", conf)}, 0).empty());  // no tree allowed
}

}  // namespace
}  // namespace prometheus::cli
