// The built-in rule files of rules/: they load, read only names the scopes
// provide, stay quiet on short stages, and fire on the cases they describe.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/rules/internal/message_template.h"
#include "prometheus/rules/rule_file.h"
#include "prometheus/testing/paths.h"

namespace prometheus::rules {
namespace {

using ::testing::HasSubstr;

constexpr double kMiB = 1024.0 * 1024;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kMinute = 60000;

class MapScope : public Scope {
 public:
  std::optional<ExprValue> Lookup(std::string_view name) const override {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, ExprValue> values;
};

// The application names both scopes carry (docs/RULE_FILES.md).
MapScope AppScope() {
  MapScope scope;
  scope.values = {{"app_id", "app-1"},
                  {"app_spark_version", "3.5.0"},
                  {"app_max_cores", 16.0},
                  {"app_num_executors", 4.0},
                  {"app_duration_ms", 3600000.0},
                  {"app_task_time_ms", 36000000.0},
                  {"app_gc_time_ms", 360000.0},
                  {"app_num_jobs", 10.0},
                  {"app_num_failed_jobs", 0.0},
                  {"app_num_tasks", 1000.0},
                  {"app_num_failed_tasks", 0.0},
                  {"app_failure_causes", ""},
                  {"app_core_seconds_available", 57600.0},
                  {"app_core_seconds_used", 36000.0},
                  {"app_core_utilization", 0.625},
                  {"shuffle_partitions", 200.0},
                  {"aqe_enabled", true},
                  {"aqe_coalesces", true},
                  {"advisory_partition_bytes", 64.0 * (1 << 20)}};
  return scope;
}

// Every KPI column of `row` under its contract name, as the engine gives them.
MapScope StageScope(const kpi::StageKpis& row) {
  MapScope scope = AppScope();
  auto number = [](const auto& v) -> ExprValue {
    using V = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
      return v.value ? ExprValue(static_cast<double>(*v.value)) : ExprValue();
    } else if constexpr (std::is_same_v<V, bool> ||
                         std::is_same_v<V, std::string>) {
      return v;
    } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
      return v ? ExprValue(*v) : ExprValue();
    } else if constexpr (requires { v.has_value(); }) {
      return v ? ExprValue(static_cast<double>(*v)) : ExprValue();
    } else {
      return static_cast<double>(v);
    }
  };
  kpi::VisitColumns(row, [&](std::string_view name, const auto& value) {
    scope.values[std::string(name)] = number(value);
  });
  scope.values["task_read_bytes_max"] = number(row.task_read_bytes_max);
  scope.values["task_read_bytes_p50"] = number(row.task_read_bytes_p50);
  return scope;
}

RuleSet Builtin() {
  return LoadRuleFolder(std::filesystem::path(prometheus::testing::SourceDir()) / "rules");
}

// A stage whose tasks all take `median_ms` except one of `max_ms`.
kpi::StageKpis Stage(int64_t duration_ms, int64_t median_ms, int64_t max_ms) {
  kpi::StageKpis s;
  s.stage_id = 3;
  s.status = "COMPLETE";
  s.num_tasks = s.num_completed_tasks = 8;
  s.submission_time = 1700000000000;
  s.completion_time = *s.submission_time + duration_ms;
  s.duration_ms = duration_ms;
  s.task_duration_ms_min = s.task_duration_ms_p25 = median_ms;
  s.task_duration_ms_p50 = s.task_duration_ms_p75 = s.task_duration_ms_p95 =
      median_ms;
  s.task_duration_ms_max = max_ms;
  s.executor_run_time_ms = 7 * median_ms + max_ms;
  s.input_bytes = 8 * 64 * static_cast<int64_t>(kMiB);
  s.task_read_bytes_max = s.task_read_bytes_p50 =
      64 * static_cast<int64_t>(kMiB);
  return s;
}

std::map<std::string, RuleFinding> Fire(const RuleSet& set,
                                        const MapScope& scope,
                                        std::string_view rule_scope) {
  std::map<std::string, RuleFinding> fired;
  for (const RuleDefinition& rule : set.rules) {
    if (rule.scope != rule_scope) continue;
    auto finding = EvaluateRule(rule, scope);
    EXPECT_TRUE(finding.has_value())
        << rule.id << ": " << finding.error().message;
    if (finding && *finding) fired.emplace(rule.id, **finding);
  }
  return fired;
}

TEST(BuiltinRuleFilesTest, EveryFileLoadsWithItsFileNameAsId) {
  RuleSet set = Builtin();
  EXPECT_THAT(set.errors, ::testing::IsEmpty());
  std::set<std::string> stems;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(prometheus::testing::SourceDir()) / "rules")) {
    if (entry.path().extension() == ".toml") stems.insert(entry.path().stem());
  }
  ASSERT_EQ(set.rules.size(), stems.size());
  for (const RuleDefinition& rule : set.rules) {
    SCOPED_TRACE(rule.source);
    EXPECT_TRUE(stems.contains(rule.id));
    EXPECT_NE(rule.title, rule.id);
    EXPECT_FALSE(rule.description.empty());
    EXPECT_FALSE(rule.thresholds.empty());
    EXPECT_FALSE(rule.evidence.empty());
    EXPECT_FALSE(rule.impact_basis.empty());
    EXPECT_TRUE(rule.impact_task_seconds || rule.impact_wall_seconds);
    EXPECT_FALSE(rule.fix_kind.empty());
  }
}

