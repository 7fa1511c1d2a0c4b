#include "prometheus/loop/marker.h"

#include <gtest/gtest.h>

namespace prometheus::loop {
namespace {

TEST(Marker, ReadsBackWhatItWrote) {
  Marker marker{"fixes", NamedJob("etl--nightly", "jobs/a--b.py"), {{"abc", 12.5}, {"def", 0}}, {"r1", "r2"}, 0};
  std::string body = "Some text\n" + WriteMarker(marker) + "\n";
  // An HTML comment cannot hold "--": the names keep theirs escaped.
  std::string inner = body.substr(body.find("<!--") + 4);
  inner = inner.substr(0, inner.find("-->"));
  EXPECT_EQ(inner.find("--"), std::string::npos) << inner;
  auto read = ReadMarker(body);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->kind, "fixes");
  EXPECT_EQ(read->job.app_name, "etl--nightly");
  EXPECT_EQ(read->job.entry_point, "jobs/a--b.py");
  EXPECT_EQ(read->job.slug, marker.job.slug);
  EXPECT_EQ(read->impact_by_finding, marker.impact_by_finding);
  EXPECT_EQ(read->recommendation_ids, marker.recommendation_ids);

  Marker revert{"revert", DatabricksJob(5), {}, {}, 12};
  auto back = ReadMarker(WriteMarker(revert));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, "revert");
  EXPECT_EQ(back->job.job_id, 5);
  EXPECT_EQ(back->reverts, 12);
}

TEST(Marker, AFindingIsTheRuleAndTheFixWhateverTheRun) {
  EXPECT_EQ(FindingId("missed_broadcast", R"({"kind":"broadcast_hint","table":"t"})"),
            FindingId("missed_broadcast", R"({ "table": "t", "kind": "broadcast_hint" })"));
  EXPECT_NE(FindingId("missed_broadcast", R"({"kind":"broadcast_hint","table":"t"})"),
            FindingId("missed_broadcast", R"({"kind":"broadcast_hint","table":"u"})"));
  EXPECT_NE(FindingId("a", "{}"), FindingId("b", "{}"));
}

TEST(Marker, ABodyWithoutOneIsNotPrometheus) {
  EXPECT_FALSE(ReadMarker("A human's pull request"));
  EXPECT_FALSE(ReadMarker("<!-- prometheus-loop {not json} -->"));
  EXPECT_TRUE(HasCommentTag(CommentTag("verdict") + "\nbody", "verdict"));
  EXPECT_FALSE(HasCommentTag(CommentTag("waiting 1/0"), "waiting 1/1"));
}

}  // namespace
}  // namespace prometheus::loop
