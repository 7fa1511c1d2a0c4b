// UnifiedDiff: the format `diff -u` prints, checked against `git apply`.
#include "prometheus/rewrite/unified_diff.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

TEST(UnifiedDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(UnifiedDiff("f.py", "a\n", "a\n"), "");
}

TEST(UnifiedDiff, OneInsertedLineWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  std::string after = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n";
  EXPECT_EQ(UnifiedDiff("jobs/f.py", before, after),
            "--- a/jobs/f.py\n+++ b/jobs/f.py\n@@ -2,6 +2,7 @@\n 2\n 3\n "
            "4\n+new\n 5\n 6\n 7\n");
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string diff = UnifiedDiff("f.py", before, after);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n"), std::string::npos)
      << diff;
  EXPECT_NE(diff.find("@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n"),
            std::string::npos)
      << diff;
}

TEST(UnifiedDiff, KeepsCrlfAndMarksAMissingFinalNewline) {
  std::string diff = UnifiedDiff("f.py", "a\r\nb", "a\r\nb\r\nc\r\n");
  EXPECT_EQ(diff,
            "--- a/f.py\n+++ b/f.py\n@@ -1,2 +1,3 @@\n a\r\n-b\n\\ No newline "
            "at end of file\n"
            "+b\r\n+c\r\n");
}

TEST(UnifiedDiff, GitAppliesItToTheOldText) {
  std::string before = testing::Corpus("daily_orders.py");
  std::string after = before;
  after.replace(after.find("small.alias"), 5, "broadcast(small)");
  after.insert(0, "# header\n");
  after += "print('done')\n";
  prometheus::testing::TempDir dir;
  dir.Write("job.py", before);
  auto patch = dir.Write("job.patch", UnifiedDiff("job.py", before, after));
  std::string command =
      "cd '" + dir.path().string() + "' && git apply job.patch 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(testing::ReadBytes((dir.path() / "job.py").string()), after);
}

TEST(ColorDiff, ColoursEachKindOfLineAndKeepsLineEndingsOutsideTheColour) {
  std::string diff =
      UnifiedDiff("a.py", "x = 1\r\ny = 2\r\n", "x = 1\r\ny = 3\r\n");
  std::string colored = ColorDiff(diff);
  EXPECT_NE(colored.find("\x1b[1m--- a/a.py\x1b[m\n"), std::string::npos)
      << colored;
  EXPECT_NE(colored.find("\x1b[36m@@ -1,2 +1,2 @@\x1b[m\n"), std::string::npos)
      << colored;
  EXPECT_NE(colored.find(" x = 1\r\n"), std::string::npos)
      << "context is not coloured";
  EXPECT_NE(colored.find("\x1b[31m-y = 2\x1b[m\r\n"), std::string::npos)
      << colored;
  EXPECT_NE(colored.find("\x1b[32m+y = 3\x1b[m\r\n"), std::string::npos)
      << colored;
  std::string stripped;
  for (size_t i = 0; i < colored.size(); ++i) {
    if (colored[i] == '\x1b') {
      i = colored.find('m', i);
      continue;
    }
    stripped += colored[i];
  }
  EXPECT_EQ(stripped, diff);
}

}  // namespace
}  // namespace prometheus::rewrite
