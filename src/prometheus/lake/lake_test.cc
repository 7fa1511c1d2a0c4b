#include "prometheus/lake/lake.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>

#include "prometheus/io/event_log_files.h"
#include "prometheus/delta/delta_schema.h"
#include "prometheus/delta/delta_stats.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/fake_file_system.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
using delta::AddFile;
using delta::AddLine;
using delta::CommitFileName;
using delta::DeltaTable;
using delta::Metadata;
using delta::MetadataLine;
using delta::ParseSchemaString;
using delta::Protocol;
using delta::ProtocolLine;
using delta::SchemaString;
using delta::StatsJson;
using parquet::MakeTable;
using parquet::Schema;
using parquet::Table;
using parquet::WriteParquet;

kpi::Analysis AnalyzeSample(const std::string& name) {
  return testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/" + name));
}

// A table written by an older release: only the first columns of today's
// metrics schema, one file of two rows.
void WriteOlderMetricsTable(const fs::path& root) {
  Schema old(MetricsSchema().begin(), MetricsSchema().begin() + 6);
  Table rows = MakeTable(old);
  for (int i = 0; i < 2; ++i) {
    size_t row = rows.AddRow();
    rows.SetString(2, row, "app-old");
    rows.SetInt(4, row, i);
    rows.SetInt(5, row, 0);
  }
  fs::create_directories(root);
  auto info = WriteParquet(root / "part-old.snappy.parquet", rows);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  Metadata metadata{"00000000-0000-4000-8000-000000000000", "prometheus_metrics",
                    SchemaString(old), {}, {}, 1};
  AddFile add;
  add.path = "part-old.snappy.parquet";
  add.size = static_cast<int64_t>(info->size_bytes);
  add.stats = StatsJson(old, *info);
  add.tags = {{"prometheus.app", "app-old#"}};
  auto committed = DeltaTable(root).TryCommit(
      0, {ProtocolLine(Protocol{}), MetadataLine(metadata), AddLine(add)});
  ASSERT_TRUE(committed.has_value() && *committed);
}

TEST(Lake, ALaterReleaseAddsColumnsWithoutRewritingData) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  WriteOlderMetricsTable(tmp.path() / std::string(kMetricsTable));
  auto old_file = tmp.path() / std::string(kMetricsTable) / "part-old.snappy.parquet";
  auto old_time = fs::last_write_time(old_file);

  kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  auto stats = lake.Ingest({{&analysis, "fingerprint-1"}}, 1700000000000);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->appended, 1);

  DeltaTable table(tmp.path() / std::string(kMetricsTable));
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 1);
  auto schema = ParseSchemaString(snapshot->metadata->schema_string);
  ASSERT_TRUE(schema.has_value());
  EXPECT_EQ(schema->size(), MetricsSchema().size());
  EXPECT_EQ(snapshot->metadata->id, "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(fs::last_write_time(old_file), old_time);

  auto data = table.ReadAll(*snapshot);
  ASSERT_TRUE(data.has_value()) << data.error().message;
  EXPECT_EQ(data->num_rows(), 2 + analysis.stages.size());
  size_t status = *data->ColumnIndex("status");
  size_t app = *data->ColumnIndex("app_id");
  for (size_t row = 0; row < data->num_rows(); ++row) {
    bool old_row = std::get<std::string>(data->Get(app, row)) == "app-old";
    EXPECT_EQ(std::holds_alternative<std::monostate>(data->Get(status, row)), old_row);
  }
}

TEST(Lake, ARetriedBatchLandsOnce) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = AnalyzeSample("app-20200706201101-0003");
  ASSERT_TRUE(lake.Ingest({{&analysis, "f"}}, 1).has_value());
  auto again = lake.Ingest({{&analysis, "f"}}, 2);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->appended, 0);
  EXPECT_EQ(again->commits, 0);
  auto snapshot = lake.Table(kMetricsTable).Load();
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_EQ(snapshot->version, 0);
  EXPECT_EQ(snapshot->txns.size(), 1u);
}

