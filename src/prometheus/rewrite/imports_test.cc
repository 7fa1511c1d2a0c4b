// ImportSymbol: which existing import a new call reuses, how an import is
// extended or added, and when a shadowed name makes it refuse.
#include "prometheus/rewrite/imports.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Parsed;

constexpr std::string_view kModule = "pyspark.sql.functions";

// `text` with the import edit applied, a "|", and the callee; the use
// site is the first "use(". Or "ERROR: <reason>".
std::string Imported(const std::string& text) {
  PythonSource source = Parsed(text);
  size_t use = text.find("use(");
  EXPECT_NE(use, std::string::npos);
  auto symbol = ImportSymbol(source, kModule, "broadcast", use);
  if (!symbol) return "ERROR: " + symbol.error().message;
  std::vector<Edit> edits;
  if (symbol->edit) edits.push_back(*symbol->edit);
  auto after = ApplyChecked(source, edits);
  if (!after) return "ERROR: " + after.error().message;
  EXPECT_TRUE(testing::CPythonParses(*after)) << *after;
  return *after + "|" + symbol->callee;
}

// The callee alone, when the file needs no new import.
std::string Callee(const std::string& text) {
  std::string out = Imported(text);
  size_t bar = out.rfind('|');
  if (bar == std::string::npos) return out;
  EXPECT_EQ(out.substr(0, bar), text) << "an edit was made";
  return out.substr(bar + 1);
}

TEST(ImportSymbol, ReusesTheImportsThatReachTheUse) {
  EXPECT_EQ(Callee("import pyspark.sql.functions as F\nuse(d)\n"),
            "F.broadcast");
  EXPECT_EQ(Callee("from pyspark.sql import functions as fn\nuse(d)\n"),
            "fn.broadcast");
  EXPECT_EQ(Callee("from pyspark.sql import functions\nuse(d)\n"),
            "functions.broadcast");
  EXPECT_EQ(Callee("import os, pyspark.sql.functions\nuse(d)\n"),
            "pyspark.sql.functions.broadcast");
  EXPECT_EQ(Callee("from pyspark.sql.functions import broadcast\nuse(d)\n"),
            "broadcast");
  EXPECT_EQ(
      Callee("from pyspark.sql.functions import col, broadcast as b\nuse(d)\n"),
      "b");
  EXPECT_EQ(Callee("from pyspark.sql.functions import *\nuse(d)\n"),
            "broadcast");
  // The name itself wins over a module alias.
  EXPECT_EQ(Callee("import pyspark.sql.functions as F\nfrom "
                   "pyspark.sql.functions import broadcast\n"
                   "use(d)\n"),
            "broadcast");
  // A function-local import reaches a use inside that function only.
  EXPECT_EQ(Callee("def f(d):\n    import pyspark.sql.functions as F\n    "
                   "return use(d)\n"),
            "F.broadcast");
  EXPECT_EQ(
      Imported(
          "def f(d):\n    import pyspark.sql.functions as F\n    return d\n\n\n"
          "def g(d):\n    return use(d)\n"),
      "from pyspark.sql.functions import broadcast\ndef f(d):\n    import "
      "pyspark.sql.functions as F\n"
      "    return d\n\n\ndef g(d):\n    return use(d)\n|broadcast");
}

TEST(ImportSymbol, ExtendsAnImportOfTheModule) {
  EXPECT_EQ(Imported("from pyspark.sql.functions import col, lit\nuse(d)\n"),
            "from pyspark.sql.functions import col, lit, "
            "broadcast\nuse(d)\n|broadcast");
  EXPECT_EQ(
      Imported(
          "from pyspark.sql.functions import (col, sum as sum_)\nuse(d)\n"),
      "from pyspark.sql.functions import (col, sum as sum_, "
      "broadcast)\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("from pyspark.sql.functions import (col, lit,)\nuse(d)\n"),
            "from pyspark.sql.functions import (col, lit, "
            "broadcast,)\nuse(d)\n|broadcast");
  EXPECT_EQ(
      Imported("from pyspark.sql.functions import col, \\\n    lit\nuse(d)\n"),
      "from pyspark.sql.functions import col, \\\n    lit, "
      "broadcast\nuse(d)\n|broadcast");
  // One name a line: a new line before the `)`, in the names' style.
  EXPECT_EQ(Imported("from pyspark.sql.functions import (\n    col,\n    lit,  "
                     "# keep\n)\nuse(d)\n"),
            "from pyspark.sql.functions import (\n    col,\n    lit,  # keep\n "
            "   broadcast,\n)\nuse(d)\n"
            "|broadcast");
  EXPECT_EQ(Imported("from pyspark.sql.functions import (\n  col,\n  lit  # "
                     "keep\n  )\nuse(d)\n"),
            "from pyspark.sql.functions import (\n  col,\n  lit,  # keep\n  "
            "broadcast\n  )\nuse(d)\n"
            "|broadcast");
  EXPECT_EQ(
      Imported(
          "from pyspark.sql.functions import (\r\n    col,\r\n)\r\nuse(d)\r\n"),
      "from pyspark.sql.functions import (\r\n    col,\r\n    "
      "broadcast,\r\n)\r\nuse(d)\r\n|broadcast");
}

