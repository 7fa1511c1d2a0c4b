// `prometheus fix` end to end: a recommendations JSON in either shape, a
// repository copy, the diff, --apply, a second run that changes nothing,
// and the skips with their reasons.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "prometheus/cli/fix_testing.h"
#include "prometheus/rewrite/ipynb_notebook.h"
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
constexpr const char* kAnalyzeJson =
    R"({"applications": [{"app_id": "app-1", "recommendations": [
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

  auto diff = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  rewrite::testing::ExpectGolden("fix_cli.diff", diff.out);
  EXPECT_NE(
      diff.err.find("applied 11111111 conf spark.sql.adaptive.enabled=true"),
      std::string::npos)
      << diff.err;
  EXPECT_NE(
      diff.err.find(
          "applied 22222222 broadcast_hint dim_country: jobs/daily_orders.py"),
      std::string::npos)
      << diff.err;
  EXPECT_NE(diff.err.find("skipped 33333333 broadcast_hint dim_store: no join "
                          "under the repository "
                          "reads table dim_store"),
            std::string::npos)
      << diff.err;
  EXPECT_NE(diff.err.find("described 44444444 salting country_id (unsafe): "
                          "unsafe, so not applied"),
            std::string::npos)
      << diff.err;
  EXPECT_NE(diff.err.find(
                "fix: 2 applied, 0 already present, 1 described, 1 skipped"),
            std::string::npos)
      << diff.err;
  // --diff changes nothing on disk.
  EXPECT_EQ(ReadBytes(repo + "/jobs/daily_orders.py"),
            Corpus("daily_orders.py"));

  auto apply = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_EQ(apply.out, "");
  std::string fixed = ReadBytes(repo + "/jobs/daily_orders.py");
  EXPECT_NE(fixed, Corpus("daily_orders.py"));
  EXPECT_TRUE(CPythonParses(fixed));
  EXPECT_EQ(ReadBytes(repo + "/lib/util.py"), "def helper():\n    return 1\n");

  // The call site's line now points one line early (the conf line was
  // added above it), yet the join still spans it: nothing more to do.
  testing::ExpectNothingLeftToDo(
      recs, repo, "fix: 0 applied, 2 already present, 1 described, 1 skipped");
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
    {"id": "d0d0d0d0", "fix": {"kind": "broadcast_hint", "table": "t", "path": null,
      "join_keys": [], "call_site": {"file": "etl/crlf_job.py", "line": 0}}},
    {"id": "cccccccc", "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true"}}]})");
  tmp.Write("repo/broken.py", Corpus("broken.py"));
  tmp.Write("repo/etl/crlf_job.py", Corpus("crlf_job.py"));
  std::string repo = (tmp.path() / "repo").string();

  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      run.err.find("skipped aaaaaaaa broadcast_hint dim_country: broken.py:4:"),
      std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("applied bbbbbbbb"), std::string::npos) << run.err;
  // A call site without a line reads as "line unknown" (issue 9): the whole
  // file is searched. A line that is not a line number is still refused.
  EXPECT_NE(run.err.find("skipped dddddddd broadcast_hint t: etl/crlf_job.py: "
                         "no join reads table t"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("skipped d0d0d0d0 broadcast_hint: fix.call_site.line: "
                         "expected a line number"),
            std::string::npos)
      << run.err;
  EXPECT_NE(
      run.err.find("skipped cccccccc conf spark.sql.adaptive.enabled=true: 2 "
                   "files create a SparkSession"),
      std::string::npos)
      << run.err;
  EXPECT_EQ(ReadBytes(repo + "/broken.py"), Corpus("broken.py"));
  std::string crlf = ReadBytes(repo + "/etl/crlf_job.py");
  EXPECT_TRUE(CPythonParses(crlf));
  // Every line still ends in CRLF, the new import line included.
  size_t lines = 0;
  for (size_t i = crlf.find('\n'); i != std::string::npos;
       i = crlf.find('\n', i + 1), ++lines) {
    ASSERT_EQ(crlf[i - 1], '\r') << "line " << lines + 1;
  }
  EXPECT_EQ(lines, 11u) << "broadcast joins the existing functions import";
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

  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("applied eeeeeeee"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("applied ffffffff"), std::string::npos) << run.err;
  std::string after = ReadBytes(repo + "/sql_job.py");
  EXPECT_TRUE(CPythonParses(after));
  EXPECT_NE(after.find("SELECT /*+ BROADCAST(c) */ r.order_id"),
            std::string::npos)
      << after;
  EXPECT_NE(after.find("SELECT /*+ REPARTITION(8), BROADCAST(st) */ s.day"),
            std::string::npos)
      << after;
  testing::ExpectNothingLeftToDo(recs, repo,
                                 "fix: 0 applied, 2 already present");
}

