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

}  // namespace
}  // namespace prometheus::rewrite
