// The Oracle on real logs: each rule fires where a log shows its problem and
// stays quiet on healthy ones; evidence matches the KPI rows it cites.
#include "prometheus/rules/engine.h"

#include <gtest/gtest.h>

#include <set>

#include "prometheus/io/event_log_files.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rules {
namespace {

kpi::Analysis Analyze(const std::string& shared_path) {
  return testing::AnalyzeLog(testing::SharedEventLog(shared_path));
}

std::vector<Recommendation> Evaluate(const RuleEngine& engine,
                                     const kpi::Analysis& analysis) {
  std::vector<std::string> problems;
  auto out = engine.Evaluate(analysis, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  return out;
}

const Recommendation* Find(const std::vector<Recommendation>& recs,
                           const std::string& rule) {
  for (const auto& r : recs) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

constexpr const char* kSpark =
    "apache__spark/core/src/test/resources/spark-events/";
constexpr const char* kRapids =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/";

TEST(RuleEngine, BuiltInRulesAllLoad) {
  RuleEngine engine({});
  EXPECT_TRUE(engine.errors().empty()) << engine.errors().front();
  auto ids = engine.RuleIds();
  std::set<std::string> have(ids.begin(), ids.end());
  for (const char* id :
       {"skew_time", "skew_bytes", "spill", "gc", "long_tasks_few_partitions",
        "tiny_tasks", "oversized_partition", "fetch_wait", "failures",
        "idle_cores", "driver_gaps", "log_data_quality", "out_of_memory",
        "aqe_disabled"}) {
    EXPECT_TRUE(have.contains(id)) << id;
  }
}

TEST(RuleEngine, SkewedStageIsFoundWithItsEvidence) {
  RuleEngine engine({});
  kpi::Analysis analysis =
      Analyze(std::string(kSpark) + "application_1628109047826_1317105");
  auto recs = Evaluate(engine, analysis);
  const Recommendation* skew = Find(recs, "skew_time");
  ASSERT_NE(skew, nullptr);
  EXPECT_GE(skew->severity, Severity::kHigh);
  ASSERT_EQ(skew->scope.stage_ids, std::vector<int64_t>{0});
  EXPECT_NE(skew->message.find("Stage 0"), std::string::npos);
  EXPECT_EQ(skew->id.size(), 32u);
}

TEST(RuleEngine, EvidenceMatchesTheKpiRowsItCites) {
  RuleEngine engine({});
  for (const char* log :
       {"application_1628109047826_1317105", "app-20161115172038-0000",
        "application_1538416563558_0014", "application_1516285256255_0012"}) {
    kpi::Analysis analysis = Analyze(std::string(kSpark) + log);
    for (const auto& r : Evaluate(engine, analysis)) {
      if (r.scope.stage_ids.size() != 1) continue;
      for (const auto& row : analysis.stages) {
        if (row.stage_id != r.scope.stage_ids[0]) continue;
        kpi::VisitColumns(row, [&](std::string_view name, const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if (!r.evidence.contains(std::string(name))) return;
          const auto& cited = r.evidence[std::string(name)];
          if constexpr (std::is_same_v<T, int64_t> ||
                        std::is_same_v<T, double>) {
            EXPECT_DOUBLE_EQ(cited.get<double>(), static_cast<double>(value))
                << log << " " << r.rule << " " << name;
          } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
            if (value)
              EXPECT_DOUBLE_EQ(cited.get<double>(), static_cast<double>(*value))
                  << name;
          }
        });
      }
    }
  }
}

TEST(RuleEngine, TinyHealthyApplicationsGetNothingAboveLow) {
  RuleEngine engine({});
  for (const char* log :
       {"local-1430917381534", "local-1642039451826", "local-1426533911241"}) {
    kpi::Analysis analysis = Analyze(std::string(kSpark) + log);
    for (const auto& r : Evaluate(engine, analysis)) {
      EXPECT_EQ(r.severity, Severity::kLow)
          << log << ": " << r.rule << ": " << r.message;
    }
  }
}

TEST(RuleEngine, FailuresAreFoundAndStayQuietOnHealthyLogs) {
  RuleEngine engine({});
  auto failing = Evaluate(
      engine, Analyze(std::string(kRapids) +
                      "spark-events-profiling/"
                      "tasks_executors_fail_compressed_eventlog.zstd"));
  const Recommendation* failures = Find(failing, "failures");
  ASSERT_NE(failures, nullptr);
  EXPECT_EQ(failures->severity, Severity::kCritical);  // stage 238 failed
  auto healthy = Evaluate(engine, Analyze(std::string(kSpark) +
                                          "application_1628109047826_1317105"));
  EXPECT_EQ(Find(healthy, "failures"), nullptr);
  EXPECT_EQ(Find(healthy, "spill"), nullptr);
}

TEST(RuleEngine, AqeOffIsFoundOnASpark3LogThatShuffles) {
  RuleEngine engine({});
  auto recs = Evaluate(
      engine,
      Analyze(std::string(kRapids) +
              "spark-events-qualification/eventlog_v2_local-1623876083964"));
  const Recommendation* aqe = Find(recs, "aqe_disabled");
  ASSERT_NE(aqe, nullptr);
  EXPECT_EQ(FixJson(*aqe)["key"], "spark.sql.adaptive.enabled");
  EXPECT_EQ(FixJson(*aqe)["value"], "true");
}

TEST(RuleEngine, SameFindingSameIdAcrossRuns) {
  RuleEngine engine({});
  kpi::Analysis analysis =
      Analyze(std::string(kSpark) + "application_1628109047826_1317105");
  auto first = Evaluate(engine, analysis);
  auto second = Evaluate(engine, analysis);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i)
    EXPECT_EQ(first[i].id, second[i].id);
}

TEST(RuleEngine, UserRulesOverrideSwitchOffAndBadFilesAreNamed) {
  testing::TempDir tmp;
  tmp.Write("skew_time.toml",
            "id = \"skew_time\"\nenabled = false\nscope = \"stage\"\nwhen = "
            "\"true\"\n"
            "message = \"off\"\n");
  tmp.Write("broken.toml",
            "id = \"broken\"\nscope = \"stage\"\nwhen = \"num_tasks "
            ">\"\nmessage = \"x\"\n");
  EngineOptions options;
  options.rule_folders = {tmp.path()};
  options.disabled = {"driver_gaps"};
  RuleEngine engine(options);
  ASSERT_EQ(engine.errors().size(), 1u);
  EXPECT_NE(engine.errors()[0].find("broken.toml:3:"), std::string::npos)
      << engine.errors()[0];
  auto recs = Evaluate(engine, Analyze(std::string(kSpark) +
                                       "application_1628109047826_1317105"));
  EXPECT_EQ(Find(recs, "skew_time"), nullptr);
  auto ids = engine.RuleIds();
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "driver_gaps"), 0);
}

}  // namespace
}  // namespace prometheus::rules