TEST(FixCommand, BadInputExitsWithTwo) {
  TempDir tmp;
  auto bad = tmp.Write("bad.json", "{not json");
  auto empty = tmp.Write("empty.json", R"({"something": []})");
  tmp.Write("repo/a.py", "x = 1\n");
  std::string repo = (tmp.path() / "repo").string();
  auto run =
      RunPrometheus({"fix", "--recommendations", bad.string(), "--repo", repo});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a JSON object"), std::string::npos) << run.err;
  EXPECT_EQ(RunPrometheus(
                {"fix", "--recommendations", empty.string(), "--repo", repo})
                .exit_code,
            2);
  EXPECT_EQ(RunPrometheus({"fix", "--recommendations", bad.string()}).exit_code,
            2);
  EXPECT_EQ(RunPrometheus({"fix", "--recommendations", empty.string(), "--repo",
                           repo, "--diff", "--apply"})
                .exit_code,
            2);
}

// A Databricks notebook source: a join found from `command-<id>:<line>`,
// a %sql cell found by its table, the settings at the top of the first cell.
constexpr const char* kDatabricksNotebook =
    "# Databricks notebook source\n"
    "import pyspark.sql.functions as F\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "orders = spark.table(\"sales.orders\")\n"
    "dim = spark.table(\"sales.dim_country\")\n"
    "joined = orders.join(dim, \"country_id\")  # the slow join\n"
    "display(joined.groupBy(\"country\").count())\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "# MAGIC %sql\n"
    "# MAGIC SELECT o.id, s.name\n"
    "# MAGIC FROM sales.orders o JOIN sales.dim_store s ON o.store_id = s.id\n";

TEST(FixCommand, EditsADatabricksNotebookSourceCellByCell) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "a1a1a1a1", "fix": {"kind": "broadcast_hint", "table": "sales.dim_country", "path": null,
      "join_keys": ["country_id"], "call_site": {"file": "command-3684298126601210", "line": 3}}},
    {"id": "b2b2b2b2", "fix": {"kind": "broadcast_hint", "table": "sales.dim_store", "path": null,
      "join_keys": []}},
    {"id": "c3c3c3c3", "fix": {"kind": "conf", "key": "spark.sql.adaptive.skewJoin.enabled", "value": "true"}}]})");
  tmp.Write("repo/notebooks/daily.py", kDatabricksNotebook);
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      run.err.find("fix: 3 applied, 0 already present, 0 described, 0 skipped"),
      std::string::npos)
      << run.err;
  std::string after = ReadBytes(repo + "/notebooks/daily.py");
  EXPECT_EQ(
      after,
      "# Databricks notebook source\n"
      "import pyspark.sql.functions as F\n"
      "spark.conf.set(\"spark.sql.adaptive.skewJoin.enabled\", \"true\")\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "orders = spark.table(\"sales.orders\")\n"
      "dim = spark.table(\"sales.dim_country\")\n"
      "joined = orders.join(F.broadcast(dim), \"country_id\")  # the slow "
      "join\n"
      "display(joined.groupBy(\"country\").count())\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT /*+ BROADCAST(s) */ o.id, s.name\n"
      "# MAGIC FROM sales.orders o JOIN sales.dim_store s ON o.store_id = "
      "s.id\n");
  EXPECT_TRUE(CPythonParses(after));
  testing::ExpectNothingLeftToDo(recs, repo,
                                 "fix: 0 applied, 3 already present");
}

// An .ipynb: the call site is ipykernel's name for the cell, and only the
// changed line of that cell's source changes in the file.
TEST(FixCommand, EditsOneLineOfAJupyterCellAndNothingElse) {
  const std::string cell =
      "orders = spark.read.parquet(\"/data/orders\")\n"
      "users = spark.read.parquet(\"/data/users\")\n"
      "result = orders.join(users, \"user_id\").groupBy(\"country\").count()\n"
      "result.collect()";
  nlohmann::ordered_json notebook = {
      {"cells",
       {{{"cell_type", "markdown"},
         {"metadata", nlohmann::json::object()},
         {"source", nlohmann::json::array({"# Users by country"})}},
        {{"cell_type", "code"},
         {"execution_count", 1},
         {"metadata", nlohmann::json::object()},
         {"outputs", nlohmann::json::array()},
         {"source",
          nlohmann::json::array({"from pyspark.sql import functions as fn"})}},
        {{"cell_type", "code"},
         {"execution_count", 2},
         {"metadata", {{"collapsed", false}}},
         {"outputs",
          {{{"name", "stdout"},
            {"output_type", "stream"},
            {"text", nlohmann::json::array({"42\n"})}}}},
         {"source",
          {"orders = spark.read.parquet(\"/data/orders\")\n",
           "users = spark.read.parquet(\"/data/users\")\n",
           "result = orders.join(users, "
           "\"user_id\").groupBy(\"country\").count()\n",
           "result.collect()"}}}}},
      {"metadata",
       {{"kernelspec",
         {{"display_name", "Python 3"},
          {"language", "python"},
          {"name", "python3"}}}}},
      {"nbformat", 4},
      {"nbformat_minor", 5}};
  std::string before = notebook.dump(1) + "\n";
  TempDir tmp;
  std::string site =
      "/tmp/ipykernel_4711/" + rewrite::IpynbNotebook::IpykernelCellName(cell);
  auto recs = tmp.Write("recs.json", R"({"recommendations": [
    {"id": "d4d4d4d4", "fix": {"kind": "broadcast_hint", "table": null, "path": "/data/users",
      "join_keys": ["user_id"], "call_site": {"file": ")" +
                                         site + R"(", "line": 4}}}]})");
  tmp.Write("repo/explore.ipynb", before);
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find(
                "applied d4d4d4d4 broadcast_hint /data/users: explore.ipynb:"),
            std::string::npos)
      << run.err;
  std::string after = ReadBytes(repo + "/explore.ipynb");
  std::string expected = before;
  std::string old_line = R"x("result = orders.join(users, )x";
  std::string new_line = R"x("result = orders.join(fn.broadcast(users), )x";
  expected.replace(expected.find(old_line), old_line.size(), new_line);
  EXPECT_EQ(after, expected);
  testing::ExpectNothingLeftToDo(recs, repo,
                                 "fix: 0 applied, 1 already present");
}

