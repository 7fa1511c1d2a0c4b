// `prometheus fix` end to end for settings Spark takes only at startup
// (issue 10 item 9): never spark.conf.set; on the builder when the job
// creates its session, described with where to set them when it does not.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "prometheus/cli/fix_testing.h"
#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using nlohmann::json;
using prometheus::rewrite::testing::Corpus;
using prometheus::rewrite::testing::CPythonParses;
using prometheus::rewrite::testing::ReadBytes;
using testing::RunPrometheus;
using testing::TempDir;

// What the Oracle says for an application without dynamic allocation and
// with dropped listener events, and a runtime SQL setting; the first record
// was stored before `applies` existed.
constexpr const char* kSettings = R"({"recommendations": [
  {"id": "d1d1d1d1", "rule": "dynamic_allocation",
   "fix": {"kind": "conf", "key": "spark.dynamicAllocation.enabled", "value": "true"}},
  {"id": "e2e2e2e2", "rule": "log_data_quality",
   "fix": {"kind": "conf", "key": "spark.scheduler.listenerbus.eventqueue.capacity",
           "value": "30000", "applies": "startup"}},
  {"id": "f3f3f3f3", "rule": "aqe_disabled",
   "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true",
           "applies": "runtime"}}]})";

std::string NotebookFixture(const std::string& name) {
  return ReadBytes(prometheus::testing::RepoPath("testdata/notebooks/" + name));
}

// A dry run of kSettings with `--format json` on a repository of `files`
// (path, text): its report, and its fixes by id.
struct DryRun {
  json report;
  std::map<std::string, json> by_id;
};

DryRun FixSettingsIn(
    const std::vector<std::pair<std::string, std::string>>& files) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kSettings);
  for (const auto& [path, text] : files) tmp.Write("repo/" + path, text);
  auto run = RunPrometheus({"fix", "--recommendations", recs.string(),
                            "--repo", (tmp.path() / "repo").string(),
                            "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  DryRun dry{run.exit_code == 0 ? json::parse(run.out) : json::object(), {}};
  for (const auto& fix : dry.report["fixes"]) dry.by_id[fix["id"]] = fix;
  return dry;
}

TEST(FixSettings, StartupSettingsGoOnTheBuilderRuntimeOnesAfterTheSession) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kSettings);
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();

  auto diff = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("     # keep the default parallelism here\n"
                          "+    .config(\"spark.dynamicAllocation.enabled\", "
                          "\"true\")\n"
                          "+    .config(\"spark.scheduler.listenerbus."
                          "eventqueue.capacity\", \"30000\")\n"
                          "     .getOrCreate()\n"),
            std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find(
                "+spark.conf.set(\"spark.sql.adaptive.enabled\", \"true\")\n"),
            std::string::npos)
      << diff.out;
  EXPECT_EQ(diff.out.find("spark.conf.set(\"spark.dynamicAllocation"),
            std::string::npos);
  EXPECT_EQ(diff.out.find("spark.conf.set(\"spark.scheduler"),
            std::string::npos);
  EXPECT_NE(diff.err.find("applied d1d1d1d1 conf "
                          "spark.dynamicAllocation.enabled=true: "
                          "jobs/daily_orders.py: spark.dynamicAllocation."
                          "enabled set to true on the SparkSession builder"),
            std::string::npos)
      << diff.err;
  EXPECT_NE(diff.err.find(
                "fix: 3 applied, 0 already present, 0 described, 0 skipped"),
            std::string::npos)
      << diff.err;

  auto apply = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_TRUE(CPythonParses(ReadBytes(repo + "/jobs/daily_orders.py")));
  testing::ExpectNothingLeftToDo(
      recs, repo, "fix: 0 applied, 3 already present, 0 described, 0 skipped");
}

TEST(FixSettings, AConfSetOfAStartupSettingIsLeftAloneAndNoted) {
  auto [report, by_id] = FixSettingsIn({
      {"job.py",
       "from pyspark.sql import SparkSession\n"
       "spark = SparkSession.builder.appName(\"job\").getOrCreate()\n"
       "spark.conf.set(\"spark.dynamicAllocation.enabled\", \"false\")\n"}});
  EXPECT_EQ(by_id["d1d1d1d1"]["status"], "applied");
  EXPECT_NE(by_id["d1d1d1d1"]["note"].get<std::string>().find(
                "spark.conf.set of it on line 3 is left alone"),
            std::string::npos)
      << by_id["d1d1d1d1"];
}

