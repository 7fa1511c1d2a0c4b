// Helpers for the .ipynb tests: the fixtures under testdata/notebooks, CPython
// re-serialising a notebook, and Apply checked against nlohmann::json.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/ipynb_json.h"
#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite::testing {

inline constexpr const char* kFixtures[] = {
    "nbformat_sales.ipynb", "colab_churn.ipynb", "string_sources.ipynb",
    "databricks_export.ipynb", "magics.ipynb"};
// How testdata/notebooks was written: json.dumps(nb, **kwargs) + "\n".
inline constexpr const char* kNbformatStyle =
    R"({"indent": 1, "sort_keys": true, "ensure_ascii": false})";
inline constexpr const char* kColabStyle =
    R"({"indent": 2, "ensure_ascii": true})";

inline std::string Fixture(const std::string& name) {
  return ReadBytes(prometheus::testing::RepoPath("testdata/notebooks/" + name));
}

inline IpynbNotebook Load(std::string text) {
  auto notebook = IpynbNotebook::Parse(std::move(text));
  EXPECT_TRUE(notebook.has_value()) << notebook.error().message;
  return std::move(*notebook);
}

inline std::string Joined(const nlohmann::json& source) {
  if (source.is_string()) return source.get<std::string>();
  std::string out;
  for (const auto& line : source) out += line.get<std::string>();
  return out;
}

// CPython re-serialising `text` with json.dumps(**kwargs) + "\n".
inline std::string PythonRedump(const std::string& text,
                                const std::string& kwargs) {
  prometheus::testing::TempDir dir;
  auto in = dir.Write("in.ipynb", text);
  auto out = dir.path() / "out.ipynb";
  std::string command =
      "python3 -c 'import json,sys; "
      "d=json.load(open(sys.argv[1],encoding=\"utf-8\")); "
      "open(sys.argv[3],\"w\",encoding=\"utf-8\").write(json.dumps(d, "
      "**json.loads(sys.argv[2])) "
      "+ \"\\n\")' '" +
      in.string() + "' '" + kwargs + "' '" + out.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return prometheus::testing::Slurp(out);
}

// The virtual edit replacing the only occurrence of `needle`.
inline Edit Replace(const IpynbNotebook& notebook, std::string_view needle,
                    std::string text) {
  size_t at = notebook.virtual_module().find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  EXPECT_EQ(notebook.virtual_module().find(needle, at + 1), std::string::npos)
      << needle;
  return Edit{static_cast<uint32_t>(at),
              static_cast<uint32_t>(at + needle.size()), std::move(text)};
}

// Applies `edits` and checks the result: JSON equal to the original on
// every key but the edited cell's source, that source equal to ApplyEdits
// on the old one, and the bytes changed only inside its JSON span.
inline std::string ApplyToOneCell(const IpynbNotebook& notebook,
                                  const std::vector<CellEdit>& edits) {
  auto applied = notebook.Apply(edits);
  EXPECT_TRUE(applied.has_value()) << applied.error().message;
  if (!applied) return notebook.text();
  const std::string& before = notebook.text();
  const std::string& after = *applied;
  size_t cell = edits.front().cell;
  std::vector<Edit> plain;
  for (const CellEdit& edit : edits) {
    EXPECT_EQ(edit.cell, cell);
    plain.push_back(edit.edit);
  }
  auto expected = ApplyEdits(notebook.cells()[cell].source, plain);
  EXPECT_TRUE(expected.has_value());

  nlohmann::json old_json = nlohmann::json::parse(before);
  nlohmann::json new_json = nlohmann::json::parse(after);
  EXPECT_EQ(Joined(new_json["cells"][cell]["source"]), *expected);
  EXPECT_EQ(new_json["cells"][cell]["source"].is_string(),
            old_json["cells"][cell]["source"].is_string());
  old_json["cells"][cell].erase("source");
  new_json["cells"][cell].erase("source");
  EXPECT_EQ(old_json, new_json);

  size_t prefix =
      std::mismatch(before.begin(), before.end(), after.begin(), after.end())
          .first -
      before.begin();
  size_t suffix = std::mismatch(before.rbegin(), before.rend(), after.rbegin(),
                                after.rend())
                      .first -
                  before.rbegin();
  const NotebookCell& changed = notebook.cells()[cell];
  EXPECT_GE(prefix, changed.json_begin);
  EXPECT_GE(suffix, before.size() - changed.json_end);
  return after;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (std::string_view line : ipynb::SplitLinesKeepEnds(text))
    lines.emplace_back(line);
  return lines;
}

// The lines of `after` that are not in `before`, for same-length files.
inline std::vector<std::string> ChangedLines(const std::string& before,
                                             const std::string& after) {
  std::vector<std::string> old_lines = Lines(before), new_lines = Lines(after),
                           changed;
  EXPECT_EQ(old_lines.size(), new_lines.size());
  for (size_t i = 0; i < std::min(old_lines.size(), new_lines.size()); ++i) {
    if (old_lines[i] != new_lines[i]) changed.push_back(new_lines[i]);
  }
  return changed;
}

}  // namespace prometheus::rewrite::testing
