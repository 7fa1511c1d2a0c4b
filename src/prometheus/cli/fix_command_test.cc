// `prometheus fix` end to end: a recommendations JSON in either shape, a
// repository copy, the diff, --apply, a second run that changes nothing,
// and the skips with their reasons.
#include <gtest/gtest.h>

#include <filesystem>

#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using prometheus::rewrite::testing::Corpus;
using prometheus::rewrite::testing::CPythonParses;
using prometheus::rewrite::testing::ReadBytes;
using testing::RunPrometheus;
using testing::TempDir;

// The shape of `analyze --format json`, with fixes the command must apply,
// one it must skip (no call site) and kinds it leaves to other tools.
constexpr const char* kAnalyzeJson = R"({"applications": [{"app_id": "app-1", "recommendations": [
  {"id": "11111111aaaaaaaaaaaaaaaaaaaaaaaa", "rule": "aqe_disabled", "severity": "high",
   "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true"}},
  {"id": "22222222bbbbbbbbbbbbbbbbbbbbbbbb", "rule": "missed_broadcast", "severity": "high",
   "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": null,
           "join_keys": ["country_id"],
           "call_site": {"file": "/Workspace/prod/daily_orders.py", "line": 33}}},
  {"id": "33333333cccccccccccccccccccccccc", "rule": "missed_broadcast", "severity": "medium",
   "fix": {"kind": "broadcast_hint", "table": "dim_store", "path": null, "join_keys": []}},
  {"id": "44444444dddddddddddddddddddddddd", "rule": "skew", "severity": "low",
   "fix": {"kind": "salting", "key": "country_id"}}]}]})";

TEST(FixCommand, DiffsAppliesAndThenFindsNothingToDo) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kAnalyzeJson);
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  tmp.Write("repo/lib/util.py", "def helper():\n    return 1\n");
  std::string repo = (tmp.path() / "repo").string();

  auto diff = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  rewrite::testing::ExpectGolden("fix_cli.diff", diff.out);
  EXPECT_NE(diff.err.find("applied 11111111 conf spark.sql.adaptive.enabled=true"),
            std::string::npos) << diff.err;
  EXPECT_NE(diff.err.find("applied 22222222 broadcast_hint dim_country: jobs/daily_orders.py"),
            std::string::npos) << diff.err;
  EXPECT_NE(diff.err.find("skipped 33333333 broadcast_hint dim_store: the event log names no call site"),
            std::string::npos) << diff.err;
  EXPECT_EQ(diff.err.find("44444444"), std::string::npos) << "salting is never applied";
  EXPECT_NE(diff.err.find("fix: 2 applied, 0 already present, 1 skipped"), std::string::npos);
  // --diff changes nothing on disk.
  EXPECT_EQ(ReadBytes(repo + "/jobs/daily_orders.py"), Corpus("daily_orders.py"));

  auto apply = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_EQ(apply.out, "");
  std::string fixed = ReadBytes(repo + "/jobs/daily_orders.py");
  EXPECT_NE(fixed, Corpus("daily_orders.py"));
  EXPECT_TRUE(CPythonParses(fixed));
  EXPECT_EQ(ReadBytes(repo + "/lib/util.py"), "def helper():\n    return 1\n");

  // The call site's line now points one line early (the conf line was
  // added above it), yet the join still spans it: nothing more to do.
  auto again = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo, "--diff"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_NE(again.err.find("fix: 0 applied, 2 already present, 1 skipped"), std::string::npos)
      << again.err;
}

TEST(FixCommand, SkipsWithReasonsAndLeavesBrokenFilesAlone) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "aaaaaaaa", "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": null,
      "join_keys": [], "call_site": {"file": "broken.py", "line": 6}}},
    {"id": "bbbbbbbb", "fix": {"kind": "broadcast_hint", "table": null, "path": "/mnt/dim/users",
      "join_keys": [], "call_site": {"file": "etl/crlf_job.py", "line": 10}}},
    {"id": "dddddddd", "fix": {"kind": "broadcast_hint", "table": "t", "path": null,
      "join_keys": [], "call_site": {"file": "etl/crlf_job.py"}}},
    {"id": "cccccccc", "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true"}}]})");
  tmp.Write("repo/broken.py", Corpus("broken.py"));
  tmp.Write("repo/etl/crlf_job.py", Corpus("crlf_job.py"));
  std::string repo = (tmp.path() / "repo").string();

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("skipped aaaaaaaa broadcast_hint dim_country: broken.py:4:"),
            std::string::npos) << run.err;
  EXPECT_NE(run.err.find("applied bbbbbbbb"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("skipped dddddddd broadcast_hint t: call_site.line is not a line number"),
            std::string::npos) << run.err;
  EXPECT_NE(run.err.find("skipped cccccccc conf spark.sql.adaptive.enabled=true: 2 .py files create a SparkSession"),
            std::string::npos) << run.err;
  EXPECT_EQ(ReadBytes(repo + "/broken.py"), Corpus("broken.py"));
  std::string crlf = ReadBytes(repo + "/etl/crlf_job.py");
  EXPECT_TRUE(CPythonParses(crlf));
  // Every line still ends in CRLF, the new import line included.
  size_t lines = 0;
  for (size_t i = crlf.find('\n'); i != std::string::npos; i = crlf.find('\n', i + 1), ++lines) {
    ASSERT_EQ(crlf[i - 1], '\r') << "line " << lines + 1;
  }
  EXPECT_EQ(lines, 12u);
}

TEST(FixCommand, HintsSqlInsideSparkSqlAndThenFindsNothingToDo) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "eeeeeeee", "fix": {"kind": "broadcast_hint", "table": "sales.dim_country", "path": null,
      "join_keys": [], "call_site": {"file": "sql_job.py", "line": 8}}},
    {"id": "ffffffff", "fix": {"kind": "broadcast_hint", "table": "dim_store", "path": null,
      "join_keys": [], "call_site": {"file": "sql_job.py", "line": 22}}}]})");
  tmp.Write("repo/sql_job.py", Corpus("sql_job.py"));
  std::string repo = (tmp.path() / "repo").string();

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("applied eeeeeeee"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("applied ffffffff"), std::string::npos) << run.err;
  std::string after = ReadBytes(repo + "/sql_job.py");
  EXPECT_TRUE(CPythonParses(after));
  EXPECT_NE(after.find("SELECT /*+ BROADCAST(c) */ r.order_id"), std::string::npos) << after;
  EXPECT_NE(after.find("SELECT /*+ REPARTITION(8), BROADCAST(st) */ s.day"), std::string::npos) << after;
  auto again = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadBytes(repo + "/sql_job.py"), after);
}

TEST(FixCommand, BadInputExitsWithTwo) {
  TempDir tmp;
  auto bad = tmp.Write("bad.json", "{not json");
  auto empty = tmp.Write("empty.json", R"({"something": []})");
  tmp.Write("repo/a.py", "x = 1\n");
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus({"fix", "--recommendations", bad.string(), "--repo", repo});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a JSON object"), std::string::npos) << run.err;
  EXPECT_EQ(RunPrometheus({"fix", "--recommendations", empty.string(), "--repo", repo}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"fix", "--recommendations", bad.string()}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"fix", "--recommendations", empty.string(), "--repo", repo, "--diff",
                           "--apply"}).exit_code, 2);
}

}  // namespace
}  // namespace prometheus::cli