TEST(Lake, RefusesToWriteATableItCannotHonour) {
  testing::TempDir tmp;
  fs::path root = tmp.path() / std::string(kMetricsTable);
  Protocol upgraded{3, 7, {}, {"deletionVectors"}};
  Metadata metadata{"id", "", SchemaString(MetricsSchema()), {}, {}, 1};
  ASSERT_TRUE(*DeltaTable(root).TryCommit(0, {ProtocolLine(upgraded), MetadataLine(metadata)}));
  kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  auto stats = Lake(tmp.path()).Ingest({{&analysis, "f"}}, 1);
  ASSERT_FALSE(stats.has_value());
  EXPECT_NE(stats.error().message.find("writer version 7"), std::string::npos)
      << stats.error().message;
  EXPECT_FALSE(fs::exists(root / "_delta_log" / CommitFileName(1)));
}

// Every file of the lake, with its bytes: equal means nothing was written.
std::map<std::string, std::string> LakeFiles(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[entry.path().string()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

// What another Delta writer does to one of our tables: it adds a file (here
// a copy of one of ours) without our tags, as an append or OPTIMIZE would.
void AddForeignFile(const DeltaTable& table) {
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  AddFile add = snapshot->files.begin()->second;
  add.path = "part-00000-foreign-c000.snappy.parquet";
  add.tags.clear();
  fs::copy_file(table.root() / snapshot->files.begin()->first, table.root() / add.path);
  ASSERT_TRUE(*table.TryCommit(snapshot->version + 1, {AddLine(add)}));
}

TEST(Lake, RefusesTablesWithFilesOfAnotherWriterBeforeWritingAnyTable) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis first = AnalyzeSample("local-1422981780767");
  ASSERT_TRUE(lake.Ingest({{&first, "f"}}, 1).has_value());
  AddForeignFile(lake.Table(kApplicationsTable));
  // An orphan of an earlier run, old enough to be removed by an ingest.
  std::ofstream(tmp.path() / std::string(kMetricsTable) / "part-orphan.snappy.parquet") << "x";
  fs::last_write_time(tmp.path() / std::string(kMetricsTable) / "part-orphan.snappy.parquet",
                      fs::file_time_type::clock::now() - std::chrono::hours(3));
  auto before = LakeFiles(tmp.path());

  kpi::Analysis second = AnalyzeSample("app-20200706201101-0003");
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  auto stats = lake.Ingest({{&second, "g"}}, now_ms);
  ASSERT_FALSE(stats.has_value());
  EXPECT_NE(stats.error().message.find("prometheus_applications: data file "
                                       "part-00000-foreign-c000.snappy.parquet carries no "
                                       "prometheus.app tag"),
            std::string::npos)
      << stats.error().message;
  EXPECT_EQ(LakeFiles(tmp.path()), before);  // not even the metrics table, nor the orphan
}

TEST(Lake, AnAppendOnlyTableKeepsItsRowsAndTakesNewOnes) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  std::vector<rules::Recommendation> none;
  ASSERT_TRUE(lake.IngestRecommendations({{&analysis, &none, "f"}}, false, 1).has_value());
  DeltaTable table = lake.Table(kRecommendationsTable);
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  Metadata metadata = *snapshot->metadata;
  metadata.configuration["delta.appendOnly"] = "true";
  ASSERT_TRUE(*table.TryCommit(snapshot->version + 1, {MetadataLine(metadata)}));
  auto before = LakeFiles(tmp.path());

  auto replaced = lake.IngestRecommendations({{&analysis, &none, "f"}}, true, 2);
  ASSERT_FALSE(replaced.has_value());
  EXPECT_NE(replaced.error().message.find("delta.appendOnly is true"), std::string::npos)
      << replaced.error().message;
  EXPECT_EQ(LakeFiles(tmp.path()), before);

  kpi::Analysis other = AnalyzeSample("app-20200706201101-0003");
  auto appended = lake.IngestRecommendations({{&other, &none, "g"}}, false, 3);
  ASSERT_TRUE(appended.has_value()) << appended.error().message;
  EXPECT_EQ(appended->appended, 1);
}

TEST(Lake, ACommitThatNeverLandsIsAnErrorAndLeavesNoFiles) {
  testing::TempDir tmp;
  testing::FakeFileSystem file_system;
  file_system.FailNewFiles(".json", testing::FakeFileSystem::Fault::kLostRace);
  Lake lake(tmp.path(), {}, file_system);
  kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  auto stats = lake.Ingest({{&analysis, "f"}}, 1);
  ASSERT_FALSE(stats.has_value());
  EXPECT_NE(stats.error().message.find("nothing was appended"), std::string::npos)
      << stats.error().message;
  EXPECT_FALSE(fs::exists(tmp.path() / std::string(kMetricsTable) / "_delta_log"));
  EXPECT_TRUE(fs::is_empty(tmp.path() / std::string(kMetricsTable)));
  EXPECT_EQ(file_system.created().size(), 1u + Lake::kMaxCommitAttempts);  // one data file
}

}  // namespace
}  // namespace prometheus::lake

