// The startup conf fix: `.config(key, value)` on the session builder before
// getOrCreate(), in every shape of builder chain; an existing builder
// setting changed in place; spark.conf.set of the key left alone and noted.
#include "prometheus/rewrite/builder_config_fix.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

auto Startup(std::string key, std::string value) {
  return [=](const PythonSource& source) {
    return PlanBuilderConfigFix(source, key, value);
  };
}

std::string Note(const Result<FixPlan>& plan) {
  return plan ? plan->note : "error: " + plan.error().message;
}

TEST(BuilderConfigFix, OneLineChainGetsTheConfigBeforeGetOrCreate) {
  PythonSource source = Parsed(
      "from pyspark.sql import SparkSession\n"
      "spark = SparkSession.builder.appName(\"a\").master(\"local[2]\")"
      ".getOrCreate()\n"
      "spark.range(3).show()\n");
  EXPECT_EQ(
      ApplyAndCheck(source, Startup("spark.dynamicAllocation.enabled", "true")),
      "from pyspark.sql import SparkSession\n"
      "spark = SparkSession.builder.appName(\"a\").master(\"local[2]\")"
      ".config(\"spark.dynamicAllocation.enabled\", \"true\").getOrCreate()\n"
      "spark.range(3).show()\n");
  EXPECT_EQ(
      Note(PlanBuilderConfigFix(source, "spark.dynamicAllocation.enabled",
                                "true")),
      "spark.dynamicAllocation.enabled set to true on the SparkSession builder "
      "before getOrCreate() (line 2): a startup setting, which Spark takes "
      "only when that call starts the session");
}

TEST(BuilderConfigFix, BareBuilderAndFullyQualifiedBuilder) {
  EXPECT_EQ(ApplyAndCheck(Parsed("spark = SparkSession.builder.getOrCreate()"),
                          Startup("k", "v")),
            "spark = SparkSession.builder.config(\"k\", \"v\").getOrCreate()");
  EXPECT_EQ(
      ApplyAndCheck(
          Parsed("import pyspark\n"
                 "s = pyspark.sql.SparkSession.builder.appName('x')"
                 ".getOrCreate()\n"),
          Startup("spark.executor.memory", "8g")),
      "import pyspark\n"
      "s = pyspark.sql.SparkSession.builder.appName('x')"
      ".config(\"spark.executor.memory\", \"8g\").getOrCreate()\n");
}

TEST(BuilderConfigFix, MultiLineChainInParenthesesGetsALineOfItsOwn) {
  PythonSource source = Parsed(Corpus("daily_orders.py"));
  std::string after =
      ApplyAndCheck(source, Startup("spark.dynamicAllocation.enabled", "true"));
  testing::ExpectGolden(
      "daily_orders.startup_conf.diff",
      UnifiedDiff("daily_orders.py", source.text(), after));
  EXPECT_NE(Note(PlanBuilderConfigFix(source, "spark.dynamicAllocation.enabled",
                                      "true"))
                .find("(line 16)"),
            std::string::npos);
}

TEST(BuilderConfigFix, BackslashContinuationsAreKept) {
  PythonSource source = Parsed(
      "def session():\n"
      "    return SparkSession.builder \\\n"
      "        .appName(\"nightly\") \\\n"
      "        .getOrCreate()\n");
  EXPECT_EQ(ApplyAndCheck(source, Startup("spark.executor.cores", "4")),
            "def session():\n"
            "    return SparkSession.builder \\\n"
            "        .appName(\"nightly\") \\\n"
            "        .config(\"spark.executor.cores\", \"4\") \\\n"
            "        .getOrCreate()\n");
}

TEST(BuilderConfigFix, KeepsCrlf) {
  PythonSource parenthesized =
      Parsed("spark = (\r\n    SparkSession.builder\r\n    .getOrCreate()\r\n)\r\n");
  EXPECT_EQ(ApplyAndCheck(parenthesized, Startup("k", "v")),
            "spark = (\r\n    SparkSession.builder\r\n"
            "    .config(\"k\", \"v\")\r\n    .getOrCreate()\r\n)\r\n");
  PythonSource continued =
      Parsed("spark = SparkSession.builder \\\r\n  .getOrCreate()\r\n");
  EXPECT_EQ(ApplyAndCheck(continued, Startup("k", "v")),
            "spark = SparkSession.builder \\\r\n  .config(\"k\", \"v\") "
            "\\\r\n  .getOrCreate()\r\n");
}

