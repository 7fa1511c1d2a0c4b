#include "prometheus/loop/pr_text.h"

#include <gtest/gtest.h>

namespace prometheus::loop {
namespace {

TEST(PullRequestText, TheBodyHasEverythingAFixNeeds) {
  lake::StoredRecommendation r;
  r.recommendation_id = "f6f2095f175465efc8469e0915683600";
  r.rule = "missed_broadcast";
  r.severity = "high";
  r.message = "SortMergeJoin shuffles 45.8 MiB to join a 15.6 KiB side.";
  r.evidence = R"({"small_side_bytes": 16000, "join_type": "Inner|Left"})";
  r.impact_task_seconds = 12;
  r.impact_wall_seconds = 5.4;
  r.impact_basis = "shuffle time";
  JobKey job = NamedJob("missed_broadcast", "");
  Figures before{3, 70, 30.7, 0, 31'000'000, 2.0, "USD"};
  FixText fix{&r, "broadcast_hint right side", "safe", "missed_broadcast.py:16"};
  Marker marker{"fixes", job, {{"finding", 12}}, {r.recommendation_id}, 0};
  std::string body = PullRequestBody(job, before, {fix}, marker);
  for (const char* part : {"| 3 | 1m 10s | 30.7 s | 0 B | 29.6 MiB | 2.00 USD |",
                           "`missed_broadcast` (high), recommendation `f6f2095f175465efc8469e0915683600`",
                           "**Where:** `missed_broadcast.py:16`",
                           "about 12.0 s of task time and 5.4 s of wall time per run (shuffle time)",
                           "worth about 0.78 USD of the median run's 2.00",
                           "**Safety class:** safe", "recommend --disable missed_broadcast",
                           "| small_side_bytes | 16000 |", "| join_type | Inner\\|Left |",
                           "<!-- prometheus-loop "}) {
    EXPECT_NE(body.find(part), std::string::npos) << part << "\n" << body;
  }
  EXPECT_EQ(ReadMarker(body)->impact_by_finding, marker.impact_by_finding);
  std::string message = CommitMessage(fix, job);
  EXPECT_TRUE(message.starts_with("Prometheus: broadcast_hint right side\n\n")) << message;
  for (const char* part : {"Recommendation: f6f2095f175465efc8469e0915683600", "Rule: missed_broadcast (high)",
                           "Evidence: {\"small_side_bytes\"", "Expected impact: about 12.0 s", "Safety: safe"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << "\n" << message;
  }
}

TEST(PullRequestText, DeltaTableShowsChangeAndBand) {
  std::string table = DeltaTable({{"duration", 100, 80, 0.05, false}, {"spill", 1024, 2048, 0.1, true}}, 3, 4);
  EXPECT_NE(table.find("| metric | before (3 runs) | after (4 runs) |"), std::string::npos) << table;
  EXPECT_NE(table.find("| duration | 1m 40s | 1m 20s | -20.0% | ±5.0% |"), std::string::npos) << table;
  EXPECT_NE(table.find("| spill | 1.0 KiB | 2.0 KiB | +100.0% | ±10.0% |"), std::string::npos) << table;
}

}  // namespace
}  // namespace prometheus::loop