namespace prometheus::lake {
namespace {

TEST(Lake, AnApplicationSeenInTwoRunsIsStoredOncePerRunWithTheRunsIds) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  RunTag first{.job_id = 9007199254740993, .run_id = 9223372036854775000, .task_key = "ingest",
               .task_run_id = 9007199254740995, .cluster_id = "0923-x",
               .task_path = "notebooks/ingest", .git_url = "https://github.com/acme/p",
               .git_provider = "gitHub", .git_commit = "abc123"};
  RunTag second = first;
  second.run_id = 2;
  second.task_run_id = 3;
  kpi::CostEstimate cost{.dbus = 12.5, .list_cost = 1.875, .currency = "USD", .basis = "estimate: ..."};
  auto stats = lake.Ingest({{&analysis, "fp", &first, &cost}, {&analysis, "fp", &second}}, 1700000000000);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->appended, 2);
  // Again, and once more untagged: the runs' rows are there, the plain one is new.
  auto again = lake.Ingest({{&analysis, "fp", &first}, {&analysis, "fp", &second}, {&analysis, "fp"}},
                           1700000001000);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->appended, 1);
  EXPECT_EQ(again->unchanged, 2);
  auto apps = ReadApplications(lake);
  ASSERT_TRUE(apps) << apps.error().message;
  ASSERT_EQ(apps->rows.size(), 3u);
  std::map<std::optional<int64_t>, const StoredApplication*> by_run;
  for (const auto& row : apps->rows) by_run[row.run_id] = &row;
  ASSERT_TRUE(by_run.contains(int64_t{9223372036854775000}));
  const StoredApplication& tagged = *by_run[int64_t{9223372036854775000}];
  EXPECT_EQ(tagged.job_id, 9007199254740993);
  EXPECT_EQ(tagged.task_run_id, 9007199254740995);
  EXPECT_EQ(tagged.task_key, "ingest");
  EXPECT_EQ(tagged.cluster_id, "0923-x");
  EXPECT_EQ(tagged.git_commit, "abc123");
  EXPECT_EQ(tagged.task_path, "notebooks/ingest");
  EXPECT_EQ(tagged.estimated_dbus, 12.5);
  EXPECT_EQ(tagged.estimated_list_cost, 1.875);
  EXPECT_EQ(tagged.cost_basis, "estimate: ...");
  EXPECT_EQ(by_run[int64_t{2}]->estimated_dbus, std::nullopt);
  auto stages = ReadTable(lake, kMetricsTable);
  ASSERT_TRUE(stages) << stages.error().message;
  size_t tagged_stages = 0;
  for (size_t row = 0; row < stages->rows.num_rows(); ++row) {
    auto task = stages->rows.Get(*stages->rows.ColumnIndex("task_run_id"), row);
    if (std::get_if<int64_t>(&task) && std::get<int64_t>(task) == 9007199254740995) {
      ++tagged_stages;
      EXPECT_EQ(std::get<int64_t>(stages->rows.Get(*stages->rows.ColumnIndex("run_id"), row)),
                9223372036854775000);
      EXPECT_EQ(std::get<std::string>(stages->rows.Get(*stages->rows.ColumnIndex("git_commit"), row)),
                "abc123");
    }
  }
  EXPECT_EQ(tagged_stages, analysis.stages.size());
  ASSERT_TRUE(by_run.contains(std::nullopt));
  EXPECT_EQ(by_run[std::nullopt]->task_key, std::nullopt);
}

}  // namespace
}  // namespace prometheus::lake