namespace prometheus::rules {
namespace {

TEST(RuleEngine, ExecutorMemoryOverProvisioningIsFoundWithASmallerSetting) {
  RuleEngine engine({});
  // Executors of 47016m whose heap peaked at 14.5 GiB, GC 3% of task time.
  auto recs = Evaluate(engine, Analyze(std::string(kRapids) +
                                       "spark-events-qualification/db_subExecution_id.zstd"));
  const Recommendation* memory = Find(recs, "executor_memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->severity, Severity::kLow);
  EXPECT_EQ(FixJson(*memory)["key"], "spark.executor.memory");
  EXPECT_EQ(FixJson(*memory)["value"], "18g");  // 14.5 GiB peak heap x 1.2, rounded up
  EXPECT_EQ(FixJson(*memory)["applies"], "startup");
  EXPECT_EQ(memory->evidence["memory_pressure"], false);
  // 1.8 GiB of 16 GiB, but GC took 12% of task time: the heap is busy, so
  // no saving is offered.
  auto busy = Evaluate(engine, Analyze(std::string(kRapids) +
                                       "spark-events-profiling/nds_q66_gpu.zstd"));
  EXPECT_EQ(Find(busy, "executor_memory"), nullptr);
  // A log whose executors have no heap figures (Spark 2) stays quiet.
  auto old = Evaluate(engine,
                      Analyze(std::string(kSpark) + "app-20161115172038-0000"));
  EXPECT_EQ(Find(old, "executor_memory"), nullptr);
}

}  // namespace
}  // namespace prometheus::rules

namespace prometheus::rules {
namespace {

TEST(RuleEngine, DocsListEveryRule) {
  std::string docs = testing::Slurp(testing::RepoPath("docs/RULES.md"));
  for (const auto& id : RuleEngine({}).RuleIds()) {
    EXPECT_NE(docs.find("`" + id + "`"), std::string::npos)
        << id << " is missing from docs/RULES.md: run tools/gen_rules_doc.py";
  }
}

// The part of docs/RULES.md about one rule: its section (rule files) or
// its table row (native rules).
std::string_view DocOf(std::string_view docs, const std::string& id) {
  size_t at = docs.find("### `" + id + "`");
  if (at != std::string_view::npos) {
    size_t end = docs.find("\n#", at + 1);
    return docs.substr(at, end == std::string_view::npos ? end : end - at);
  }
  at = docs.find("| `" + id + "` |");
  if (at == std::string_view::npos) return {};
  return docs.substr(at, docs.find('\n', at) - at);
}

TEST(RuleEngine, DocsListEveryEvidenceKey) {
  const std::string docs = testing::Slurp(testing::RepoPath("docs/RULES.md"));
  RuleEngine engine({});
  for (const char* log : {"spark-events-profiling/tasks_executors_fail_compressed_eventlog.zstd",
                          "spark-events-profiling/nds_q66_gpu.zstd",
                          "spark-events-qualification/db_subExecution_id.zstd",
                          "spark-events-qualification/nds_q72_dataproc_2_2.zstd"}) {
    for (const Recommendation& r : Evaluate(engine, Analyze(std::string(kRapids) + log))) {
      std::string_view doc = DocOf(docs, r.rule);
      ASSERT_FALSE(doc.empty()) << r.rule;
      for (const auto& [key, value] : r.evidence.items()) {
        // The engine's and the what-if's keys are documented once.
        std::string_view where = key.starts_with("stake_") || key == "whatif" ? docs : doc;
        EXPECT_NE(where.find(key), std::string_view::npos)
            << r.rule << " evidence " << key << " is not in docs/RULES.md: add it to "
            << "tools/gen_rules_doc.py and run it";
      }
    }
  }
}

}  // namespace
}  // namespace prometheus::rules

namespace prometheus::rules {
namespace {

// Each rule on a real log that shows its problem, and quiet on one that does
// not (a healthy or differently-sick log).
TEST(RuleEngine, EachRuleFiresOnARealLogThatShowsItAndNotOnAnother) {
  struct Case {
    const char* rule;
    const char* shows;
    const char* quiet;
  };
  const std::string q = std::string(kRapids) + "spark-events-qualification/";
  const std::string p = std::string(kRapids) + "spark-events-profiling/";
  const std::string h =
      "NVIDIA__spark-rapids-tools/_history/core/src/test/resources/"
      "spark-events-qualification/cluster_information/";
  const std::string s = kSpark;
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"spill", q + "aqeshuffle_eventlog.zstd",
       s + "application_1628109047826_1317105"},
      {"app_gc", p + "nds_q66_gpu.zstd", q + "aqeshuffle_eventlog.zstd"},
      {"idle_cores", q + "jdbc_eventlog.zstd", q + "aqeshuffle_eventlog.zstd"},
      {"driver_gaps", h + "eventlog_4nodes_8cores_dynamic_alloc",
       s + "local-1422981780767"},
      {"log_data_quality", p + "malformed_json_eventlog.zstd",
       s + "app-20200706201101-0003"},
      {"python_udf", q + "python_udf_eventlog", q + "aqeshuffle_eventlog.zstd"},
      {"skew_time", s + "application_1628109047826_1317105",
       s + "application_1516285256255_0012"},
      {"failures", s + "application_1516285256255_0012",
       s + "application_1628109047826_1317105"},
      // Two spark-sql queries read the same 2.6 GiB table.
      {"repeated_scan",
       h + "platform/invalid/dataproc_invalid_num_workers.zstd",
       q + "aqeshuffle_eventlog.zstd"},
  };
  RuleEngine engine({});
  for (const auto& [rule, shows, quiet] : cases) {
    EXPECT_NE(Find(Evaluate(engine, Analyze(shows)), rule), nullptr)
        << rule << " on " << shows;
    EXPECT_EQ(Find(Evaluate(engine, Analyze(quiet)), rule), nullptr)
        << rule << " on " << quiet;
  }
}

}  // namespace
}  // namespace prometheus::rules

