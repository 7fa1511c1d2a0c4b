// Rule files: parsing with positioned errors, folder loading, and
// evaluation (severity, message, evidence, impact, fix).
#include "prometheus/rules/rule_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "prometheus/rules/scopes.h"

namespace prometheus::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr const char* kValid = R"toml(id = "demo"
scope = "stage"
severity_default = "medium"
when = "big and spill_ratio >= demo_low"
message = "Stage {stage_id} spilled {spilled:bytes} in {run_ms:duration} ({spill_ratio:pct}, {spill_ratio:.2f}, {parts:int}) {{not a placeholder}}"

[thresholds]
demo_low = 0.1
demo_high = 0.5
demo_min = "256MiB"
demo_unused = 7

[values]
spill_ratio = "ratio(spilled, processed)"
big = "spilled >= demo_min"
parts = "spill_ratio * 1000"

[severity]
medium = "spill_ratio >= demo_low"
critical = "spill_ratio >= demo_high"

[evidence]
spill_ratio = "spill_ratio"
spilled = "spilled"

[impact]
task_seconds = "run_ms / 1000 - 100"
wall_seconds = "nothing"
basis = "all of it"

[fix]
kind = "conf"
key = "spark.sql.shuffle.partitions"
value = "{parts:int}"
factor = "{spill_ratio}"
hint = "more partitions"
flag = true
missing = "{nothing}"
)toml";

using TestScope = MapScope;

std::string ParseError(std::string_view text) {
  auto rule = ParseRuleFile(text, "r.toml");
  EXPECT_FALSE(rule.has_value()) << "parsed";
  return rule ? "" : rule.error().message;
}

TEST(RuleFileParseTest, ReadsEverySection) {
  auto rule = ParseRuleFile(kValid, "rules/demo.toml");
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  EXPECT_EQ(rule->id, "demo");
  EXPECT_EQ(rule->title, "demo") << "the title defaults to the id";
  EXPECT_EQ(rule->source, "rules/demo.toml");
  EXPECT_EQ(rule->scope, "stage");
  EXPECT_TRUE(rule->enabled);
  EXPECT_EQ(rule->default_severity, Severity::kMedium);
  EXPECT_EQ(rule->thresholds.at("demo_min"), 256.0 * 1024 * 1024)
      << "units in strings";
  EXPECT_EQ(rule->thresholds.at("demo_unused"), 7.0);
  std::vector<std::string> values;
  for (const auto& [name, e] : rule->values) values.push_back(name);
  EXPECT_THAT(values, ElementsAre("spill_ratio", "big", "parts"))
      << "file order";
  ASSERT_EQ(rule->severities.size(), 2u);
  EXPECT_EQ(rule->severities[0].first, Severity::kCritical)
      << "most severe first";
  EXPECT_EQ(rule->severities[1].first, Severity::kMedium);
  EXPECT_EQ(rule->condition.text(), "big and spill_ratio >= demo_low");
  EXPECT_EQ(rule->impact_basis, "all of it");
  EXPECT_EQ(rule->fix_kind, "conf");
  EXPECT_THAT(
      rule->fix_params,
      ElementsAre(Pair("key", "spark.sql.shuffle.partitions"),
                  Pair("value", "{parts:int}"), Pair("factor", "{spill_ratio}"),
                  Pair("hint", "more partitions"), Pair("flag", "true"),
                  Pair("missing", "{nothing}")));
}

TEST(RuleFileParseTest, TomlSyntaxErrorIsAValueWithPosition) {
  EXPECT_THAT(ParseError("id = \"x\"\nwhen = [1,\n"),
              StartsWith("r.toml:2:12: Error while parsing array"));
  EXPECT_THAT(ParseError("id = \"unterminated\n"), StartsWith("r.toml:1:"));
}

TEST(RuleFileParseTest, BadExpressionPointsAtTheTokenInTheFile) {
  std::string text =
      "id = \"x\"\nscope = \"stage\"\nmessage = \"m\"\nwhen = \"a >= * 2\"\n";
  EXPECT_EQ(
      ParseError(text),
      "r.toml:4:14: expected a value (number, string, name, function call "
      "or '('), found '*' (in 'when')");
}

