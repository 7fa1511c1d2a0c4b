// Names and paths as code builds them, against the concrete ones a plan
// prints (issue 12: "names that are built, not written", "paths as the plan
// prints them").
#include "prometheus/rewrite/name_pattern.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Parsed;

// The pattern of the value assigned to `x` on the last line of `code`.
std::optional<TextPattern> PatternOfLast(const PythonSource& source) {
  TSNode last{};
  Walk(source.root(), [&](TSNode node) {
    if (IsType(node, "assignment")) last = Field(node, "right");
    return true;
  });
  return PatternOf(source, last);
}

bool Table(std::string code, std::string_view concrete) {
  PythonSource source = Parsed(code);
  auto pattern = PatternOfLast(source);
  return pattern && TableMatches(*pattern, concrete);
}

bool Path(std::string code, std::string_view concrete) {
  PythonSource source = Parsed(code);
  auto pattern = PatternOfLast(source);
  return pattern && PathMatches(*pattern, concrete);
}

TEST(NamePattern, TemplatesMatchATableByTheirLiteralParts) {
  constexpr std::string_view kDim = "main.silver.dim_date";
  EXPECT_TRUE(Table("x = f\"{catalog}.{schema}.dim_date\"\n", kDim));
  EXPECT_TRUE(Table("x = \"{}.{}\".format(db, \"dim_date\")\n", kDim));
  EXPECT_TRUE(Table("x = \"{db}.dim_date\".format(db=d)\n", kDim));
  EXPECT_TRUE(Table("x = schema + \".dim_date\"\n", kDim));
  EXPECT_TRUE(Table("x = f\"`{catalog}`.silver.`DIM_DATE`\"\n", kDim));
  // A constant assigned once resolves; one assigned twice is a hole.
  EXPECT_TRUE(Table("T = 'dim_date'\nx = f\"{db}.{T}\"\n", kDim));
  EXPECT_FALSE(Table("T = 'a'\nT = 'dim_date'\nx = f\"{db}.{T}\"\n", kDim));
  // The last component must be written out whole.
  EXPECT_FALSE(Table("x = f\"{schema}.dim_{suffix}\"\n", kDim));
  EXPECT_FALSE(Table("x = f\"{catalog}.{schema}.{table}\"\n", kDim));
  EXPECT_FALSE(Table("x = f\"{catalog}.{schema}.dim_dates\"\n", kDim));
  EXPECT_FALSE(Table("x = f\"{catalog}.gold.dim_date\"\n", kDim));
}

TEST(NamePattern, PathsAreNormalisedAsThePlanPrintsThem) {
  EXPECT_EQ(NormalisedPath("dbfs:/mnt/raw/races/"), "/mnt/raw/races");
  EXPECT_EQ(NormalisedPath("/dbfs/mnt/raw/races"), "/mnt/raw/races");
  EXPECT_EQ(NormalisedPath("file:/C:/Users/u/data/x.csv"), "/Users/u/data/x.csv");
  EXPECT_EQ(NormalisedPath("C:\\Users\\u\\data\\x.csv"), "/Users/u/data/x.csv");
  EXPECT_EQ(NormalisedPath("abfss://c@a.dfs.core.windows.net/x/y"), "/x/y");
  EXPECT_EQ(NormalisedPath("s3a://bucket/events/*/*.json"), "/events");
  EXPECT_EQ(NormalisedPath("./data//zones/"), "data/zones");
}

TEST(NamePattern, PathsMatchByTheirComponentsFromTheEnd) {
  EXPECT_TRUE(Path("x = '/mnt/raw/races'\n", "dbfs:/mnt/raw/races"));
  EXPECT_TRUE(Path("x = '/dbfs/mnt/raw/races/'\n", "dbfs:/mnt/raw/races"));
  EXPECT_TRUE(Path("x = 'data/zones'\n", "file:/home/u/proj/data/zones"));
  EXPECT_TRUE(Path("x = f\"{raw_folder_path}/races\"\n", "dbfs:/mnt/raw/races"));
  EXPECT_TRUE(Path("x = r\"C:\\Users\\u\\data\\zones\"\n",
                   "file:/C:/Users/u/data/zones"));
  EXPECT_TRUE(Path("x = \"C:\\\\Users\\\\u\\\\zones\"\n", "file:/C:/Users/u/zones"));
  EXPECT_TRUE(Path("ROOT = '/mnt/raw'\nx = ROOT + '/races'\n", "dbfs:/mnt/raw/races"));
  EXPECT_TRUE(Path("x = os.path.join(scratch('job'), 'events.csv')\n",
                   "file:/tmp/job/events.csv"));
  EXPECT_TRUE(Path("x = os.path.join('/data', 'x', '/mnt/raw', 'races')\n",
                   "dbfs:/mnt/raw/races"));
  EXPECT_FALSE(Path("x = os.path.join(root, name)\n", "file:/tmp/events.csv"));
  // An absolute literal is the whole location; a component is whole.
  EXPECT_FALSE(Path("x = '/raw/races'\n", "dbfs:/mnt/raw/races"));
  EXPECT_FALSE(Path("x = 'aces'\n", "dbfs:/mnt/raw/races"));
  EXPECT_FALSE(Path("x = f\"{root}/races\"\n", "dbfs:/mnt/raw/circuits"));
  EXPECT_FALSE(Path("x = f\"{root}/{name}\"\n", "dbfs:/mnt/raw/races"));
  EXPECT_FALSE(Path("x = b'/mnt/raw/races'\n", "dbfs:/mnt/raw/races"));
}

}  // namespace
}  // namespace prometheus::rewrite
