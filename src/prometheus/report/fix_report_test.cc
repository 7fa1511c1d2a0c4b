#include "prometheus/report/fix_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/testing/paths.h"

namespace prometheus::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Two of the demo's fixes carried out on testdata/pyspark: a broadcast hint
// (applied) and a salting sketch (described).
struct Fixed {
  rewrite::SourceTree tree{prometheus::testing::RepoPath("testdata/pyspark")};
  std::vector<FixResult> results;

  Fixed() {
    for (const char* record : {
             R"({"id": "5d1c0a5e7b3f4c2a", "rule": "missed_broadcast",
                 "fix": {"kind": "broadcast_hint", "table": "dim_country",
                         "call_site": {"file": "jobs/daily_orders.py", "line": 33}}})",
             R"({"id": "9f8e7d6c5b4a3928", "rule": "skew_bytes",
                 "fix": {"kind": "salting", "key": "customer_id", "buckets": 16,
                         "call_site": {"file": "jobs/skewed_aggregation.py", "line": 31}}})"}) {
      auto request = rewrite::ReadFixRequest(nlohmann::json::parse(record));
      EXPECT_TRUE(request) << request.error().message;
      if (request) results.push_back({*request, rewrite::RunFix(tree, request->fix)});
    }
  }
};

TEST(RenderFixSummary, ALinePerFixTheSketchIndentedThenTheCounts) {
  Fixed fixed;
  std::string text = RenderFixSummary(fixed.results, {"x.ipynb: not JSON"}, false);
  EXPECT_THAT(text, StartsWith("unreadable x.ipynb: not JSON; the file was not considered\n"
                               "applied 5d1c0a5e broadcast_hint dim_country: "));
  EXPECT_THAT(text, HasSubstr("\ndescribed 9f8e7d6c salting customer_id (unsafe): "));
  EXPECT_THAT(text, HasSubstr("\n    "));
  EXPECT_THAT(text, HasSubstr("\nfix: 1 applied, 0 already present, 1 described, 0 skipped "
                              "(dry run; --apply writes the files)\n"));
  EXPECT_TRUE(RenderFixSummary({}, {}, true).ends_with("0 skipped\n"));
}

TEST(RenderFixDiff, TheChangedFilesPlainOrColoured) {
  Fixed fixed;
  std::string plain = RenderFixDiff(fixed.tree, false);
  EXPECT_THAT(plain, HasSubstr("daily_orders.py"));
  EXPECT_THAT(plain, HasSubstr("broadcast("));
  EXPECT_THAT(plain, Not(HasSubstr("\033[")));
  EXPECT_THAT(RenderFixDiff(fixed.tree, true), HasSubstr("\033["));
}

TEST(RenderFixJson, CountsFixesAndFilesWithTheirDiffs) {
  Fixed fixed;
  auto doc = nlohmann::json::parse(RenderFixJson(fixed.results, fixed.tree, false));
  EXPECT_EQ(doc["applied"], false);
  EXPECT_EQ(doc["counts"]["applied"], 1);
  EXPECT_EQ(doc["counts"]["described"], 1);
  ASSERT_EQ(doc["fixes"].size(), 2u);
  EXPECT_EQ(doc["fixes"][0]["label"], "broadcast_hint dim_country");
  EXPECT_EQ(doc["fixes"][1]["safety"], "unsafe");
  EXPECT_FALSE(doc["fixes"][1]["sketch"].is_null());
  ASSERT_EQ(doc["files"].size(), 1u);
  EXPECT_EQ(doc["files"][0]["diff"], RenderFixDiff(fixed.tree, false));
  EXPECT_TRUE(doc["unreadable"].is_array());
}

}  // namespace
}  // namespace prometheus::report