TEST(RuleFileParseTest, BadExpressionPositionCountsEscapesAndLines) {
  // An escaped quote takes two characters in the file and one in the value.
  std::string escaped =
      "id = \"x\"\nscope = \"stage\"\nmessage = \"m\"\nwhen = \"s == \\\"a\\\" "
      "b\"\n";
  EXPECT_THAT(ParseError(escaped),
              StartsWith("r.toml:4:20: expected an operator"));
  // A multi-line string: its first newline is not content.
  std::string multi_line =
      "id = \"x\"\nscope = \"stage\"\nmessage = \"m\"\nwhen = "
      "\"ok\"\n[values]\n"
      "v = '''\nmax(1,\n    2,, 3)'''\n";
  EXPECT_THAT(ParseError(multi_line),
              StartsWith("r.toml:8:7: expected a value"));
  EXPECT_THAT(ParseError(multi_line), HasSubstr("(in [values] v)"));
}

TEST(RuleFileParseTest, UnknownKeysListWhatIsExpected) {
  std::string top = "id = \"x\"\nscope = \"stage\"\nwhenn = \"a\"\n";
  EXPECT_THAT(
      ParseError(top),
      StartsWith(
          "r.toml:3:1: unknown key 'whenn', expected one of id, title, "
          "description, scope, enabled, severity_default, when, message"));
  std::string severity =
      std::string(kValid) + "[severity]\n";  // duplicate table
  EXPECT_THAT(ParseError(severity), StartsWith("r.toml:"));
  std::string nested =
      "id = \"x\"\nscope = \"stage\"\nwhen = \"a\"\nmessage = "
      "\"m\"\n[severity]\n"
      "severe = \"a\"\n";
  EXPECT_EQ(ParseError(nested),
            "r.toml:6:1: unknown key 'severe' in [severity], expected one of "
            "critical, "
            "high, medium, low");
}

TEST(RuleFileParseTest, TopLevelKeyAfterATableIsExplained) {
  std::string text =
      "id = \"x\"\nscope = \"stage\"\nwhen = \"a\"\n[severity]\nhigh = \"a\"\n"
      "message = \"m\"\n";
  EXPECT_EQ(ParseError(text),
            "r.toml:6:11: 'message' is inside [severity]: top-level keys "
            "belong above "
            "the first [table]");
}

TEST(RuleFileParseTest, WrongTypesNameTheKey) {
  std::string head = "id = \"x\"\nscope = \"stage\"\nmessage = \"m\"\n";
  EXPECT_EQ(ParseError(head + "when = 3\n"),
            "r.toml:4:8: expected a string for 'when', found an integer");
  EXPECT_EQ(
      ParseError(head + "when = \"a\"\nenabled = \"yes\"\n"),
      "r.toml:5:11: expected true or false for 'enabled', found a string");
  EXPECT_THAT(
      ParseError(head + "when = \"a\"\n[thresholds]\nt = true\n"),
      StartsWith("r.toml:6:5: expected a number or a string such as \"30s\" "
                 "for [thresholds] t, found a boolean"));
  EXPECT_EQ(ParseError(head + "when = \"a\"\nvalues = 3\n"),
            "r.toml:5:10: expected a table for [values], found an integer");
  EXPECT_EQ(ParseError(head + "when = \"a\"\nseverity_default = \"severe\"\n"),
            "r.toml:5:20: expected one of low, medium, high, critical for "
            "'severity_default', found \"severe\"");
}

TEST(RuleFileParseTest, MissingRequiredKeysAreNamed) {
  EXPECT_THAT(ParseError("scope = \"stage\"\nwhen = \"a\"\nmessage = \"m\"\n"),
              StartsWith("r.toml:1:1: missing key 'id'"));
  EXPECT_THAT(ParseError("id = \"x\"\nscope = \"stage\"\nmessage = \"m\"\n"),
              StartsWith("r.toml:1:1: missing key 'when'"));
  EXPECT_THAT(ParseError("id = \"x\"\nscope = \"stage\"\nwhen = \"a\"\n"),
              StartsWith("r.toml:1:1: missing key 'message'"));
  std::string head =
      "id = \"x\"\nscope = \"stage\"\nwhen = \"a\"\nmessage = \"m\"\n";
  EXPECT_EQ(ParseError(head + "[fix]\nkey = \"k\"\n"),
            "r.toml:5:1: missing key 'kind' in [fix] (e.g. kind = \"conf\")");
  EXPECT_EQ(ParseError(head + "[impact]\ntask_seconds = \"1\"\n"),
            "r.toml:5:1: missing key 'basis' in [impact] (how the impact is "
            "estimated)");
}

