// `prometheus observe` and `prometheus show`, black-box, on real logs: each
// application stored once, in-progress logs replaced, nothing lost or
// duplicated when killed or run twice at once, bad logs named.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "prometheus/delta/delta_table.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using testing::Process;
using testing::RunPrometheus;
using testing::TempDir;

const std::string kSampleLogs = testing::RepoPath("testdata/eventlogs");

nlohmann::json Json(const testing::ProcessResult& run) { return testing::StdoutJson(run); }

// Rows of a lake table, through `prometheus show --format json`.
nlohmann::json Show(const fs::path& store, const std::string& table) {
  auto run = RunPrometheus({"show", table, "--store", store.string(), "--format", "json",
                            "--limit", "0"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return Json(run);
}

// (app, attempt, stage, stage attempt) of every analysed stage of `paths`.
std::multiset<std::string> ExpectedStageKeys(const std::vector<std::string>& paths) {
  std::vector<std::string> args = {"analyze", "--format", "json"};
  args.insert(args.end(), paths.begin(), paths.end());
  auto doc = Json(RunPrometheus(args));
  std::multiset<std::string> keys;
  for (const auto& app : doc["applications"]) {
    for (const auto& stage : app["stages"]) {
      keys.insert(stage["app_id"].dump() + stage["app_attempt_id"].dump() + "/" +
                  stage["stage_id"].dump() + "." + stage["stage_attempt_id"].dump());
    }
  }
  return keys;
}

std::multiset<std::string> StoredStageKeys(const fs::path& store) {
  std::multiset<std::string> keys;
  for (const auto& row : Show(store, "prometheus_metrics")) {
    keys.insert(row["app_id"].dump() + row["app_attempt_id"].dump() + "/" +
                row["stage_id"].dump() + "." + row["stage_attempt_id"].dump());
  }
  return keys;
}

std::multiset<std::string> StoredApps(const fs::path& store) {
  std::multiset<std::string> apps;
  for (const auto& row : Show(store, "prometheus_applications")) {
    apps.insert(row["app_id"].dump() + row["app_attempt_id"].dump());
  }
  return apps;
}

TEST(ObserveCommand, StoresEachApplicationOnceAndSkipsUnchangedLogs) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  auto first = RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string(),
                              "--format", "json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto report = Json(first);
  EXPECT_EQ(report["applications_appended"], 5);
  auto second = RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string(),
                               "--format", "json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Json(second)["logs_unchanged"], 5);
  EXPECT_EQ(Json(second)["applications_appended"], 0);
  EXPECT_EQ(StoredStageKeys(store), ExpectedStageKeys({kSampleLogs}));
  auto apps = StoredApps(store);
  EXPECT_EQ(apps.size(), 5u);
  EXPECT_EQ(std::set<std::string>(apps.begin(), apps.end()).size(), 5u);
  // One commit per table per batch, and none for the no-op second run.
  EXPECT_TRUE(fs::exists(store / "prometheus_metrics/_delta_log/00000000000000000000.json"));
  EXPECT_FALSE(fs::exists(store / "prometheus_metrics/_delta_log/00000000000000000001.json"));
}

// tools/validators/delta_check.mjs replays the log in JavaScript and reads
// every live file with DuckDB (npm @duckdb/node-api): sizes, row counts,
// null counts, min/max stats and column types must all agree.
nlohmann::json IndependentDeltaCheck(const fs::path& table) {
  std::string command = "node " + testing::RepoPath("tools/validators/delta_check.mjs") + " " +
                        table.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  auto doc = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << out;
  return doc;
}

TEST(ObserveCommand, TablesPassAnIndependentDeltaCheck) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string()})
                .exit_code,
            0);
  auto metrics = IndependentDeltaCheck(store / "prometheus_metrics");
  EXPECT_EQ(metrics["problems"], nlohmann::json::array()) << metrics.dump();
  EXPECT_EQ(metrics["rows"], ExpectedStageKeys({kSampleLogs}).size());
  auto apps = IndependentDeltaCheck(store / "prometheus_applications");
  EXPECT_EQ(apps["problems"], nlohmann::json::array()) << apps.dump();
  EXPECT_EQ(apps["rows"], 5);
}

