// A fix run parses only the files a fix can be about: a file that mentions
// neither the fix's table or path nor a SparkSession is read for a text test
// and never parsed (a broken one would otherwise be named unreadable).
#include "prometheus/rewrite/fix_runner.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

using prometheus::rewrite::testing::Corpus;
using prometheus::testing::TempDir;

// Text tree-sitter is never given: a bare carriage return fails the load.
constexpr const char* kUnparseable = "x = 1\ry = 2\n";

TEST(FixRunner, FilesNoFixConcernsAreNeverParsed) {
  TempDir tmp;
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  tmp.Write("repo/lib/unrelated.py", kUnparseable);
  tmp.Write("repo/lib/mentions.py", std::string("# DIM_COUNTRY\n") + kUnparseable);
  SourceTree tree(tmp.path() / "repo");

  fix::Fix conf;
  conf.kind = fix::Conf{"spark.sql.adaptive.enabled", "true"};
  FixOutcome set = RunFix(tree, conf);
  EXPECT_EQ(set.status, FixStatus::kApplied) << set.note;
  EXPECT_TRUE(tree.unreadable().empty());

  fix::Fix hint;
  hint.kind = fix::BroadcastHint{"dim_country", std::nullopt, {}};
  FixOutcome hinted = RunFix(tree, hint);
  EXPECT_EQ(hinted.status, FixStatus::kApplied) << hinted.note;
  // The file that names the table (case aside) was parsed, and failed.
  ASSERT_EQ(tree.unreadable().size(), 1u);
  EXPECT_NE(tree.unreadable()[0].find("lib/mentions.py"), std::string::npos)
      << tree.unreadable()[0];
}

// The shape of scenarios/: a factory builds the session from a variable
// (no `SparkSession.builder...getOrCreate()` chain to anchor on), and the
// job hands its settings to it in a dict.
constexpr const char* kFactory =
    "from pyspark.sql import SparkSession\n"
    "def session(name, **conf):\n"
    "    builder = SparkSession.builder.appName(name)\n"
    "    for key, value in conf.items():\n"
    "        builder = builder.config(key, value)\n"
    "    return builder.getOrCreate()\n";

TEST(FixRunner, ASettingTheJobHandsToASessionFactoryIsChangedInPlace) {
  TempDir tmp;
  tmp.Write("repo/common.py", kFactory);
  tmp.Write("repo/job.py",
            "from common import session\n"
            "spark = session('job', **{'spark.memory.fraction': '0.1',\n"
            "                          'spark.sql.shuffle.partitions': '4'})\n");
  SourceTree tree(tmp.path() / "repo");
  for (auto [key, value] : {std::pair{"spark.sql.shuffle.partitions", "8"},
                            std::pair{"spark.memory.fraction", "0.3"}}) {
    fix::Fix conf;
    conf.kind = fix::Conf{key, value};
    FixOutcome set = RunFix(tree, conf);
    EXPECT_EQ(set.status, FixStatus::kApplied) << set.note;
    EXPECT_EQ(set.file, "job.py");
    EXPECT_NE(set.note.find("dict entry"), std::string::npos) << set.note;
  }
  ASSERT_EQ(tree.Changed().size(), 1u);
  EXPECT_EQ(tree.Changed()[0]->text(),
            "from common import session\n"
            "spark = session('job', **{'spark.memory.fraction': \"0.3\",\n"
            "                          'spark.sql.shuffle.partitions': \"8\"})\n");

  // Set in two places: which one applies depends on the flow.
  tmp.Write("repo/other.py", "CONF = {'spark.sql.shuffle.partitions': '2'}\n");
  SourceTree two(tmp.path() / "repo");
  fix::Fix conf;
  conf.kind = fix::Conf{"spark.sql.shuffle.partitions", "8"};
  FixOutcome refused = RunFix(two, conf);
  EXPECT_EQ(refused.status, FixStatus::kSkipped);
  EXPECT_NE(refused.note.find("set in 2 places (job.py:3, other.py:1)"),
            std::string::npos)
      << refused.note;
}

// Two jobs in one repository, each creating its session: a setting from
// one job's log goes in that job's file, found by the log's entry point,
// by a call site, or through the module the entry point imports.
constexpr const char* kSession =
    "from pyspark.sql import SparkSession\n"
    "spark = SparkSession.builder.getOrCreate()\n";

fix::Fix ShufflePartitions() {
  fix::Fix conf;
  conf.kind = fix::Conf{"spark.sql.shuffle.partitions", "64"};
  return conf;
}

TEST(FixRunner, ASettingGoesInTheFileOfTheJobTheLogNames) {
  TempDir tmp;
  tmp.Write("repo/jobs/daily.py", kSession);
  tmp.Write("repo/jobs/weekly.py", kSession);
  SourceTree tree(tmp.path() / "repo");

  FixOutcome unanchored = RunFix(tree, ShufflePartitions());
  EXPECT_EQ(unanchored.status, FixStatus::kSkipped);
  EXPECT_NE(unanchored.note.find("names none of them"), std::string::npos)
      << unanchored.note;
  EXPECT_NE(unanchored.note.find("jobs/weekly.py"), std::string::npos);

  FixOutcome by_entry = RunFix(tree, ShufflePartitions(),
                               {"/opt/run/jobs/weekly.py", {}});
  ASSERT_EQ(by_entry.status, FixStatus::kApplied) << by_entry.note;
  EXPECT_EQ(by_entry.file, "jobs/weekly.py");

  FixOutcome by_site =
      RunFix(tree, ShufflePartitions(), {"", {{"/opt/run/jobs/daily.py", 2}}});
  ASSERT_EQ(by_site.status, FixStatus::kApplied) << by_site.note;
  EXPECT_EQ(by_site.file, "jobs/daily.py");

  FixOutcome elsewhere =
      RunFix(tree, ShufflePartitions(), {"/opt/run/other/monthly.py", {}});
  EXPECT_EQ(elsewhere.status, FixStatus::kSkipped);
  EXPECT_NE(elsewhere.note.find("names none of them"), std::string::npos)
      << elsewhere.note;
}