namespace prometheus::rules {
namespace {

TEST(RuleEngine, ThresholdsOfNativeAndDeclarativeRulesCanBeChanged) {
  kpi::Analysis idle = Analyze(std::string(kSpark) + "app-20200706201101-0003");
  ASSERT_NE(Find(Evaluate(RuleEngine({}), idle), "idle_cores"), nullptr);
  EngineOptions options;
  ASSERT_TRUE(
      options.thresholds.Add("idle_cores.idle_ratio=0.995").has_value());
  EXPECT_EQ(Find(Evaluate(RuleEngine(options), idle), "idle_cores"), nullptr);

  kpi::Analysis skewed =
      Analyze(std::string(kSpark) + "application_1628109047826_1317105");
  EngineOptions stricter;
  ASSERT_TRUE(stricter.thresholds.Add("skew_time.skew_low=100").has_value());
  RuleEngine engine(stricter);
  EXPECT_TRUE(engine.errors().empty()) << engine.errors().front();
  EXPECT_EQ(Find(Evaluate(engine, skewed), "skew_time"), nullptr);
}

TEST(RuleEngine, BadThresholdsAreNamed) {
  Thresholds thresholds;
  EXPECT_FALSE(thresholds.Add("idle_cores=0.5").has_value());
  auto bad_value = thresholds.Add("idle_cores.idle_ratio=half");
  ASSERT_FALSE(bad_value.has_value());
  EXPECT_NE(bad_value.error().message.find("half"), std::string::npos);
  EngineOptions options;
  ASSERT_TRUE(options.thresholds.Add("idle_cores.no_such=1").has_value());
  ASSERT_TRUE(options.thresholds.Add("no_rule.x=1").has_value());
  RuleEngine engine(options);
  ASSERT_EQ(engine.errors().size(), 2u);
  EXPECT_NE(engine.errors()[0].find("idle_cores.no_such"), std::string::npos);
  EXPECT_NE(engine.errors()[1].find("no rule no_rule"), std::string::npos);
}

// A file named after a native rule tunes it: its thresholds (the command
// line still wins) or enabled = false; anything else in it is an error.
TEST(RuleEngine, RuleFilesSetNativeThresholdsAndSwitchNativeRulesOff) {
  kpi::Analysis idle = Analyze(std::string(kSpark) + "app-20200706201101-0003");
  testing::TempDir tmp;
  tmp.Write("tuned/idle_cores.toml",
            "id = \"idle_cores\"\n\n[thresholds]\nidle_ratio = 0.995\n");
  EngineOptions options;
  options.rule_folders = {tmp.path() / "tuned"};
  RuleEngine tuned(options);
  EXPECT_TRUE(tuned.errors().empty()) << tuned.errors().front();
  EXPECT_EQ(Find(Evaluate(tuned, idle), "idle_cores"), nullptr);
  ASSERT_TRUE(options.thresholds.Add("idle_cores.idle_ratio=0.5").has_value());
  EXPECT_NE(Find(Evaluate(RuleEngine(options), idle), "idle_cores"), nullptr)
      << "--threshold beats the file";

  tmp.Write("off/idle_cores.toml", "id = \"idle_cores\"\nenabled = false\n");
  EngineOptions off;
  off.rule_folders = {tmp.path() / "off"};
  RuleEngine switched_off(off);
  EXPECT_EQ(Find(Evaluate(switched_off, idle), "idle_cores"), nullptr);
  auto ids = switched_off.RuleIds();
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "idle_cores"), 0);

