// Many recommendations, one tree: identical fixes run once for all who ask,
// and two values for one setting keep the first and say so in words, on the
// first run and on a rerun alike, whatever the order they come in.
#include "prometheus/rewrite/fix_batch.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

using prometheus::rewrite::testing::Corpus;
using prometheus::testing::TempDir;

FixRequest Conf(std::string id, std::string key, std::string value) {
  fix::Fix wanted;
  wanted.kind = fix::Conf{std::move(key), std::move(value)};
  return {std::move(id), "rule", std::move(wanted)};
}

FixRequest Salting(std::string id) {
  fix::Fix wanted;
  wanted.kind = fix::Salting{"country_id", 16};
  wanted.call_site = fix::CallSite{"jobs/daily_orders.py", 33};
  return {std::move(id), "skew", std::move(wanted)};
}

TEST(FixBatch, IdenticalFixesRunOnceForEveryRecommendation) {
  TempDir tmp;
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  SourceTree tree(tmp.path() / "repo");
  FixBatch batch(tree);
  for (int app = 0; app < 16; ++app) {
    batch.Run(Conf(fmt::format("conf{:04}", app), "spark.sql.adaptive.enabled",
                   "true"));
    batch.Run(Salting(fmt::format("salt{:04}", app)));
  }
  ASSERT_EQ(batch.items().size(), 2u);
  EXPECT_EQ(batch.items()[0].outcome.status, FixStatus::kApplied);
  EXPECT_EQ(batch.items()[0].ids.size(), 16u);
  EXPECT_EQ(batch.items()[0].ids[15], "conf0015");
  // Whatever the order they come in, the smallest id names the fix.
  batch.Run(Conf("conf", "spark.sql.adaptive.enabled", "true"));
  EXPECT_EQ(batch.items()[0].request.id, "conf");
  EXPECT_EQ(batch.items()[0].ids.front(), "conf");
  EXPECT_EQ(batch.items()[1].outcome.status, FixStatus::kDescribed);
  EXPECT_EQ(batch.items()[1].ids.size(), 16u);
}

TEST(FixBatch, TwoValuesForOneSettingKeepTheFirstInWords) {
  TempDir tmp;
  tmp.Write("repo/jobs/daily_orders.py", Corpus("daily_orders.py"));
  SourceTree tree(tmp.path() / "repo");
  FixBatch batch(tree);
  // In either order, the smaller id's value is kept.
  std::vector<FixRequest> requests = {
      Conf("bbbbbbbb2", "spark.sql.shuffle.partitions", "800"),
      Conf("aaaaaaaa1", "spark.sql.shuffle.partitions", "400")};
  for (const auto& request : requests) batch.Expect(request);
  for (const auto& request : requests) batch.Run(request);
  ASSERT_EQ(batch.items().size(), 2u);
  EXPECT_EQ(batch.items()[1].outcome.status, FixStatus::kApplied);
  const FixOutcome& second = batch.items()[0].outcome;
  EXPECT_EQ(second.status, FixStatus::kSkipped);
  EXPECT_EQ(second.note,
            "two recommendations set spark.sql.shuffle.partitions to 400 and "
            "800: kept 400 (aaaaaaaa, the smaller id), skipped this one");
  std::vector<const SourceFile*> changed = tree.Changed();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_NE(changed[0]->text().find("\"400\""), std::string::npos);
  EXPECT_EQ(changed[0]->text().find("\"800\""), std::string::npos);

  // On a rerun over the fixed file the first is present, and the second is
  // still the one left out: the setting does not flip.
  TempDir again;
  again.Write("repo/jobs/daily_orders.py", changed[0]->text());
  SourceTree fixed(again.path() / "repo");
  FixBatch rerun(fixed);
  for (const auto& request : requests) rerun.Expect(request);
  rerun.Run(Conf("aaaaaaaa1", "spark.sql.shuffle.partitions", "400"));
  rerun.Run(Conf("bbbbbbbb2", "spark.sql.shuffle.partitions", "800"));
  EXPECT_EQ(rerun.items()[0].outcome.status, FixStatus::kPresent);
  EXPECT_EQ(rerun.items()[1].outcome.status, FixStatus::kSkipped);
  EXPECT_TRUE(fixed.Changed().empty());
}

}  // namespace
}  // namespace prometheus::rewrite