TEST(ObserveCommand, AnInProgressApplicationIsReplacedOnceItCompletes) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  std::string full = testing::Slurp(kSampleLogs + "/app-20200706201101-0003");
  size_t cut = full.find("\"Event\":\"SparkListenerStageCompleted\"");
  ASSERT_NE(cut, std::string::npos);
  fs::path live = tmp.Write("logs/app-20200706201101-0003.inprogress", full.substr(0, cut + 500));
  auto first = RunPrometheus({"observe", "--source", (tmp.path() / "logs").string(), "--store",
                              store.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto rows = Show(store, "prometheus_applications");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "in_progress");
  // Spark renames the log when the application ends.
  fs::remove(live);
  tmp.Write("logs/app-20200706201101-0003", full);
  auto second = RunPrometheus({"observe", "--source", (tmp.path() / "logs").string(), "--store",
                               store.string(), "--format", "json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Json(second)["applications_replaced"], 1);
  rows = Show(store, "prometheus_applications");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "complete");
  EXPECT_EQ(StoredStageKeys(store), ExpectedStageKeys({kSampleLogs + "/app-20200706201101-0003"}));
}

// Logs to ingest in the crash and race tests: every Spark test log.
std::string ManyLogs() {
  return testing::SharedEventLog("apache__spark/core/src/test/resources/spark-events");
}

void ExpectConsistentLake(const fs::path& store) {
  for (auto name : {lake::kMetricsTable, lake::kApplicationsTable}) {
    delta::DeltaTable table(store / std::string(name));
    auto snapshot = table.Load();
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
    if (snapshot->version < 0) continue;
    auto data = table.ReadAll(*snapshot);
    ASSERT_TRUE(data.has_value()) << data.error().message;
    std::map<std::string, int> files_per_app;
    for (const auto& [key, app] : lake::IngestedApps(*snapshot)) {
      EXPECT_EQ(app.files.size(), 1u) << name << " holds " << key << " twice";
    }
  }
}

TEST(ObserveCommand, SigkillAtAnyPointLosesNothingCommitted) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  for (int round = 0; round < 12; ++round) {
    Process observe({"observe", "--source", ManyLogs(), "--store", store.string(), "-j", "2"});
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + round * 15));
    observe.Kill();
    ExpectConsistentLake(store);
  }
  auto finish = RunPrometheus({"observe", "--source", ManyLogs(), "--store", store.string()});
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  ExpectConsistentLake(store);
  TempDir clean;
  auto reference = RunPrometheus({"observe", "--source", ManyLogs(), "--store",
                                  (clean.path() / "lake").string()});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_EQ(StoredStageKeys(store), StoredStageKeys(clean.path() / "lake"));
  EXPECT_EQ(StoredApps(store), StoredApps(clean.path() / "lake"));
}

TEST(ObserveCommand, TwoObservesAtOnceLoseNothingAndDuplicateNothing) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  {
    Process a({"observe", "--source", ManyLogs(), "--store", store.string(), "-j", "1"});
    Process b({"observe", "--source", ManyLogs(), kSampleLogs, "--store", store.string(), "-j", "1"});
    auto ra = a.Wait();
    auto rb = b.Wait();
    EXPECT_EQ(ra.exit_code, 0) << ra.err;
    EXPECT_EQ(rb.exit_code, 0) << rb.err;
  }
  ExpectConsistentLake(store);
  TempDir clean;
  auto reference = RunPrometheus({"observe", "--source", ManyLogs(), kSampleLogs, "--store",
                                  (clean.path() / "lake").string()});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_EQ(StoredApps(store), StoredApps(clean.path() / "lake"));
  EXPECT_EQ(StoredStageKeys(store), StoredStageKeys(clean.path() / "lake"));
}

TEST(ObserveCommand, AForeignOrCorruptLogFileIsNamedAndNothingIsOverwritten) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs + "/local-1422981780767",
                           "--store", store.string()})
                .exit_code,
            0);
  fs::path log = store / "prometheus_metrics/_delta_log";
  std::string commit0 = testing::Slurp(log / "00000000000000000000.json");

  tmp.Write("lake/prometheus_metrics/_delta_log/notes.txt", "hello");
  auto foreign = RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string()});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("notes.txt"), std::string::npos) << foreign.err;
  fs::remove(log / "notes.txt");

  tmp.Write("lake/prometheus_metrics/_delta_log/00000000000000000001.json", "{\"add\":{\"pa");
  auto corrupt = RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string()});
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_NE(corrupt.err.find("00000000000000000001.json:1"), std::string::npos) << corrupt.err;
  EXPECT_EQ(testing::Slurp(log / "00000000000000000000.json"), commit0);
  EXPECT_FALSE(fs::exists(log / "00000000000000000002.json"));
}

TEST(ObserveCommand, SinceKeepsOnlyRecentApplications) {
  TempDir tmp;
  auto run = RunPrometheus({"observe", "--source", kSampleLogs, "--store",
                            (tmp.path() / "lake").string(), "--since", "24h", "--format",
                            "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Json(run)["applications_appended"], 0);  // the sample logs are from 2015-2021
  EXPECT_EQ(Json(run)["applications_before_since"], 5);
  auto bad = RunPrometheus({"observe", "--source", kSampleLogs, "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--since"), std::string::npos);
}

TEST(ShowCommand, FiltersLimitsAndFormats) {
  TempDir tmp;
  fs::path store = tmp.path() / "lake";
  ASSERT_EQ(RunPrometheus({"observe", "--source", kSampleLogs, "--store", store.string()})
                .exit_code,
            0);
  auto filtered = RunPrometheus({"show", "prometheus_metrics", "--store", store.string(),
                                 "--where", "app_id=local-1422981780767", "--format", "json"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  auto rows = Json(filtered);
  EXPECT_EQ(rows.size(), 4u);  // that application's four stages
  for (const auto& row : rows) EXPECT_EQ(row["app_id"], "local-1422981780767");
  auto limited = RunPrometheus({"show", "prometheus_metrics", "--store", store.string(),
                                "--limit", "2", "--format", "csv"});
  ASSERT_EQ(limited.exit_code, 0);
  EXPECT_EQ(std::count(limited.out.begin(), limited.out.end(), '\n'), 3);
  EXPECT_EQ(limited.out.substr(0, limited.out.find(',')), "run_id");
  auto text = RunPrometheus({"show", "prometheus_applications", "--store", store.string()});
  EXPECT_NE(text.out.find("RECORD 1"), std::string::npos);
  auto unknown = RunPrometheus({"show", "nope", "--store", store.string()});
  EXPECT_EQ(unknown.exit_code, 2);
  auto bad_where = RunPrometheus({"show", "prometheus_metrics", "--store", store.string(),
                                  "--where", "no_such_column=1"});
  EXPECT_EQ(bad_where.exit_code, 2);
  EXPECT_NE(bad_where.err.find("no_such_column"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::cli
