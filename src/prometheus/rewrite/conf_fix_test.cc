// The conf fix: inserted after the session with its indentation, an
// existing setting changed in place, never twice, ambiguity refused.
#include "prometheus/rewrite/conf_fix.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

auto Conf(std::string key, std::string value) {
  return [=](const PythonSource& source) { return PlanConfFix(source, key, value); };
}

TEST(ConfFix, InsertsAfterAMultiLineSessionWithComments) {
  PythonSource source = Parsed(Corpus("daily_orders.py"));
  std::string after = ApplyAndCheck(source, Conf("spark.sql.adaptive.enabled", "true"));
  testing::ExpectGolden("daily_orders.conf.diff",
                        UnifiedDiff("daily_orders.py", source.text(), after));
}

TEST(ConfFix, ChangesAnExistingValueInPlaceAndKeepsItsComment) {
  PythonSource source = Parsed(Corpus("tuned_job.py"));
  std::string after = ApplyAndCheck(source, Conf("spark.sql.adaptive.enabled", "true"));
  testing::ExpectGolden("tuned_job.conf.diff", UnifiedDiff("tuned_job.py", source.text(), after));
}

TEST(ConfFix, NewLineInsideAFunctionUsesItsIndentationAndSessionName) {
  PythonSource source = Parsed(
      "def main():\n\tss = SparkSession.builder.getOrCreate()  # s\n\tss.range(3).show()\n");
  std::string after = ApplyAndCheck(source, Conf("k", "v"));
  EXPECT_EQ(after,
            "def main():\n\tss = SparkSession.builder.getOrCreate()  # s\n"
            "\tss.conf.set(\"k\", \"v\")\n\tss.range(3).show()\n");
}

TEST(ConfFix, KeepsCrlfAndHandlesAMissingFinalNewline) {
  PythonSource crlf = Parsed(Corpus("crlf_job.py"));
  std::string after = ApplyAndCheck(crlf, Conf("spark.sql.shuffle.partitions", "400"));
  EXPECT_NE(after.find("getOrCreate()\r\nspark.conf.set(\"spark.sql.shuffle.partitions\", "
                       "\"400\")\r\n\r\nevents"),
            std::string::npos);
  PythonSource last = Parsed("spark = SparkSession.builder.getOrCreate()");
  EXPECT_EQ(ApplyAndCheck(last, Conf("k", "v")),
            "spark = SparkSession.builder.getOrCreate()\nspark.conf.set(\"k\", \"v\")\n");
}

TEST(ConfFix, EscapesTheValue) {
  PythonSource source = Parsed("spark = SparkSession.builder.getOrCreate()\n");
  std::string after = ApplyAndCheck(source, Conf("k", "a\"b\\c"));
  EXPECT_NE(after.find(R"(spark.conf.set("k", "a\"b\\c"))"), std::string::npos) << after;
}

TEST(ConfFix, RefusesWithoutExactlyOnePlainSessionCreation) {
  auto none = PlanConfFix(Parsed("x = 1\n"), "k", "v");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no SparkSession"), std::string::npos);

  auto two = PlanConfFix(Parsed("a = SparkSession.builder.getOrCreate()\n"
                                "b = SparkSession.builder.getOrCreate()\n"),
                         "k", "v");
  ASSERT_FALSE(two.has_value());
  EXPECT_NE(two.error().message.find("ambiguous"), std::string::npos);

  // A setting after `return` would never run.
  auto returned = PlanConfFix(Parsed("def s():\n    return SparkSession.builder.getOrCreate()\n"),
                              "k", "v");
  ASSERT_FALSE(returned.has_value());
  EXPECT_NE(returned.error().message.find("return_statement"), std::string::npos);
}

TEST(ConfFix, RefusesAKeySetTwice) {
  PythonSource source = Parsed(
      "spark = SparkSession.builder.getOrCreate()\nspark.conf.set('k', 'a')\n"
      "if x:\n    spark.conf.set('k', 'b')\n");
  EXPECT_FALSE(PlanConfFix(source, "k", "c").has_value());
}

}  // namespace
}  // namespace prometheus::rewrite
