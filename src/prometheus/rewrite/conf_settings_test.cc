// Where a file creates its session and sets a key: SQL SET statements,
// the three forms of a setting, the one session creation.
#include "prometheus/rewrite/conf_settings.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Parsed;

TEST(ConfSettings, FindSqlSetsReadsStatementsAndLines) {
  auto sets = FindSqlSets(
      "-- tune\nset k = 1;\nSELECT 'SET k=2';\n  SET  k=\"3\" ;SET kk=4; SET k",
      "k");
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].value, "1");
  EXPECT_EQ(sets[0].line, 1u);
  EXPECT_EQ(sets[1].value, "\"3\"");
  EXPECT_EQ(sets[1].line, 3u);
  EXPECT_TRUE(SqlSetSays(sets[1].value, "3"));
  EXPECT_FALSE(SqlSetSays(sets[0].value, "2"));
}

TEST(ConfSettings, FindSqlSetsIgnoresSemicolonsInStringsAndComments) {
  EXPECT_TRUE(FindSqlSets("SELECT 'a;SET k=9' AS s", "k").empty());
  EXPECT_TRUE(FindSqlSets("SELECT 1 /* ; SET k=9 */", "k").empty());
  auto sets = FindSqlSets("/* ; */ SET spark.sql.x = 'on;off'", "spark.sql.x");
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].value, "'on;off'");
}

TEST(ConfSettings, FindsTheThreeFormsInDocumentOrder) {
  PythonSource source = Parsed(
      "spark = (SparkSession.builder\n"
      "    .config(\"k\", \"a\")\n"
      "    .getOrCreate())\n"
      "spark.conf.set(\"k\", 2)\n"
      "other.config(\"k\", \"not a builder\")\n"
      "spark.sql(\"\"\"SELECT 1;\n  SET k = 3\"\"\")\n");
  auto settings = FindConfSettings(source, "k");
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings[0].kind, ConfSetting::kBuilderConfig);
  EXPECT_EQ(source.Text(settings[0].value), "\"a\"");
  EXPECT_EQ(settings[1].kind, ConfSetting::kConfSet);
  EXPECT_EQ(source.Text(settings[1].value), "2");
  EXPECT_EQ(settings[2].kind, ConfSetting::kSqlSet);
  EXPECT_EQ(settings[2].sql_value, "3");
  EXPECT_EQ(ConfSettingLines(source, "k"), (std::vector<uint32_t>{2, 4, 7}));
  EXPECT_TRUE(FindConfSettings(source, "kk").empty());
}

TEST(ConfSettings, TheOneSessionCreation) {
  auto one = TheSessionCreation(
      Parsed("def f():\n    return SparkSession.builder.getOrCreate()\n"));
  ASSERT_TRUE(one.has_value()) << one.error().message;
  EXPECT_EQ(ts_node_start_point(*one).row, 1u);
  EXPECT_FALSE(TheSessionCreation(Parsed("spark = make_session()\n")).has_value());
  EXPECT_FALSE(CreatesSparkSession(Parsed("spark = make_session()\n")));
}

TEST(ConfSettings, SetTooOftenSortsTheLines) {
  auto error = SetTooOften("k", {9, 3});
  EXPECT_EQ(error.error().message,
            "k is set 2 times (lines 3, 9); which one applies depends on the "
            "flow, so nothing changes");
}

}  // namespace
}  // namespace prometheus::rewrite