// Evaluation only reaches the names on the branches it takes, so every name
// is checked against the scopes here.
TEST(BuiltinRuleFilesTest, EveryNameReadIsProvided) {
  MapScope stage = StageScope(kpi::StageKpis{});
  MapScope app = AppScope();
  for (const RuleDefinition& rule : Builtin().rules) {
    SCOPED_TRACE(rule.id);
    std::set<std::string> own;
    for (const auto& [name, v] : rule.thresholds) own.insert(name);
    for (const auto& [name, e] : rule.values) own.insert(name);
    for (const auto& [name, e] : rule.evidence) own.insert(name);
    std::vector<std::string> names = rule.condition.Names();
    auto add = [&](const Expression& e) {
      for (const auto& n : e.Names()) names.push_back(n);
    };
    for (const auto& [n, e] : rule.values) add(e);
    for (const auto& [s, e] : rule.severities) add(e);
    for (const auto& [n, e] : rule.evidence) add(e);
    if (rule.impact_task_seconds) add(*rule.impact_task_seconds);
    if (rule.impact_wall_seconds) add(*rule.impact_wall_seconds);
    std::vector<std::string> templates = {rule.message};
    for (const auto& [k, text] : rule.fix_params) templates.push_back(text);
    for (const auto& text : templates) {
      for (const auto& n :
           internal::TemplateNames(*internal::ParseTemplate(text))) {
        names.push_back(n);
      }
    }
    const MapScope& scope = rule.scope == "stage" ? stage : app;
    for (const std::string& name : names) {
      EXPECT_TRUE(own.contains(name) || scope.Lookup(name))
          << "unknown name " << name;
    }
  }
}

TEST(BuiltinRuleFilesTest, HealthyTwoSecondStageFiresNothingAboveLow) {
  kpi::StageKpis s = Stage(2000, 1500, 1900);
  s.jvm_gc_time_ms = 100;
  for (const auto& [id, f] : Fire(Builtin(), StageScope(s), "stage")) {
    EXPECT_EQ(f.severity, Severity::kLow) << id << ": " << f.message;
  }
}

TEST(BuiltinRuleFilesTest, PathologicalTwoSecondStageIsNeverHighOrCritical) {
  kpi::StageKpis s = Stage(2000, 20, 1990);  // 100x skew
  s.num_completed_tasks = 6;
  s.num_failed_tasks = 2;
  s.jvm_gc_time_ms = s.executor_run_time_ms / 2;
  s.memory_bytes_spilled = s.input_bytes;
  s.disk_bytes_spilled = s.input_bytes / 2;
  s.shuffle_read_bytes = s.input_bytes;
  s.shuffle_fetch_wait_ms = s.executor_run_time_ms / 2;
  s.task_read_bytes_max = 2 * static_cast<int64_t>(kGiB);
  for (const auto& [id, f] : Fire(Builtin(), StageScope(s), "stage")) {
    EXPECT_LE(f.severity, Severity::kMedium) << id << ": " << f.message;
  }
}