TEST(RuleFileParseTest, ChecksNamesValuesAndTemplates) {
  std::string head = "id = \"x\"\nscope = \"stage\"\nwhen = \"a\"\n";
  EXPECT_EQ(ParseError(head + "message = \"{r:percent}\"\n"),
            "r.toml:4:15: expected a format (bytes, duration, pct, int or "
            ".Nf), found "
            "'p' (in 'message')");
  EXPECT_EQ(ParseError(head + "message = \"m\"\n[thresholds]\nt = \"a + 1\"\n"),
            "r.toml:6:5: expected a constant number such as \"30s\" or "
            "\"256MiB\" for "
            "[thresholds] t, found \"a + 1\"");
  EXPECT_EQ(
      ParseError(head +
                 "message = \"m\"\n[thresholds]\nt = 1\n[values]\nt = \"2\"\n"),
      "r.toml:8:1: value 't' has the name of a threshold");
  EXPECT_EQ(ParseError(head + "message = \"m\"\n[values]\n\"not\" = \"2\"\n"),
            "r.toml:6:1: expected a name of letters, digits and '_' in "
            "[values], found "
            "'not'");
  EXPECT_EQ(ParseError(
                "id = \"x\"\nscope = \"job\"\nwhen = \"a\"\nmessage = \"m\"\n"),
            "r.toml:2:9: expected \"stage\" or \"application\" for 'scope', "
            "found \"job\"");
}

TEST(RuleFolderTest, OneBadFileDoesNotStopTheOthers) {
  auto folder =
      std::filesystem::path(::testing::TempDir()) / "rule_folder_test";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder / name) << text;
  };
  auto rule = [](const std::string& id) {
    return "id = \"" + id +
           "\"\nscope = \"stage\"\nwhen = \"true\"\nmessage = \"m\"\n";
  };
  write("c.toml", rule("gamma"));
  write("a.toml", rule("alpha"));
  write("b.toml",
        "id = \"beta\"\nscope = \"stage\"\nmessage = \"m\"\nwhen = \"1 +\"\n");
  write("d.toml", rule("alpha"));
  write("notes.txt", "not a rule");
  RuleSet set = LoadRuleFolder(folder);
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(set.rules[0].id, "alpha");
  EXPECT_EQ(set.rules[1].id, "gamma");
  ASSERT_EQ(set.errors.size(), 2u);
  EXPECT_THAT(set.errors[0],
              StartsWith((folder / "b.toml").string() + ":4:12: expected"));
  EXPECT_THAT(set.errors[1],
              HasSubstr("rule id 'alpha' is already defined in"));
  std::filesystem::remove_all(folder);
}

TEST(RuleFolderTest, MissingFolderIsEmpty) {
  RuleSet set = LoadRuleFolder("/nonexistent/prometheus/rules");
  EXPECT_TRUE(set.rules.empty());
  EXPECT_TRUE(set.errors.empty());
}

RuleDefinition Demo() {
  auto rule = ParseRuleFile(kValid, "demo.toml");
  EXPECT_TRUE(rule.has_value()) << rule.error().message;
  return rule ? *rule : RuleDefinition{};
}

TEST(EvaluateRuleTest, FormatsMessageEvidenceImpactAndFix) {
  TestScope scope{{"stage_id", 7.0},
                  {"spilled", 3.1 * 1024 * 1024 * 1024},
                  {"processed", 3.1 * 1024 * 1024 * 1024 / 0.4},
                  {"run_ms", 245000.0},
                  {"nothing", ExprValue{}}};
  auto finding = EvaluateRule(Demo(), scope);
  ASSERT_TRUE(finding.has_value()) << finding.error().message;
  ASSERT_TRUE(finding->has_value());
  const RuleFinding& f = **finding;
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(
      f.message,
      "Stage 7 spilled 3.1 GiB in 4m 05s (40%, 0.40, 400) {not a placeholder}");
  EXPECT_EQ(
      f.evidence.dump(),
      R"({"spill_ratio":0.4,"spilled":3328599654.4,"demo_high":0.5,"demo_low":0.1,)"
      R"("demo_min":268435456})")
      << "evidence entries, then the thresholds read, without unread "
         "demo_unused";
  EXPECT_DOUBLE_EQ(*f.impact_task_seconds, 145.0);
  EXPECT_FALSE(f.impact_wall_seconds.has_value()) << "null impact is unknown";
  EXPECT_EQ(
      FixJson(f).dump(),
      R"({"kind":"conf","key":"spark.sql.shuffle.partitions","value":"400",)"
      R"("factor":0.4,"hint":"more partitions","flag":true,"missing":null,)"
      R"("applies":"runtime"})")
      << "a conf fix says when it applies, from its key when the rule does "
         "not";
}

