// `prometheus recommend` against a lake: recommendations appended once per
// application, replaced (never duplicated) with --all, same ids as analyze.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using testing::RunPrometheus;
using testing::TempDir;

const std::string kSampleLogs = testing::RepoPath("testdata/eventlogs");

nlohmann::json Json(const testing::ProcessResult& run) { return testing::StdoutJson(run); }

std::multiset<std::string> StoredIds(const std::string& store) {
  auto run = RunPrometheus({"show", "prometheus_recommendations", "--store", store, "--format",
                            "json", "--limit", "0"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::multiset<std::string> ids;
  nlohmann::json rows = Json(run);
  for (const auto& row : rows) ids.insert(row["recommendation_id"].get<std::string>());
  return ids;
}

TEST(RecommendCommand, AppendsOnceReplacesWithAllAndMatchesAnalyze) {
  TempDir tmp;
  std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs, "--store", store}).exit_code, 0);

  auto first = RunPrometheus({"recommend", "--store", store, "--format", "json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::set<std::string> from_recommend;
  nlohmann::json first_doc = Json(first);
  for (const auto& r : first_doc["recommendations"]) from_recommend.insert(r["id"]);
  ASSERT_FALSE(from_recommend.empty()) << first.out << first.err;

  // The same ids as analyze gives for the same logs.
  std::set<std::string> from_analyze;
  auto analyze = Json(RunPrometheus({"analyze", "--format", "json", kSampleLogs}));
  for (const auto& app : analyze["applications"]) {
    for (const auto& r : app["recommendations"]) from_analyze.insert(r["id"]);
  }
  EXPECT_EQ(from_recommend, from_analyze);

  auto stored = StoredIds(store);
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), from_recommend);
  EXPECT_EQ(stored.size(), from_recommend.size());

  auto again = RunPrometheus({"recommend", "--store", store, "--format", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Json(again)["recommendations"].empty());  // every application has its own
  EXPECT_EQ(StoredIds(store), stored);

  auto all = RunPrometheus({"recommend", "--store", store, "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("replaced"), std::string::npos) << all.out;
  EXPECT_EQ(StoredIds(store), stored);  // replaced, not duplicated
}

TEST(RecommendCommand, AnEmptyStoreIsABadInput) {
  TempDir tmp;
  auto run = RunPrometheus({"recommend", "--store", (tmp.path() / "none").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("observe"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace prometheus::cli