TEST(BuilderConfigFix, AnExistingBuilderConfigIsChangedInPlace) {
  PythonSource source = Parsed(
      "spark = (\n    SparkSession.builder.appName(\"a\")\n"
      "    .config(\"spark.executor.memory\", \"4g\")  # sized for May\n"
      "    .getOrCreate()\n)\n");
  EXPECT_EQ(ApplyAndCheck(source, Startup("spark.executor.memory", "8g")),
            "spark = (\n    SparkSession.builder.appName(\"a\")\n"
            "    .config(\"spark.executor.memory\", \"8g\")  # sized for May\n"
            "    .getOrCreate()\n)\n");
  auto present = PlanBuilderConfigFix(source, "spark.executor.memory", "4g");
  ASSERT_TRUE(present.has_value()) << present.error().message;
  EXPECT_TRUE(present->edits.empty());
  EXPECT_EQ(present->note,
            "spark.executor.memory is already 4g (line 3, builder .config)");

  PythonSource twice = Parsed(
      "spark = SparkSession.builder.config(\"k\", \"a\")"
      ".config(\"k\", \"b\").getOrCreate()\n");
  auto refused = PlanBuilderConfigFix(twice, "k", "c");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("set 2 times (lines 1, 1)"),
            std::string::npos)
      << refused.error().message;
}

TEST(BuilderConfigFix, ConfSetOfTheKeyIsLeftAloneAndNoted) {
  PythonSource source = Parsed(
      "spark = SparkSession.builder.getOrCreate()\n"
      "spark.conf.set(\"spark.dynamicAllocation.enabled\", \"false\")\n");
  std::string after =
      ApplyAndCheck(source, Startup("spark.dynamicAllocation.enabled", "true"));
  EXPECT_EQ(after,
            "spark = SparkSession.builder"
            ".config(\"spark.dynamicAllocation.enabled\", \"true\")"
            ".getOrCreate()\n"
            "spark.conf.set(\"spark.dynamicAllocation.enabled\", \"false\")\n");
  EXPECT_NE(Note(PlanBuilderConfigFix(source, "spark.dynamicAllocation.enabled",
                                      "true"))
                .find("spark.conf.set of it on line 2 is left alone: Spark "
                      "refuses a startup setting once the session runs, "
                      "remove it"),
            std::string::npos);
}

TEST(BuilderConfigFix, SqlSetOfTheKeyIsNoSetting) {
  PythonSource source = Parsed(
      "spark = SparkSession.builder.getOrCreate()\n"
      "spark.sql(\"SET spark.executor.memory=8g\")\n");
  auto plan = PlanBuilderConfigFix(source, "spark.executor.memory", "8g");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->edits.size(), 1u);
}

TEST(BuilderConfigFix, RefusesWithoutExactlyOneSessionCreation) {
  auto none = PlanBuilderConfigFix(Parsed("x = 1\n"), "k", "v");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no SparkSession"), std::string::npos);
  auto stopped = PlanBuilderConfigFix(
      Parsed("a = SparkSession.builder.getOrCreate()\n"
             "a.stop()\n"
             "b = SparkSession.builder.getOrCreate()\n"),
      "k", "v");
  ASSERT_FALSE(stopped.has_value());
  EXPECT_NE(stopped.error().message.find("ambiguous"), std::string::npos);
  auto conditional = PlanBuilderConfigFix(
      Parsed("if x:\n    a = SparkSession.builder.getOrCreate()\n"
             "b = SparkSession.builder.getOrCreate()\n"),
      "k", "v");
  ASSERT_FALSE(conditional.has_value());
  EXPECT_NE(conditional.error().message.find("ambiguous"), std::string::npos);
}

// Only the first getOrCreate() starts the session; a startup setting on a
// later builder would be ignored.
TEST(BuilderConfigFix, GoesOnTheFirstOfRepeatedModuleLevelCreations) {
  auto plan = PlanBuilderConfigFix(
      Parsed("a = SparkSession.builder.getOrCreate()\n"
             "b = SparkSession.builder.getOrCreate()\n"),
      "k", "v");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->edits.size(), 1u);
  EXPECT_LT(plan->edits[0].start, 40u);  // on line 1
  EXPECT_NE(plan->note.find("line 1"), std::string::npos) << plan->note;
}

}  // namespace
}  // namespace prometheus::rewrite
