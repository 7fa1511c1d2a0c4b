#include "prometheus/report/lake_report.h"

#include <gtest/gtest.h>

namespace prometheus::report {
namespace {

pipeline::ObserveBatch Batch() {
  pipeline::ObserveBatch batch;
  batch.logs_found = 7;
  batch.logs_unchanged = 2;
  batch.logs_analysed = 5;
  batch.applications_read = 5;
  batch.warnings = {"a.log: compacted"};
  return batch;
}

lake::IngestStats Stats() {
  return {.appended = 3, .replaced = 1, .unchanged = 1, .commits = 2, .conflicts = 0};
}

TEST(RenderObserveText, TwoLinesAndSinceOnlyWhenItDroppedSome) {
  pipeline::ObserveBatch batch = Batch();
  EXPECT_EQ(RenderObserveText("lake", batch, Stats()),
            "lake: 7 log(s) found, 2 unchanged since the last observe, 5 analysed\n"
            "  3 application attempt(s) appended, 1 replaced (were in progress), 1 "
            "already stored\n");
  batch.applications_before_since = 4;
  EXPECT_TRUE(RenderObserveText("lake", batch, Stats())
                  .ends_with("1 already stored, 4 started before --since\n"));
}

TEST(RenderObserveText, SaysWhatWasSkippedAndWhatWasCleanedUp) {
  pipeline::ObserveBatch batch = Batch();
  batch.paths_skipped = 2;
  lake::IngestStats stats = Stats();
  stats.orphans_removed = 3;
  stats.orphan_bytes_removed = 4096;
  EXPECT_EQ(RenderObserveText("lake", batch, stats),
            "lake: 7 log(s) found, 2 unchanged since the last observe, 5 analysed; 2 "
            "unreadable folder(s) or log(s) skipped (see the warnings)\n"
            "  3 application attempt(s) appended, 1 replaced (were in progress), 1 "
            "already stored\n"
            "  removed 3 file(s) (4096 bytes) that no commit names, left by an "
            "interrupted run\n");
}

TEST(RenderObserveJson, EveryCountInContractOrder) {
  EXPECT_EQ(RenderObserveJson("lake", Batch(), Stats()),
            R"({
  "store": "lake",
  "logs_found": 7,
  "logs_unchanged": 2,
  "logs_analysed": 5,
  "paths_skipped": 0,
  "applications_appended": 3,
  "applications_replaced": 1,
  "applications_already_stored": 1,
  "applications_before_since": 0,
  "commits": 2,
  "commit_conflicts_retried": 0,
  "orphan_files_removed": 0,
  "warnings": [
    "a.log: compacted"
  ]
}
)");
}

TEST(RenderRecommend, EmptyListsAndTheStoredCount) {
  pipeline::Analyzed analyzed;
  EXPECT_EQ(RenderRecommendJson(analyzed), "{\n  \"recommendations\": []\n}\n");
  EXPECT_TRUE(RenderRecommendText("lake", analyzed, Stats())
                  .ends_with("lake: recommendations stored for 4 application attempt(s) "
                             "(1 replaced)\n"));
  lake::IngestStats fresh{.appended = 2};
  EXPECT_TRUE(RenderRecommendText("lake", analyzed, fresh)
                  .ends_with("lake: recommendations stored for 2 application attempt(s)\n"));
  EXPECT_TRUE(RenderRecommendText("lake", analyzed, fresh, 3)
                  .ends_with("lake: recommendations stored for 2 application attempt(s); 3 "
                             "application attempt(s) not evaluated: their logs are no longer "
                             "where observe found them\n"));
}

}  // namespace
}  // namespace prometheus::report
