// `prometheus fix` end to end for the kinds beyond conf and broadcast, and
// for the places that are not Python statements: repartition and cache
// applied, salting sketched from the real call site, SQL files and cells,
// and a Databricks command that two notebooks could hold.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "prometheus/cli/fix_testing.h"
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

TEST(FixKinds,
     RepartitionAndCacheAreAppliedAndSaltingIsSketchedWithTheFilesNames) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "r1r1r1r1", "rule": "skew_time", "fix": {"kind": "repartition", "partitions": 64,
      "key": "customer_id", "call_site": {"file": "/opt/jobs/skewed_aggregation.py", "line": 23}}},
    {"id": "c1c1c1c1", "rule": "repeated_scan", "fix": {"kind": "cache", "table": null,
      "path": "s3://finance/ledger/2026", "call_site": {"file": "reread_job.py", "line": 31}}},
    {"id": "s1s1s1s1", "rule": "skew_bytes", "fix": {"kind": "salting", "key": "customer_id",
      "buckets": 8, "call_site": {"file": "skewed_aggregation.py", "line": 31}}},
    {"id": "u1u1u1u1", "rule": "python_udf", "fix": {"kind": "udf_to_builtin", "udf": ["parse_ts"]}}]})");
  tmp.Write("repo/skewed_aggregation.py", Corpus("skewed_aggregation.py"));
  tmp.Write("repo/reread_job.py", Corpus("reread_job.py"));
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus({"fix", "--recommendations", recs.string(), "--repo",
                            repo, "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& fix : doc["fixes"]) by_id[fix["id"]] = fix;
  EXPECT_EQ(by_id["r1r1r1r1"]["status"], "applied") << by_id["r1r1r1r1"];
  EXPECT_EQ(by_id["c1c1c1c1"]["status"], "applied") << by_id["c1c1c1c1"];
  EXPECT_NE(by_id["c1c1c1c1"]["note"].get<std::string>().find("unpersist"),
            std::string::npos);
  EXPECT_EQ(by_id["s1s1s1s1"]["status"], "described");
  EXPECT_EQ(by_id["s1s1s1s1"]["safety"], "unsafe");
  std::string sketch = by_id["s1s1s1s1"]["sketch"];
  EXPECT_NE(sketch.find("spend"), std::string::npos)
      << "the join's own names: " << sketch;
  EXPECT_NE(sketch.find("customers"), std::string::npos) << sketch;
  EXPECT_TRUE(CPythonParses(sketch)) << sketch;
  EXPECT_EQ(by_id["u1u1u1u1"]["safety"], "manual");
  EXPECT_NE(by_id["u1u1u1u1"]["note"].get<std::string>().find("parse_ts"),
            std::string::npos);
  // The diffs are the golden ones of each fix alone.
  std::map<std::string, std::string> diffs;
  for (const auto& file : doc["files"]) diffs[file["path"]] = file["diff"];
  rewrite::testing::ExpectGolden("skewed_aggregation.repartition.diff",
                                 diffs["skewed_aggregation.py"]);
  rewrite::testing::ExpectGolden("reread_job.cache.diff",
                                 diffs["reread_job.py"]);

  ASSERT_EQ(RunPrometheus({"fix", "--recommendations", recs.string(), "--repo",
                           repo, "--apply"})
                .exit_code,
            0);
  EXPECT_TRUE(CPythonParses(ReadBytes(repo + "/skewed_aggregation.py")));
  EXPECT_TRUE(CPythonParses(ReadBytes(repo + "/reread_job.py")));
  testing::ExpectNothingLeftToDo(
      recs, repo, "fix: 0 applied, 2 already present, 2 described, 0 skipped");
}

TEST(FixKinds, SqlFilesAndSqlNotebookCellsTakeTheHint) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "q1q1q1q1", "fix": {"kind": "broadcast_hint", "table": "spark_catalog.sales.dim_region",
      "path": null, "join_keys": []}},
    {"id": "q2q2q2q2", "fix": {"kind": "broadcast_hint", "table": "dim_channel", "path": null,
      "join_keys": []}}]})");
  tmp.Write(
      "repo/sql/report.sql",
      "-- weekly report\r\nSELECT f.week, r.name, SUM(f.amount)\r\nFROM "
      "sales.facts f\r\n"
      "JOIN sales.dim_region r ON f.region_id = r.id\r\nGROUP BY 1, 2;\r\n");
  nlohmann::ordered_json notebook = {
      {"cells",
       {{{"cell_type", "code"},
         {"execution_count", nullptr},
         {"metadata", nlohmann::json::object()},
         {"outputs", nlohmann::json::array()},
         {"source",
          nlohmann::json::array(
              {"%%sql\n", "SELECT c.name, count(*)\n",
               "FROM visits v JOIN dim_channel c ON v.channel = c.id\n",
               "GROUP BY c.name"})}}}},
      {"metadata",
       {{"kernelspec", {{"language", "python"}, {"name", "python3"}}}}},
      {"nbformat", 4},
      {"nbformat_minor", 5}};
  std::string before = notebook.dump(2) + "\n";
  tmp.Write("repo/nb/channels.ipynb", before);
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("fix: 2 applied"), std::string::npos) << run.err;
  EXPECT_EQ(ReadBytes(repo + "/sql/report.sql"),
            "-- weekly report\r\nSELECT /*+ BROADCAST(r) */ f.week, r.name, "
            "SUM(f.amount)\r\n"
            "FROM sales.facts f\r\nJOIN sales.dim_region r ON f.region_id = "
            "r.id\r\nGROUP BY 1, 2;\r\n");
  std::string expected = before;
  std::string line = "\"SELECT c.name, count(*)\\n\"";
  expected.replace(expected.find(line), line.size(),
                   "\"SELECT /*+ BROADCAST(c) */ c.name, count(*)\\n\"");
  EXPECT_EQ(ReadBytes(repo + "/nb/channels.ipynb"), expected);
  testing::ExpectNothingLeftToDo(recs, repo,
                                 "fix: 0 applied, 2 already present");
}

