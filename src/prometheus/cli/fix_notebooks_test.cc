// `prometheus fix` over the notebook corpus (testdata/notebooks/*.ipynb):
// one golden diff for fixes found from ipykernel cell names, Databricks
// command ids and the plan's tables alone; every other byte and every
// non-source JSON value unchanged; a second run changes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/cli/fix_testing.h"
#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using nlohmann::json;
using prometheus::rewrite::testing::ReadBytes;
using testing::RunPrometheus;
using testing::TempDir;

const char* const kNotebooks[] = {
    "colab_churn.ipynb", "databricks_export.ipynb", "magics.ipynb",
    "nbformat_sales.ipynb", "string_sources.ipynb"};

std::string Notebook(const std::string& name) {
  return ReadBytes(prometheus::testing::RepoPath("testdata/notebooks/" + name));
}

// ipykernel's file for a code cell of a corpus notebook.
std::string KernelFile(const std::string& notebook, size_t cell) {
  json doc = json::parse(Notebook(notebook));
  const json& source = doc["cells"][cell]["source"];
  std::string text;
  if (source.is_string()) {
    text = source;
  } else {
    for (const auto& line : source) text += line.get<std::string>();
  }
  return "/tmp/ipykernel_812/" +
         rewrite::IpynbNotebook::IpykernelCellName(text);
}

// A notebook's JSON with every cell's source removed.
json WithoutSources(const std::string& text) {
  json doc = json::parse(text);
  for (auto& cell : doc["cells"]) cell.erase("source");
  return doc;
}

TEST(FixNotebooks, GoldenDiffOverTheNotebookCorpus) {
  json recs = {
      {"recommendations",
       {
           // ipykernel cell name: the join in Colab's cell 3, line 3.
           {{"id", "11aa"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", nullptr},
              {"path", "/content/tarife.json"},
              {"call_site",
               {{"file", KernelFile("colab_churn.ipynb", 3)}, {"line", 3}}}}}},
           // A Databricks command id: line 3 of the export's cell 3.
           {{"id", "22bb"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", "ref.dim_country"},
              {"path", nullptr},
              {"call_site",
               {{"file", "command-4402169478231147"}, {"line", 3}}}}}},
           // The same table in the %sql cell, found by the table alone: two
           // places.
           {{"id", "33cc"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", "ref.dim_country"},
              {"path", nullptr}}}},
           // Line 1 of a cell whose second line is a masked `!echo`.
           {{"id", "44dd"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", nullptr},
              {"path", "/data/users"},
              {"call_site",
               {{"file", KernelFile("magics.ipynb", 4)}, {"line", 1}}}}}},
           // The %%sql cell of the same notebook, by table.
           {{"id", "55ee"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", "users"},
              {"path", nullptr}}}},
           // No call site: the one join that reads dim.regionen.
           {{"id", "66ff"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", "dim.regionen"},
              {"path", nullptr}}}},
           // Extends `from pyspark.sql.functions import col, sum as sum_`.
           {{"id", "7700"},
            {"fix",
             {{"kind", "broadcast_hint"},
              {"table", "ref.warehouses"},
              {"path", nullptr}}}},
       }}};
  TempDir tmp;
  auto recs_file = tmp.Write("recs.json", recs.dump(1));
  for (const char* name : kNotebooks)
    tmp.Write(std::string("repo/") + name, Notebook(name));
  std::string repo = (tmp.path() / "repo").string();

  auto diff = RunPrometheus(
      {"fix", "--recommendations", recs_file.string(), "--repo", repo});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  rewrite::testing::ExpectGolden("notebooks_fix.diff", diff.out);
  EXPECT_NE(
      diff.err.find(
          "skipped 33cc broadcast_hint ref.dim_country: 2 joins read table "
          "ref.dim_country (databricks_export.ipynb, databricks_export.ipynb)"),
      std::string::npos)
      << diff.err;
  EXPECT_NE(diff.err.find(
                "fix: 6 applied, 0 already present, 0 described, 1 skipped"),
            std::string::npos)
      << diff.err;

  ASSERT_EQ(RunPrometheus({"fix", "--recommendations", recs_file.string(),
                           "--repo", repo, "--apply"})
                .exit_code,
            0);
  for (const char* name : kNotebooks) {
    std::string after = ReadBytes(repo + "/" + name);
    EXPECT_EQ(WithoutSources(after), WithoutSources(Notebook(name))) << name;
  }
  testing::ExpectNothingLeftToDo(recs_file, repo,
                                 "fix: 0 applied, 6 already present");
}

}  // namespace
}  // namespace prometheus::cli