namespace prometheus::lake {
namespace {

TEST(Lake, AnEmptyBatchTouchesNothing) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  ASSERT_TRUE(lake.Ingest({{&analysis, "f"}}, 1).has_value());
  // An orphan an ingest would clean, and a missing data file it would refuse.
  const fs::path root = lake.Table(kMetricsTable).root();
  std::ofstream(root / "part-orphan.snappy.parquet") << "x";
  fs::last_write_time(root / "part-orphan.snappy.parquet",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  auto stats = lake.Ingest({}, 2);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->commits, 0);
  EXPECT_EQ(stats->orphans_removed, 0);
  EXPECT_TRUE(fs::exists(root / "part-orphan.snappy.parquet"));
  EXPECT_FALSE(fs::exists(root / "_delta_log" / CommitFileName(1)));
  // And on a store with no tables yet, it creates none.
  testing::TempDir empty;
  ASSERT_TRUE(Lake(empty.path()).Ingest({}, 1).has_value());
  EXPECT_TRUE(fs::is_empty(empty.path()));
}

// A batch's complete attempts share one file per table (a batch of many
// small logs writes a few files, not one per log); one still in progress,
// which a later observe replaces, keeps a file of its own. Every row is
// stored once and a second observe finds every attempt stored.
TEST(Lake, ABatchPacksItsCompleteAttemptsIntoOneFile) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis sample = AnalyzeSample("local-1422981780767");
  std::vector<kpi::Analysis> apps(4, sample);
  for (size_t i = 0; i < apps.size(); ++i) {
    apps[i].log.application.app_id = "local-pack-" + std::to_string(i);
  }
  apps[2].log.application.end_time.reset();
  ASSERT_EQ(ApplicationStatus(apps[2]), "in_progress");
  std::vector<AnalysisToStore> batch;
  for (const auto& app : apps) batch.push_back({&app, "f-" + app.log.application.app_id});
  auto stats = lake.Ingest(batch, 1);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->appended, 4);
  for (std::string_view name : {kMetricsTable, kApplicationsTable}) {
    SCOPED_TRACE(name);
    auto snapshot = lake.Table(name).Load();
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
    ASSERT_EQ(snapshot->files.size(), 2u);
    size_t packed = 0;
    for (const auto& [path, add] : snapshot->files) {
      std::vector<IngestedApp> held = AppsOfFile(add);
      if (add.tags.contains(kTagApps)) {
        ++packed;
        EXPECT_EQ(held.size(), 3u);
      } else {
        ASSERT_EQ(held.size(), 1u);
        EXPECT_EQ(held[0].key, AppKey(apps[2], nullptr));
        EXPECT_EQ(held[0].status, "in_progress");
      }
    }
    EXPECT_EQ(packed, 1u);
    EXPECT_EQ(IngestedApps(*snapshot).size(), 4u);
    auto rows = lake.Table(name).ReadAll(*snapshot);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    const size_t per_app = name == kMetricsTable ? sample.stages.size() : 1;
    EXPECT_EQ(rows->num_rows(), 4 * per_app);
  }
  auto again = lake.Ingest(batch, 2);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(again->commits, 0);
}

// The prometheus.apps tag reads back what CompactedAppsTag wrote, whatever
// the paths hold (quotes, backslashes, control characters, non-ASCII), and a
// tag laid out by another writer (spaces, fields in another order, a field
// not known) reads as the JSON it is.
TEST(Lake, TheAppsTagReadsBackWhatWasWritten) {
  std::vector<IngestedApp> apps = {
      {"app-1#1", "f1", "complete", "/logs/a \"quoted\" \\ path", 12, {}},
      {"app-2#", "f2", "in_progress", "/logs/tab\there/\x01" "ctl/\u00e9t\u00e9", 0, {}},
      {"app-3#2", "", "", "", 9'000'000'000, {}}};
  AddFile add;
  add.tags = {{kTagApps, CompactedAppsTag(apps)}};
  std::vector<IngestedApp> read = AppsOfFile(add);
  ASSERT_EQ(read.size(), apps.size());
  for (size_t i = 0; i < apps.size(); ++i) {
    EXPECT_EQ(read[i].key, apps[i].key);
    EXPECT_EQ(read[i].fingerprint, apps[i].fingerprint);
    EXPECT_EQ(read[i].status, apps[i].status);
    EXPECT_EQ(read[i].source, apps[i].source);
    EXPECT_EQ(read[i].source_bytes, apps[i].source_bytes);
  }
  add.tags = {{kTagApps, R"([ {"status": "complete", "key": "k\u0041", "extra": [1],
                             "source_bytes": 5} ])"}};
  read = AppsOfFile(add);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].key, "kA");
  EXPECT_EQ(read[0].status, "complete");
  EXPECT_EQ(read[0].source_bytes, 5);
  add.tags = {{kTagApps, "[]"}};
  EXPECT_TRUE(AppsOfFile(add).empty());
  add.tags = {{kTagApps, "not json"}};
  EXPECT_TRUE(AppsOfFile(add).empty());
}

}  // namespace
}  // namespace prometheus::lake
