// Which files a fix run may edit, and where a call site points among them:
// a path checked out elsewhere, a Databricks command, an ipykernel cell.
#include "prometheus/rewrite/source_tree.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

using prometheus::testing::TempDir;

constexpr const char* kNotebook =
    "# Databricks notebook source\nimport os\n\n# COMMAND ----------\n\na = "
    "1\nb = 2\nc = 3\n\n"
    "# COMMAND ----------\n\n# MAGIC %md\n# MAGIC hello\n\n# COMMAND "
    "----------\n\nx = 1\ny = 2\n";

constexpr const char* kIpynb = R"({
 "cells": [
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
   "source": ["import os\n", "x = 1"]},
  {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
   "source": ["y = 2\n", "z = 3"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
)";

TEST(SourceTree,
     ListsPythonNotebooksAndSqlButNotHiddenFoldersOrInstalledPackages) {
  TempDir tmp;
  tmp.Write("repo/jobs/a.py", "x = 1\n");
  tmp.Write("repo/nb/b.ipynb", kIpynb);
  tmp.Write("repo/sql/c.sql", "SELECT 1\n");
  tmp.Write("repo/README.md", "# r\n");
  tmp.Write("repo/.git/hooks/d.py", "x = 1\n");
  tmp.Write("repo/.venv/lib/e.py", "x = 1\n");
  tmp.Write("repo/env/pyvenv.cfg", "home = /usr/bin\n");
  tmp.Write("repo/env/lib/python3.11/site-packages/pyspark/sql/session.py",
            "x = 1\n");
  tmp.Write("repo/vendor/site-packages/f.py", "x = 1\n");
  tmp.Write("repo/jobs/__pycache__/g.py", "x = 1\n");
  tmp.Write("repo/ui/node_modules/h.py", "x = 1\n");
  SourceTree tree(tmp.path() / "repo");
  EXPECT_EQ(tree.files(),
            (std::vector<std::string>{"jobs/a.py", "nb/b.ipynb", "sql/c.sql"}));
  auto sql = tree.File("sql/c.sql");
  ASSERT_TRUE(sql.has_value());
  EXPECT_EQ((*sql)->kind(), SourceKind::kSql);
  EXPECT_EQ((*sql)->module(), nullptr);
}

TEST(SourceTree, LocatesAPathByTheLongestSharedSuffix) {
  TempDir tmp;
  tmp.Write("repo/jobs/a/etl.py", "x = 1\n");
  tmp.Write("repo/jobs/b/etl.py", "x = 2\n");
  SourceTree tree(tmp.path() / "repo");
  auto places = tree.Locate(
      {"/Workspace/Repos/.internal/9_commits/abc/jobs/b/etl.py", 1});
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].file->path(), "jobs/b/etl.py");
  EXPECT_EQ((*places)[0].line, 1u);
  auto ambiguous = tree.Locate({"/tmp/etl.py", 1});
  ASSERT_FALSE(ambiguous.has_value());
  EXPECT_NE(ambiguous.error().message.find(
                "2 .py files under the repository match /tmp/etl.py"),
            std::string::npos)
      << ambiguous.error().message;
  auto missing = tree.Locate({"NativeMethodAccessorImpl.java", 3});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no .py file"), std::string::npos);
}

TEST(SourceTree, ACallSiteWithoutALineMeansTheWholeFileOrNoCell) {
  TempDir tmp;
  tmp.Write("repo/jobs/etl.py", "x = 1\n");
  tmp.Write("repo/nb/daily.py", kNotebook);
  SourceTree tree(tmp.path() / "repo");
  auto places = tree.Locate({"/Workspace/jobs/etl.py", std::nullopt});
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].file->path(), "jobs/etl.py");
  EXPECT_EQ((*places)[0].line, 0u) << "line 0: anywhere in the file";
  auto command = tree.Locate({"command-3684298126601210", std::nullopt});
  ASSERT_FALSE(command.has_value());
  EXPECT_NE(command.error().message.find("names no line"), std::string::npos)
      << command.error().message;
  EXPECT_FALSE(tree.Locate({"/Workspace/jobs/etl.py", 0}).has_value());
}

TEST(SourceTree, LocatesADatabricksCommandInEveryPythonCellLongEnough) {
  TempDir tmp;
  tmp.Write("repo/notebooks/daily.py", kNotebook);
  tmp.Write("repo/plain.py", "a = 1\nb = 2\n");
  SourceTree tree(tmp.path() / "repo");
  auto places = tree.Locate({"command-3684298126601210", 2});
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 2u);
  EXPECT_EQ((*places)[0].file->path(), "notebooks/daily.py");
  EXPECT_EQ((*places)[0].line, 7u);   // b = 2
  EXPECT_EQ((*places)[1].line, 18u);  // y = 2
  EXPECT_EQ((*places)[0].file->kind(), SourceKind::kDatabricksNotebook);
  auto too_long = tree.Locate({"command-3684298126601210-2048933269", 9});
  ASSERT_FALSE(too_long.has_value());
  EXPECT_NE(too_long.error().message.find("has a Python cell of 9 lines"),
            std::string::npos)
      << too_long.error().message;
}

TEST(SourceTree, LocatesAnIpykernelCellByTheHashOfItsSource) {
  TempDir tmp;
  tmp.Write("repo/nb/explore.ipynb", kIpynb);
  SourceTree tree(tmp.path() / "repo");
  std::string file =
      "/tmp/ipykernel_201/" + IpynbNotebook::IpykernelCellName("y = 2\nz = 3");
  auto places = tree.Locate({file, 2});
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].line, 4u)
      << "line 2 of the second cell is line 4 of the joined cells";
  EXPECT_NE((*places)[0].how.find("as cell 2"), std::string::npos)
      << (*places)[0].how;
  auto edited = tree.Locate({"/tmp/ipykernel_201/1119311665.py", 1});
  ASSERT_FALSE(edited.has_value());
  EXPECT_NE(edited.error().message.find("no notebook cell"), std::string::npos);
}

TEST(SourceTree, AFileOnlyChangesWhenItsEditsAllApply) {
  TempDir tmp;
  tmp.Write("repo/a.py", "x = 1\n");
  SourceTree tree(tmp.path() / "repo");
  auto file = tree.File("a.py");
  ASSERT_TRUE(file.has_value());
  ASSERT_TRUE((*file)->AddModuleEdits({Edit{0, 0, "import os\n"}}).has_value());
  EXPECT_EQ((*file)->text(), "import os\nx = 1\n");
  auto broken = (*file)->AddModuleEdits({Edit{4, 5, "= ="}});
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ((*file)->text(), "import os\nx = 1\n")
      << "a refused edit leaves the file as it was";
  ASSERT_TRUE((*file)->AddModuleEdits({Edit{0, 0, "import os\n"}}).has_value());
  EXPECT_EQ((*file)->text(), "import os\nx = 1\n")
      << "the same edit twice is kept once";
  EXPECT_EQ(tree.Changed().size(), 1u);
}

}  // namespace
}  // namespace prometheus::rewrite