TEST(ImportSymbol, AddsAnImportWhereTheFileKeepsThem) {
  EXPECT_EQ(Imported("import os\nfrom pyspark.sql import SparkSession  # "
                     "s\n\nx = 1\nuse(d)\n"),
            "import os\nfrom pyspark.sql import SparkSession  # s\nfrom "
            "pyspark.sql.functions import broadcast\n"
            "\nx = 1\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("from __future__ import annotations\nuse(d)\n"),
            "from __future__ import annotations\nfrom pyspark.sql.functions "
            "import broadcast\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("\"\"\"Doc.\n\nMore.\n\"\"\"\nuse(d)\n"),
            "\"\"\"Doc.\n\nMore.\n\"\"\"\nfrom pyspark.sql.functions import "
            "broadcast\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# "
                     "Notes.\nuse(d)\n"),
            "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nfrom "
            "pyspark.sql.functions import broadcast\n"
            "# Notes.\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("# Notes.\nuse(d)\n"),
            "from pyspark.sql.functions import broadcast\n# "
            "Notes.\nuse(d)\n|broadcast");
  EXPECT_EQ(Imported("import os\nuse(d)"),
            "import os\nfrom pyspark.sql.functions import "
            "broadcast\nuse(d)|broadcast");
  // Imports after the use, or under TYPE_CHECKING, are not there at run time.
  EXPECT_EQ(Imported("import os\nuse(d)\nimport pyspark.sql.functions as F\n"),
            "import os\nfrom pyspark.sql.functions import "
            "broadcast\nuse(d)\nimport pyspark.sql.functions as F\n"
            "|broadcast");
  EXPECT_EQ(
      Imported("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
               "    from pyspark.sql.functions import broadcast\nuse(d)\n"),
      "from typing import TYPE_CHECKING\nfrom pyspark.sql.functions import "
      "broadcast\nif TYPE_CHECKING:\n"
      "    from pyspark.sql.functions import broadcast\nuse(d)\n|broadcast");
}

// A Databricks notebook source keeps its header first and its `%run`
// cells magic-only, and no cell's lines move: call sites name lines of
// cells. The import is a cell of its own after the header.
TEST(ImportSymbol, ADatabricksNotebookGainsAnImportCellAfterItsHeader) {
  EXPECT_EQ(Imported("# Databricks notebook source\n"
                     "# MAGIC %run \"../includes/config\"\n"
                     "\n"
                     "# COMMAND ----------\n"
                     "\n"
                     "import os\n"
                     "x = use(a)\n"),
            "# Databricks notebook source\n"
            "from pyspark.sql.functions import broadcast\n"
            "\n"
            "# COMMAND ----------\n"
            "\n"
            "# MAGIC %run \"../includes/config\"\n"
            "\n"
            "# COMMAND ----------\n"
            "\n"
            "import os\n"
            "x = use(a)\n"
            "|broadcast");
  // An import of the module is extended in place, moving no line.
  EXPECT_EQ(Imported("# Databricks notebook source\n"
                     "from pyspark.sql.functions import col\n"
                     "x = use(a)\n"),
            "# Databricks notebook source\n"
            "from pyspark.sql.functions import col, broadcast\n"
            "x = use(a)\n"
            "|broadcast");
}

TEST(ImportSymbol, AShadowedNameNeedsAModuleAlias) {
  EXPECT_NE(Imported("broadcast = sc.broadcast({})\nuse(d)\n").find("shadow"),
            std::string::npos);
  EXPECT_NE(
      Imported("def broadcast(x):\n    return x\nuse(d)\n").find("line 1"),
      std::string::npos);
  EXPECT_NE(Imported("from pyspark.sql.functions import broadcast\nbroadcast = "
                     "sc.broadcast(m)\nuse(d)\n")
                .find("shadow"),
            std::string::npos);
  EXPECT_NE(Imported("def f(d, broadcast=False):\n    return use(d)\n")
                .find("shadow"),
            std::string::npos);
  EXPECT_NE(Imported("from mylib import broadcast\nuse(d)\n").find("shadow"),
            std::string::npos);
  EXPECT_NE(Imported("for broadcast in xs:\n    pass\nuse(d)\n").find("shadow"),
            std::string::npos);
  EXPECT_EQ(Callee("import pyspark.sql.functions as F\nbroadcast = "
                   "sc.broadcast({})\nuse(d)\n"),
            "F.broadcast");
  EXPECT_EQ(Callee("import pyspark.sql.functions as F\ndef f(d, "
                   "broadcast=False):\n    return use(d)\n"),
            "F.broadcast");
  // A binding inside another function does not reach the use.
  EXPECT_EQ(
      Imported("def f():\n    broadcast = 1\n    return broadcast\nuse(d)\n"),
      "from pyspark.sql.functions import broadcast\ndef f():\n    broadcast = "
      "1\n    return broadcast\n"
      "use(d)\n|broadcast");
}

TEST(ImportSymbol, SpellingsCoverEveryImport) {
  PythonSource source = Parsed(
      "import pyspark.sql.functions as F\nfrom pyspark.sql.functions import "
      "broadcast as b\n"
      "def f():\n    from pyspark.sql import functions as fn\n");
  auto spellings = SymbolSpellings(source, kModule, "broadcast");
  EXPECT_EQ(spellings,
            (std::vector<std::string>{"F.broadcast", "b", "broadcast",
                                      "fn.broadcast", "functions.broadcast",
                                      "pyspark.sql.functions.broadcast"}));
}

}  // namespace
}  // namespace prometheus::rewrite
