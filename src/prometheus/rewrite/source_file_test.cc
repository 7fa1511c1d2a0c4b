// Edits of several fixes in one file: an edit that overlaps another fix's is
// refused in words, naming that fix and the line, not as byte ranges.
#include "prometheus/rewrite/source_file.h"

#include <gtest/gtest.h>

namespace prometheus::rewrite {
namespace {

TEST(SourceFile, AnOverlappingEditNamesTheFixItConflictsWith) {
  auto file = SourceFile::Load("jobs/a.py", "x = 1\ny = 200\n");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  ASSERT_TRUE((*file)->AddEdits({{{10, 13, "400"}}, {}}, "conf k=400"));
  // The same edit again is kept once, not a conflict.
  ASSERT_TRUE((*file)->AddEdits({{{10, 13, "400"}}, {}}, "conf k=400"));
  Status second = (*file)->AddEdits({{{10, 13, "800"}}, {}}, "conf k=800");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(second.error().message,
            "it changes the same code as conf k=400 at line 2, applied first: "
            "kept the first, skipped this one");
  EXPECT_EQ((*file)->text(), "x = 1\ny = 400\n");
  // An insertion inside the replaced range conflicts too; one beside it not.
  EXPECT_FALSE((*file)->AddEdits({{{11, 11, "0"}}, {}}, "other"));
  EXPECT_TRUE((*file)->AddEdits({{{13, 13, "0"}}, {}}, "other"));
  EXPECT_EQ((*file)->text(), "x = 1\ny = 4000\n");
}

// Two broadcast fixes of one spark.sql query in one run: one hint comment
// names both tables, and either fix again changes nothing.
TEST(SourceFile, TwoHintCommentsForOneQueryAreMerged) {
  std::string text =
      "spark.sql(\"SELECT * FROM f JOIN p ON 1=1 JOIN t ON 1=1\")\n";
  auto file = SourceFile::Load("jobs/a.py", text);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  uint32_t at = text.find("SELECT") + 6;
  for (std::string name : {"p", "t", "t"}) {
    ASSERT_TRUE((*file)->AddEdits(
        {{{at, at, " /*+ BROADCAST(" + name + ") */"}}, {}}, name));
  }
  EXPECT_EQ((*file)->text(),
            "spark.sql(\"SELECT /*+ BROADCAST(p), BROADCAST(t) */ * FROM f "
            "JOIN p ON 1=1 JOIN t ON 1=1\")\n");
}

}  // namespace
}  // namespace prometheus::rewrite