TEST(EvaluateRuleTest, AConfFixKeepsTheAppliesItsRuleStates) {
  auto rule = ParseRuleFile(
      "id = \"ext\"\nscope = \"stage\"\nwhen = \"true\"\nmessage = \"m\"\n"
      "[fix]\nkind = \"conf\"\nkey = \"spark.myext.cache\"\nvalue = \"on\"\n"
      "applies = \"runtime\"\n",
      "ext.toml");
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  auto finding = EvaluateRule(*rule, TestScope{{"stage_id", 1.0}});
  ASSERT_TRUE(finding.has_value()) << finding.error().message;
  ASSERT_TRUE(finding->has_value());
  EXPECT_EQ(FixJson(**finding).dump(),
            R"({"kind":"conf","key":"spark.myext.cache","value":"on",)"
            R"("applies":"runtime"})");
}

TEST(EvaluateRuleTest, SeverityLadderAndDefault) {
  RuleDefinition rule = Demo();
  auto severity_at = [&](double ratio) -> std::optional<Severity> {
    TestScope scope{{"stage_id", 1.0},
                    {"spilled", 1e9},
                    {"processed", 1e9 / ratio},
                    {"run_ms", 1000.0},
                    {"nothing", ExprValue{}}};
    auto finding = EvaluateRule(rule, scope);
    EXPECT_TRUE(finding.has_value()) << finding.error().message;
    if (!finding || !*finding) return std::nullopt;
    return (*finding)->severity;
  };
  EXPECT_EQ(severity_at(0.05), std::nullopt) << "below demo_low: no finding";
  EXPECT_EQ(severity_at(0.2), Severity::kMedium);
  EXPECT_EQ(severity_at(0.6), Severity::kCritical);
  rule.severities.clear();
  EXPECT_EQ(severity_at(0.6), Severity::kMedium) << "severity_default";
  rule.thresholds["demo_low"] = 0.7;
  EXPECT_EQ(severity_at(0.6), std::nullopt)
      << "an overridden threshold is used";
  rule.enabled = false;
  EXPECT_EQ(severity_at(0.9), std::nullopt) << "a disabled rule never fires";
}

TEST(EvaluateRuleTest, ImpactIsNeverNegative) {
  TestScope scope{{"stage_id", 1.0},
                  {"spilled", 1e9},
                  {"processed", 1e9},
                  {"run_ms", 1000.0},
                  {"nothing", ExprValue{}}};
  auto finding = EvaluateRule(Demo(), scope);
  ASSERT_TRUE(finding.has_value() && finding->has_value());
  EXPECT_EQ((*finding)->impact_task_seconds, 0.0) << "1 - 100 s clamps to 0";
}

TEST(EvaluateRuleTest, ErrorsNameTheSection) {
  TestScope without_processed{{"stage_id", 1.0},
                              {"spilled", 1e9},
                              {"run_ms", 1.0},
                              {"nothing", ExprValue{}}};
  auto finding = EvaluateRule(Demo(), without_processed);
  ASSERT_FALSE(finding.has_value());
  EXPECT_EQ(finding.error().message,
            "[values] spill_ratio: unknown name processed");

  TestScope without_stage{{"spilled", 1e9},
                          {"processed", 1e9},
                          {"run_ms", 1.0},
                          {"nothing", ExprValue{}}};
  finding = EvaluateRule(Demo(), without_stage);
  ASSERT_FALSE(finding.has_value());
  EXPECT_EQ(finding.error().message, "message: unknown name stage_id");

  TestScope text_spill{{"stage_id", 1.0},
                       {"spilled", "lots"},
                       {"processed", 1.0},
                       {"run_ms", 1.0},
                       {"nothing", ExprValue{}}};
  finding = EvaluateRule(Demo(), text_spill);
  ASSERT_FALSE(finding.has_value());
  EXPECT_EQ(finding.error().message,
            "[values] spill_ratio: ratio() needs numbers, found string");
}

}  // namespace
}  // namespace prometheus::rules