TEST(FixSettings, ANotebookGivenItsSessionGetsTheStartupOnesDescribed) {
  auto [report, by_id] = FixSettingsIn(
      {{"notebooks/segment_revenue.py", NotebookFixture("segment_revenue.py")}});
  for (const char* id : {"d1d1d1d1", "e2e2e2e2"}) {
    const json& fix = by_id[id];
    EXPECT_EQ(fix["status"], "described") << fix;
    EXPECT_EQ(fix["file"], "notebooks/segment_revenue.py") << fix;
    std::string note = fix["note"];
    EXPECT_NE(note.find("is a startup setting, which Spark refuses in "
                        "spark.conf.set or SQL SET once the session runs, and "
                        "notebooks/segment_revenue.py is given its session: "
                        "set it in the cluster's Spark config"),
              std::string::npos)
        << note;
  }
  EXPECT_NE(by_id["d1d1d1d1"]["note"].get<std::string>().find(
                "\"spark.dynamicAllocation.enabled true\""),
            std::string::npos);
  EXPECT_EQ(by_id["f3f3f3f3"]["status"], "applied") << by_id["f3f3f3f3"];
  std::string diff = report["files"][0]["diff"];
  EXPECT_NE(diff.find("+spark.conf.set(\"spark.sql.adaptive.enabled\""),
            std::string::npos)
      << diff;
  EXPECT_EQ(diff.find("dynamicAllocation"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("listenerbus"), std::string::npos) << diff;
}

TEST(FixSettings, ADatabricksNotebooksBuilderIsNoPlaceForAStartupSetting) {
  // On a cluster, getOrCreate() returns the session that runs: a startup
  // setting on its builder would be ignored.
  auto [report, by_id] = FixSettingsIn({
      {"nb.py",
       "# Databricks notebook source\n"
       "from pyspark.sql import SparkSession\n"
       "spark = SparkSession.builder.getOrCreate()\n"
       "\n"
       "# COMMAND ----------\n"
       "\n"
       "display(spark.range(3))\n"}});
  EXPECT_EQ(by_id["d1d1d1d1"]["status"], "described") << by_id["d1d1d1d1"];
  EXPECT_NE(by_id["d1d1d1d1"]["note"].get<std::string>().find(
                "nb.py is given its session: set it in the cluster's Spark "
                "config"),
            std::string::npos)
      << by_id["d1d1d1d1"];
  EXPECT_EQ(by_id["f3f3f3f3"]["status"], "applied") << by_id["f3f3f3f3"];
  EXPECT_NE(by_id["f3f3f3f3"]["note"].get<std::string>().find(
                "after the SparkSession"),
            std::string::npos)
      << by_id["f3f3f3f3"];
}

TEST(FixSettings, AJupyterNotebookGivenSparkSaysWhereTheKernelStartsIt) {
  auto [report, by_id] = FixSettingsIn({
      {"explore.ipynb",
       R"j({
 "cells": [
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
   "source": ["df = spark.range(10)\n", "df.count()"]}
 ],
 "metadata": {"kernelspec": {"display_name": "PySpark", "language": "python", "name": "pyspark"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
)j"}});
  EXPECT_EQ(by_id["d1d1d1d1"]["status"], "described");
  EXPECT_NE(by_id["d1d1d1d1"]["note"].get<std::string>().find(
                "--conf spark.dynamicAllocation.enabled=true in "
                "PYSPARK_SUBMIT_ARGS"),
            std::string::npos)
      << by_id["d1d1d1d1"];
  EXPECT_EQ(by_id["f3f3f3f3"]["status"], "applied") << by_id["f3f3f3f3"];
}

TEST(FixSettings, WithoutAnyPythonTheStartupOnesStillSayWhereTheyGo) {
  auto [report, by_id] = FixSettingsIn({{"README.md", "a Scala job\n"}});
  EXPECT_EQ(by_id["e2e2e2e2"]["status"], "described");
  EXPECT_NE(by_id["e2e2e2e2"]["note"].get<std::string>().find(
                "no file creates the session: set it in the job's Spark "
                "config: spark-submit --conf "
                "spark.scheduler.listenerbus.eventqueue.capacity=30000"),
            std::string::npos)
      << by_id["e2e2e2e2"];
  EXPECT_EQ(by_id["f3f3f3f3"]["status"], "skipped");
}

}  // namespace
}  // namespace prometheus::cli