TEST(BuiltinRuleFilesTest, SkewedTenMinuteStageIsHighOrCritical) {
  kpi::StageKpis s = Stage(10 * kMinute, 30000, 9 * kMinute);
  s.task_duration_ms_p75 = 40000;
  auto fired = Fire(Builtin(), StageScope(s), "stage");
  ASSERT_TRUE(fired.contains("skew_time"));
  const RuleFinding& f = fired.at("skew_time");
  EXPECT_EQ(f.severity, Severity::kCritical);  // 540 s / 30 s = 18x
  EXPECT_THAT(f.message,
              HasSubstr("took 9m 00s against a median of 30.0 s (18.0x), 90%"));
  EXPECT_EQ(f.evidence["skew_ratio"], 18);
  EXPECT_EQ(f.evidence["skew_critical"], 16);
  EXPECT_EQ(f.evidence["skew_min_task"], 30000);
  EXPECT_DOUBLE_EQ(*f.impact_wall_seconds, 500.0);  // 540 s - p75 40 s
  EXPECT_EQ(FixJson(f)["kind"], "salting");

  s.task_duration_ms_p50 = 60000;  // 9x
  fired = Fire(Builtin(), StageScope(s), "stage");
  ASSERT_TRUE(fired.contains("skew_time"));
  EXPECT_EQ(fired.at("skew_time").severity, Severity::kHigh);
}

// One scenario per problem; together they fire every built-in rule, whose
// evidence then lists its entries and the thresholds its condition reads.
TEST(BuiltinRuleFilesTest, EveryRuleFiresOnItsCaseWithEvidence) {
  RuleSet set = Builtin();
  std::map<std::string, RuleFinding> fired;
  auto merge = [&](std::map<std::string, RuleFinding> more) {
    fired.merge(more);
  };

  kpi::StageKpis skewed = Stage(10 * kMinute, 30000, 9 * kMinute);
  skewed.task_read_bytes_max = static_cast<int64_t>(8 * kGiB);
  skewed.task_read_bytes_p50 = static_cast<int64_t>(256 * kMiB);
  merge(Fire(set, StageScope(skewed), "stage"));

  kpi::StageKpis heavy = Stage(60 * kMinute, 20 * kMinute, 25 * kMinute);
  heavy.num_tasks = 100;
  heavy.num_completed_tasks = 90;
  heavy.num_failed_tasks = 10;
  heavy.executor_run_time_ms = 100 * 20 * kMinute;
  heavy.jvm_gc_time_ms = heavy.executor_run_time_ms / 4;
  heavy.shuffle_fetch_wait_ms = heavy.executor_run_time_ms / 3;
  heavy.shuffle_read_bytes = static_cast<int64_t>(1024 * kGiB);
  heavy.memory_bytes_spilled = static_cast<int64_t>(600 * kGiB);
  heavy.disk_bytes_spilled = static_cast<int64_t>(200 * kGiB);
  merge(Fire(set, StageScope(heavy), "stage"));

  kpi::StageKpis tiny = Stage(30000, 100, 300);
  tiny.num_tasks = tiny.num_completed_tasks = 20000;
  tiny.executor_run_time_ms = 20000 * 100;
  tiny.executor_deserialize_time_ms = 20000 * 50;
  merge(Fire(set, StageScope(tiny), "stage"));

  MapScope app = AppScope();
  app.values["app_gc_time_ms"] = 0.3 * 36000000;
  app.values["app_num_failed_tasks"] = 200.0;
  app.values["app_num_failed_jobs"] = 1.0;
  app.values["app_failure_causes"] = " By cause: 200 raised `ValueError: bad row`.";
  merge(Fire(set, app, "application"));

  for (const RuleDefinition& rule : set.rules) {
    SCOPED_TRACE(rule.id);
    ASSERT_TRUE(fired.contains(rule.id)) << "no scenario fires it";
    const RuleFinding& f = fired.at(rule.id);
    EXPECT_FALSE(f.message.empty());
    EXPECT_THAT(f.message, ::testing::Not(HasSubstr("n/a")));
    for (const auto& [name, e] : rule.evidence)
      EXPECT_TRUE(f.evidence.contains(name)) << name;
    for (const std::string& name : rule.condition.Names()) {
      if (rule.thresholds.contains(name)) {
        EXPECT_EQ(f.evidence[name], rule.thresholds.at(name)) << name;
      }
    }
    EXPECT_EQ(FixJson(f)["kind"], rule.fix_kind);
  }
  // The parameters docs/RECOMMENDATIONS.md gives each kind.
  const std::map<std::string, std::vector<std::string>> contract = {
      {"conf", {"key", "value"}},
      {"repartition", {"partitions", "key"}},
      {"salting", {"key"}},
      {"investigate", {"advice"}}};
  for (const auto& [id, f] : fired) {
    std::string kind = FixJson(f)["kind"];
    ASSERT_TRUE(contract.contains(kind)) << id << ": kind " << kind;
    for (const std::string& param : contract.at(kind)) {
      EXPECT_TRUE(FixJson(f).contains(param)) << id << ": " << param;
    }
  }
  EXPECT_TRUE(FixJson(fired.at("skew_time"))["key"].is_null());
  // Under AQE the heavy stage's 1 TiB shuffle is coalesced to 64 MiB
  // partitions: half its largest task's read (64 MiB) as the advisory
  // size, and 1 TiB / 32 MiB partitions to coalesce from.
  EXPECT_EQ(FixJson(fired.at("spill"))["key"], "spark.sql.adaptive.advisoryPartitionSizeInBytes");
  EXPECT_EQ(FixJson(fired.at("spill"))["value"], "32m") << "conf values stay strings";
  EXPECT_THAT(fired.at("spill").message, HasSubstr("would be merged back"));
  EXPECT_THAT(fired.at("spill").message,
              HasSubstr("raise spark.sql.shuffle.partitions to at least 32768 as well."));
  EXPECT_EQ(FixJson(fired.at("long_tasks_few_partitions"))["partitions"], 2000);
  EXPECT_EQ(FixJson(fired.at("tiny_tasks"))["partitions"], 2000);
  EXPECT_EQ(fired.at("gc").severity, Severity::kCritical);      // 25%
  EXPECT_EQ(fired.at("app_task_failures").severity, Severity::kHigh);
}