  tmp.Write("bad/idle_cores.toml", "id = \"idle_cores\"\nwhen = \"true\"\n");
  tmp.Write("bad/repeated_scan.toml",
            "id = \"repeated_scan\"\n[thresholds]\nmin_files = 3\n");
  tmp.Write("bad/python_udf.toml", "id = \"python_udf\"\nenabled = \"no\"\n");
  EngineOptions bad;
  bad.rule_folders = {tmp.path() / "bad"};
  RuleEngine refused(bad);
  ASSERT_EQ(refused.errors().size(), 3u);
  EXPECT_NE(refused.errors()[0].find(
                "idle_cores.toml:2:8: 'when' cannot be set: idle_cores is a "
                "native rule"),
            std::string::npos)
      << refused.errors()[0];
  EXPECT_NE(refused.errors()[1].find(
                "python_udf.toml:2:11: expected true or false for 'enabled'"),
            std::string::npos)
      << refused.errors()[1];
  EXPECT_NE(refused.errors()[2].find(
                "repeated_scan.toml:3:13: native rule repeated_scan has no "
                "threshold 'min_files' (it has: min_queries, "
                "min_reread_bytes, medium_reread_bytes)"),
            std::string::npos)
      << refused.errors()[2];
}

}  // namespace
}  // namespace prometheus::rules