TEST(FixKinds, ACommandTwoNotebooksCouldHoldChangesNothingAndSaysWhere) {
  const std::string notebook =
      "# Databricks notebook source\nfacts = spark.table(\"facts\")\ndim = "
      "spark.table(\"dim\")\n"
      "out = facts.join(dim, \"k\")\n";
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "n1n1n1n1", "fix": {"kind": "broadcast_hint", "table": "dim", "path": null,
      "join_keys": ["k"], "call_site": {"file": "command-1723439101937605", "line": 3}}}]})");
  tmp.Write("repo/a.py", notebook);
  tmp.Write("repo/b.py", notebook);
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(
      run.err.find(
          "skipped n1n1n1n1 broadcast_hint dim: 2 places fit (a.py:4, b.py:4); "
          "ambiguous, nothing changed"),
      std::string::npos)
      << run.err;
}

TEST(FixKinds, UnreadableFilesAreNamedAndTheRestIsFixed) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "b0b0b0b0", "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": null}},
    {"id": "x0x0x0x0", "fix": {"kind": "future_kind", "foo": 1}}]})");
  tmp.Write("repo/bad.ipynb", "{\"cells\": [");
  tmp.Write("repo/daily_orders.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find(
                "unreadable bad.ipynb: line 1, byte 11: expected a JSON value"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("applied b0b0b0b0 broadcast_hint dim_country: "
                         "daily_orders.py: line 34"),
            std::string::npos)
      << run.err;
  EXPECT_NE(
      run.err.find("described x0x0x0x0 future_kind (manual): {\"foo\":1}"),
      std::string::npos)
      << run.err;
  auto json = RunPrometheus({"fix", "--recommendations", recs.string(),
                             "--repo", repo, "--format", "json"});
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["unreadable"].size(), 1u);
  auto only = RunPrometheus({"fix", "--recommendations", recs.string(),
                             "--repo", repo, "--kind", "future_kind"});
  EXPECT_EQ(only.out, "") << "the broadcast fix is filtered out";
  EXPECT_NE(only.err.find(
                "fix: 0 applied, 0 already present, 1 described, 0 skipped"),
            std::string::npos)
      << only.err;
}

// --apply replaces a file whole through a rename: an executable script
// stays executable, and a file that cannot be replaced stays as it was.
TEST(FixKinds, ApplyKeepsPermissionsAndNeverLeavesHalfAFile) {
  namespace fs = std::filesystem;
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "p1p1p1p1", "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": null}}]})");
  auto script =
      tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec,
                  fs::perm_options::add);
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(ReadBytes(script.string()), Corpus("daily_orders.py"));
  EXPECT_NE(fs::status(script).permissions() & fs::perms::owner_exec,
            fs::perms::none);
  EXPECT_FALSE(fs::exists(script.string() + ".prometheus-tmp"));

  // A folder where the temporary file must go makes the write fail, even as
  // root.
  fs::copy_file(
      prometheus::testing::RepoPath("testdata/pyspark/daily_orders.py"), script,
      fs::copy_options::overwrite_existing);
  fs::create_directory(script.string() + ".prometheus-tmp");
  auto refused = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("cannot write"), std::string::npos) << refused.err;
  EXPECT_EQ(ReadBytes(script.string()), Corpus("daily_orders.py"));
}

}  // namespace
}  // namespace prometheus::cli
