// Helpers for the rewrite tests: the corpus under testdata/pyspark, golden
// diffs, and CPython as an independent syntax check.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/unified_diff.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite::testing {

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string Corpus(const std::string& name) {
  return ReadBytes(prometheus::testing::RepoPath("testdata/pyspark/" + name));
}

// A file of testdata/notebooks; "<name>_crlf.py" is <name>.py with CRLF line
// endings, made here rather than kept as a second copy.
inline std::string NotebookFixture(const std::string& name) {
  std::string lf_name = name;
  bool crlf = name.ends_with("_crlf.py");
  if (crlf) lf_name = name.substr(0, name.size() - 8) + ".py";
  std::string text =
      ReadBytes(prometheus::testing::RepoPath("testdata/notebooks/" + lf_name));
  if (!crlf) return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

inline PythonSource Parsed(std::string text) {
  auto source = PythonSource::Parse(std::move(text));
  EXPECT_TRUE(source.has_value()) << source.error().message;
  return std::move(*source);
}

// True when CPython's own parser accepts `text`.
inline bool CPythonParses(const std::string& text) {
  prometheus::testing::TempDir dir;
  auto file = dir.Write("candidate.py", text);
  std::string command =
      "python3 -c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" '" +
      file.string() + "' 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

// Compares `diff` with testdata/pyspark/golden/<name>; with
// PROMETHEUS_UPDATE_GOLDEN set in the environment, rewrites the golden file.
inline void ExpectGolden(const std::string& name, const std::string& diff) {
  std::string path =
      prometheus::testing::RepoPath("testdata/pyspark/golden/" + name);
  if (std::getenv("PROMETHEUS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << diff;
  }
  EXPECT_EQ(diff, ReadBytes(path)) << "golden " << name;
}

// Applies `plan_fix` to `source`, and checks the result: it parses for
// tree-sitter and CPython, and planning the same fix on it (`again`, whose
// call-site line may account for an added import line) gives no edits.
template <typename Plan, typename Again>
std::string ApplyAndCheck(const PythonSource& source, Plan plan_fix,
                          Again again) {
  auto plan = plan_fix(source);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  if (!plan) return source.text();
  auto text = ApplyChecked(source, plan->edits);
  EXPECT_TRUE(text.has_value()) << text.error().message;
  if (!text) return source.text();
  EXPECT_TRUE(CPythonParses(*text)) << *text;
  auto second = again(Parsed(*text));
  EXPECT_TRUE(second.has_value()) << (second ? "" : second.error().message);
  if (second)
    EXPECT_TRUE(second->edits.empty()) << "not idempotent: " << second->note;
  return *text;
}

template <typename Plan>
std::string ApplyAndCheck(const PythonSource& source, Plan plan_fix) {
  return ApplyAndCheck(source, plan_fix, plan_fix);
}

}  // namespace prometheus::rewrite::testing