// --store reads what `recommend` stored: the same records as its JSON.
TEST(FixCommand, ReadsTheRecommendationsTableOfALake) {
  TempDir tmp;
  std::string lake = (tmp.path() / "lake").string();
  std::string logs = prometheus::testing::RepoPath("testdata/eventlogs");
  ASSERT_EQ(
      RunPrometheus({"observe", "--source", logs, "--store", lake}).exit_code,
      0);
  auto json = RunPrometheus({"recommend", "--store", lake, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto recs = tmp.Write("recs.json", json.out);
  tmp.Write("repo/job.py", "x = 1\n");
  std::string repo = (tmp.path() / "repo").string();
  auto from_file = RunPrometheus({"fix", "--recommendations", recs.string(),
                                  "--repo", repo, "--format", "json"});
  auto from_store = RunPrometheus(
      {"fix", "--store", lake, "--repo", repo, "--format", "json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  ASSERT_EQ(from_store.exit_code, 0) << from_store.err;
  auto by_id = [](const std::string& text) {
    std::map<std::string, std::string> out;
    nlohmann::json doc = nlohmann::json::parse(text);
    for (const auto& fix : doc["fixes"]) {
      out[fix["id"].get<std::string>()] = fix["status"].get<std::string>() +
                                          " " + fix["note"].get<std::string>();
    }
    return out;
  };
  auto file_fixes = by_id(from_file.out);
  EXPECT_EQ(file_fixes.size(),
            nlohmann::json::parse(json.out)["recommendations"].size());
  EXPECT_EQ(by_id(from_store.out), file_fixes);
  auto empty_lake =
      RunPrometheus({"fix", "--store", tmp.path().string(), "--repo", repo});
  EXPECT_EQ(empty_lake.exit_code, 2);
  EXPECT_NE(empty_lake.err.find("holds no table yet"), std::string::npos)
      << empty_lake.err;
  EXPECT_EQ(RunPrometheus({"fix", "--repo", repo}).exit_code, 2)
      << "needs --recommendations or --store";
}

TEST(FixCommand, JsonAndColourOutputs) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kAnalyzeJson);
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  auto json = RunPrometheus({"fix", "--recommendations", recs.string(),
                             "--repo", repo, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["counts"]["applied"], 2);
  EXPECT_EQ(doc["counts"]["described"], 1);
  EXPECT_EQ(doc["counts"]["skipped"], 1);
  ASSERT_EQ(doc["files"].size(), 1u);
  EXPECT_EQ(doc["files"][0]["path"], "jobs/daily_orders.py");
  EXPECT_EQ(doc["files"][0]["diff"],
            ReadBytes(prometheus::testing::RepoPath(
                "testdata/pyspark/golden/fix_cli.diff")));
  bool sketched = false;
  for (const auto& fix : doc["fixes"]) {
    if (fix["kind"] == "salting") {
      EXPECT_EQ(fix["safety"], "unsafe");
      EXPECT_EQ(fix["status"], "described");
      sketched = fix["sketch"].is_string() &&
                 CPythonParses(fix["sketch"].get<std::string>());
    }
  }
  EXPECT_TRUE(sketched) << json.out;
  auto colored = RunPrometheus({"fix", "--recommendations", recs.string(),
                                "--repo", repo, "--color", "always"});
  EXPECT_NE(colored.out.find("\x1b[32m+"), std::string::npos);
  auto plain = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos)
      << "not a terminal: no colour";
}

}  // namespace
}  // namespace prometheus::cli