TEST(FixRunner, ASettingGoesInTheSessionModuleTheJobImports) {
  TempDir tmp;
  tmp.Write("repo/shared/spark_utils.py", kSession);
  tmp.Write("repo/legacy/old_session.py", kSession);
  tmp.Write("repo/etl/job.py",
            "from shared.spark_utils import spark\n"
            "spark.range(3).count()\n");
  SourceTree tree(tmp.path() / "repo");

  FixOutcome outcome =
      RunFix(tree, ShufflePartitions(), {"/dbfs/code/etl/job.py", {}});
  ASSERT_EQ(outcome.status, FixStatus::kApplied) << outcome.note;
  EXPECT_EQ(outcome.file, "shared/spark_utils.py");
}

// A Databricks call site (`command-<id>:<line>`) names a line of a cell of
// any notebook: the same join at that line of two notebooks is told apart
// by the job's notebook path (scope.entry_point).
TEST(FixRunner, TheJobsNotebookTellsIdenticalJoinsOfTwoNotebooksApart) {
  constexpr const char* kNotebook =
      "# Databricks notebook source\n"
      "races = spark.read.parquet(\"/mnt/raw/races\")\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "joined = circuits.join(races, \"circuit_id\")\n";
  TempDir tmp;
  tmp.Write("repo/demo/joins_demo.py", kNotebook);
  tmp.Write("repo/trans/race_results.py", kNotebook);
  SourceTree tree(tmp.path() / "repo");
  fix::Fix hint;
  hint.kind = fix::BroadcastHint{std::nullopt, "dbfs:/mnt/raw/races/", {}};
  hint.call_site = fix::CallSite{"command-1269708336389025", 1};

  FixOutcome unanchored = RunFix(tree, hint);
  EXPECT_EQ(unanchored.status, FixStatus::kSkipped);
  EXPECT_NE(unanchored.note.find("2 places fit"), std::string::npos)
      << unanchored.note;

  FixOutcome own = RunFix(tree, hint, {"/Repos/u/proj/trans/race_results", {}});
  ASSERT_EQ(own.status, FixStatus::kApplied) << own.note;
  EXPECT_EQ(own.file, "trans/race_results.py");
  EXPECT_NE(own.note.find("the one in the job's file"), std::string::npos)
      << own.note;
}

// Cells that differ only in the join's type: the plan's join type (the
// fix's join_type) tells them apart; without it they are ambiguous.
TEST(FixRunner, ThePlansJoinTypeTellsJoinsThatFitAlikeApart) {
  TempDir tmp;
  tmp.Write("repo/joins.py",
            "# Databricks notebook source\n"
            "races = spark.read.parquet(f\"{processed}/races\")\n"
            "\n"
            "# COMMAND ----------\n"
            "\n"
            "inner = circuits.join(races, \"circuit_id\", \"inner\")\n"
            "\n"
            "# COMMAND ----------\n"
            "\n"
            "semi = circuits.join(races, \"circuit_id\", \"semi\")\n");
  SourceTree tree(tmp.path() / "repo");
  fix::Fix hint;
  fix::BroadcastHint races{std::nullopt, "dbfs:/mnt/raw/races", {"circuit_id"}};
  races.side = fix::JoinSide::kRight;
  hint.kind = races;
  hint.call_site = fix::CallSite{"command-42", 1};
  FixOutcome untyped = RunFix(tree, hint);
  EXPECT_EQ(untyped.status, FixStatus::kSkipped);
  EXPECT_NE(untyped.note.find("ambiguous"), std::string::npos)
      << untyped.note;

  races.join_type = "LeftSemi";
  hint.kind = races;
  FixOutcome typed = RunFix(tree, hint);
  ASSERT_EQ(typed.status, FixStatus::kApplied) << typed.note;
  EXPECT_EQ(typed.line, 10u);
  EXPECT_NE(typed.note.find("left semi join"), std::string::npos)
      << typed.note;
}

TEST(FixRunner, ACacheFixNoFileNamesSaysSo) {
  TempDir tmp;
  tmp.Write("repo/job.py",
            "events = spark.read.csv(path)\nevents.count()\nevents.count()\n");
  SourceTree tree(tmp.path() / "repo");
  fix::Fix cache;
  cache.kind = fix::Cache{std::nullopt, "file:/scratch/events.csv"};
  FixOutcome outcome = RunFix(tree, cache);
  EXPECT_EQ(outcome.status, FixStatus::kSkipped);
  EXPECT_EQ(outcome.note,
            "the log names no call site, and no file names path "
            "file:/scratch/events.csv");
}

}  // namespace
}  // namespace prometheus::rewrite