// The format reference's example is a working rule.
TEST(BuiltinRuleFilesTest, SpillWithoutAqeCoalescingDoublesTheShufflePartitions) {
  kpi::StageKpis heavy = Stage(60 * kMinute, 20 * kMinute, 25 * kMinute);
  heavy.executor_run_time_ms = 100 * 20 * kMinute;
  heavy.shuffle_read_bytes = static_cast<int64_t>(1024 * kGiB);
  heavy.memory_bytes_spilled = static_cast<int64_t>(600 * kGiB);
  heavy.disk_bytes_spilled = static_cast<int64_t>(200 * kGiB);
  MapScope scope = StageScope(heavy);
  scope.values["aqe_coalesces"] = false;
  auto fired = Fire(Builtin(), scope, "stage");
  ASSERT_TRUE(fired.contains("spill"));
  EXPECT_EQ(FixJson(fired.at("spill"))["key"], "spark.sql.shuffle.partitions");
  EXPECT_EQ(FixJson(fired.at("spill"))["value"], "400");
  EXPECT_THAT(fired.at("spill").message,
              HasSubstr("More shuffle partitions give each task a share that fits in memory."));
  EXPECT_THAT(fired.at("spill").message, ::testing::Not(HasSubstr("merged back")));
}

TEST(BuiltinRuleFilesTest, DocumentedExampleParses) {
  std::ifstream in(std::filesystem::path(prometheus::testing::SourceDir()) / "docs" /
                   "RULE_FILES.md");
  std::stringstream doc;
  doc << in.rdbuf();
  std::string text = doc.str();
  size_t start = text.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string example = text.substr(start, text.find("```", start) - start);
  auto rule = ParseRuleFile(example, "RULE_FILES.md");
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  kpi::StageKpis s = Stage(20 * kMinute, 2 * kMinute, 3 * kMinute);
  s.memory_bytes_spilled = s.input_bytes;
  s.disk_bytes_spilled = s.input_bytes / 2;
  auto finding = EvaluateRule(*rule, StageScope(s));
  ASSERT_TRUE(finding.has_value()) << finding.error().message;
  ASSERT_TRUE(finding->has_value());
  EXPECT_EQ((*finding)->severity, Severity::kHigh);
  EXPECT_EQ((*finding)->message,
            "Stage 3 spilled 512.0 MiB, 100% of the 512.0 MiB it processed.");
  EXPECT_EQ(FixJson(**finding)["value"], "400");
}

}  // namespace
}  // namespace prometheus::rules
