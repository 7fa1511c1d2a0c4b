// The broadcast fix: finds the join at the call site through aliases and
// simple assignments, wraps the small side, reuses or adds the import, and
// refuses what it cannot place with certainty.
#include "prometheus/rewrite/broadcast_fix.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

auto Table(std::string table, uint32_t line) {
  return [=](const PythonSource& source) {
    return PlanBroadcastFix(source, BroadcastTarget{table, std::nullopt, line});
  };
}

std::string Reason(const PythonSource& source, BroadcastTarget target) {
  auto plan = PlanBroadcastFix(source, target);
  EXPECT_FALSE(plan.has_value()) << "planned: " << (plan ? plan->note : "");
  return plan ? "" : plan.error().message;
}

TEST(BroadcastFix, MultiLineJoinUnderAliasesReusesTheFunctionsAlias) {
  PythonSource source = Parsed(Corpus("daily_orders.py"));
  // 33 is the `.join(` line; the call starts on line 31 (`enrich(orders)`).
  for (uint32_t line : {31u, 33u, 34u}) {
    std::string after = ApplyAndCheck(source, Table("dim_country", line));
    testing::ExpectGolden("daily_orders.broadcast.diff",
                          UnifiedDiff("daily_orders.py", source.text(), after));
  }
}

TEST(BroadcastFix, ReadByPathInACrlfFileExtendsTheFunctionsImport) {
  PythonSource source = Parsed(Corpus("crlf_job.py"));
  auto at = [](uint32_t line) {
    return [=](const PythonSource& s) {
      return PlanBroadcastFix(
          s, BroadcastTarget{std::nullopt, "/mnt/dim/users", line});
    };
  };
  std::string after =
      ApplyAndCheck(source, at(10));  // `, broadcast` appended: no line added
  testing::ExpectGolden("crlf_job.broadcast.diff",
                        UnifiedDiff("crlf_job.py", source.text(), after));
}

TEST(BroadcastFix, ReusesAnImportedBroadcast) {
  PythonSource source = Parsed(Corpus("tuned_job.py"));
  std::string after = ApplyAndCheck(source, Table("sales.stores", 11));
  EXPECT_NE(after.find("facts.join(broadcast(stores), \"store_id\")"),
            std::string::npos);
  EXPECT_EQ(after.size(),
            source.text().size() + 11);  // only `broadcast(` and `)`
}

TEST(BroadcastFix, ImportForms) {
  auto callee = [](const std::string& imports) {
    PythonSource source =
        Parsed(imports + "d = spark.table('d')\nf.join(d, 'k')\n");
    uint32_t line = 3 + std::count(imports.begin(), imports.end(), '\n') - 1;
    std::string after = ApplyAndCheck(source, Table("d", line));
    return after.substr(after.find("f.join("));
  };
  EXPECT_EQ(callee("from pyspark.sql import functions as fn\n"),
            "f.join(fn.broadcast(d), 'k')\n");
  EXPECT_EQ(callee("from pyspark.sql.functions import broadcast as bc\n"),
            "f.join(bc(d), 'k')\n");
  EXPECT_EQ(callee("from pyspark.sql.functions import *\n"),
            "f.join(broadcast(d), 'k')\n");
  PythonSource bare = Parsed(
      "import os\n\nimport sys  # x\nd = spark.table('d')\nf.join(d, 'k')\n");
  EXPECT_EQ(ApplyAndCheck(bare, Table("d", 5), Table("d", 6)),
            "import os\n\nimport sys  # x\nfrom pyspark.sql.functions import "
            "broadcast\n"
            "d = spark.table('d')\nf.join(broadcast(d), 'k')\n");
}

TEST(BroadcastFix, LeftSideAndAliasChain) {
  PythonSource source = Parsed(
      "import pyspark.sql.functions as F\nd = "
      "spark.read.parquet('/dim')\nsmall = d\n"
      "out = small.join(big, 'k')\n");
  std::string after = ApplyAndCheck(source, [](const PythonSource& s) {
    return PlanBroadcastFix(s, BroadcastTarget{std::nullopt, "/dim", 4});
  });
  EXPECT_NE(after.find("out = F.broadcast(small).join(big, 'k')"),
            std::string::npos);
}

TEST(BroadcastFix, RefusesWhatItCannotPlace) {
  PythonSource ambiguous = Parsed(Corpus("ambiguous_join.py"));
  EXPECT_NE(Reason(ambiguous, {"dim_date", std::nullopt, 7}).find("ambiguous"),
            std::string::npos);
  EXPECT_NE(Reason(ambiguous, {"dim_date", std::nullopt, 3}).find("no .join"),
            std::string::npos);
  EXPECT_NE(Reason(ambiguous, {"other", std::nullopt, 7}).find("no side"),
            std::string::npos);
  PythonSource shadowed = Parsed(
      "def broadcast(x):\n    return x\nd = spark.table('d')\nf.join(d)\n");
  EXPECT_NE(Reason(shadowed, {"d", std::nullopt, 4}).find("shadow"),
            std::string::npos);
  PythonSource bound =
      Parsed("broadcast = sc.broadcast({})\nd = spark.table('d')\nf.join(d)\n");
  EXPECT_NE(Reason(bound, {"d", std::nullopt, 3}).find("shadow"),
            std::string::npos);
  // A side derived from the target through another join is not the target.
  PythonSource joined =
      Parsed("x = f.join(spark.table('d'), 'k')\nx.join(g, 'k')\n");
  EXPECT_NE(Reason(joined, {"d", std::nullopt, 2}).find("no side"),
            std::string::npos);
}

TEST(BroadcastFix, RefusesABrokenFileWithItsPosition) {
  PythonSource broken = Parsed(Corpus("broken.py"));
  auto status = RequireCleanSyntax(broken, "broken.py");
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("broken.py:4:"), std::string::npos)
      << status.error().message;
}

TEST(BroadcastFix, AnEditThatBreaksTheFileIsRefused) {
  PythonSource source = Parsed("x = f(a)\n");
  auto broken = ApplyChecked(source, {Edit{6, 6, "broadcast("}});
  ASSERT_FALSE(broken.has_value());
  EXPECT_NE(broken.error().message.find("refused"), std::string::npos);
}

// The planned note when the fix finds nothing to do, or "ERROR"/"EDITS".
std::string Nothing(const std::string& text, BroadcastTarget target) {
  auto plan = PlanBroadcastFix(Parsed(text), target);
  if (!plan) return "ERROR: " + plan.error().message;
  return plan->edits.empty() ? plan->note : "EDITS: " + plan->note;
}

TEST(BroadcastFix, AHintOrBroadcastAlreadyThereIsKept) {
  const std::string dim = "d = spark.table('dim')\n";
  for (const char* hint :
       {"broadcast", "BROADCAST", "broadcastJoin", "MapJoin"}) {
    EXPECT_NE(Nothing(dim + fmt::format("f.join(d.hint('{}'), 'k')\n", hint),
                      {"dim", std::nullopt, 2})
                  .find("already broadcast"),
              std::string::npos)
        << hint;
  }
  EXPECT_NE(Nothing("d = spark.table('dim').hint('broadcast')\nsmall = "
                    "d.select('k')\nf.join(small, 'k')\n",
                    {"dim", std::nullopt, 3})
                .find("line 3: the table dim side is already broadcast"),
            std::string::npos);
  EXPECT_NE(Nothing("from pyspark.sql.functions import broadcast as bc\n" +
                        dim + "f.join(bc(d).alias('x'), 'k')\n",
                    {"dim", std::nullopt, 3})
                .find("already"),
            std::string::npos);
  EXPECT_NE(Nothing("import pyspark.sql.functions as F\n" + dim +
                        "small = F.broadcast(d)\nsmall.join(f, 'k')\n",
                    {"dim", std::nullopt, 4})
                .find("already"),
            std::string::npos);
  // Another hint is not a broadcast: the side is still wrapped.
  EXPECT_EQ(ApplyAndCheck(Parsed(dim + "f.join(d.hint('shuffle_hash'), 'k')\n"),
                          Table("dim", 2), Table("dim", 3)),
            "from pyspark.sql.functions import broadcast\n" + dim +
                "f.join(broadcast(d.hint('shuffle_hash')), 'k')\n");
}

TEST(BroadcastFix, WrapsSidesThatAreExpressions) {
  const std::string header = "import pyspark.sql.functions as F\n";
  auto fixed = [&](const std::string& body, BroadcastTarget target) {
    std::string after =
        ApplyAndCheck(Parsed(header + body), [&](const PythonSource& source) {
          return PlanBroadcastFix(source, target);
        });
    return after.substr(header.size());
  };
  EXPECT_EQ(fixed("o = orders.join(spark.table('dim'), 'k')\n",
                  {"dim", std::nullopt, 2}),
            "o = orders.join(F.broadcast(spark.table('dim')), 'k')\n");
  EXPECT_EQ(
      fixed(
          "d = spark.table('dim')\no = orders.join(d.select('k', 'v'), 'k')\n",
          {"dim", std::nullopt, 3}),
      "d = spark.table('dim')\no = orders.join(F.broadcast(d.select('k', "
      "'v')), 'k')\n");
  EXPECT_EQ(fixed("d = spark.table('dim')\no = d.filter(F.col('v') > "
                  "0).join(orders, 'k')\n",
                  {"dim", std::nullopt, 3}),
            "d = spark.table('dim')\no = F.broadcast(d.filter(F.col('v') > "
            "0)).join(orders, 'k')\n");
  EXPECT_EQ(
      fixed("o = orders.join(other=spark.read.table('sales.dim'), on='k')\n",
            {"dim", std::nullopt, 2}),
      "o = orders.join(other=F.broadcast(spark.read.table('sales.dim')), "
      "on='k')\n");
  EXPECT_EQ(fixed("d = spark.read.format('delta').load('/p')\no = "
                  "orders.join(d, 'k')\n",
                  {std::nullopt, "/p", 3}),
            "d = spark.read.format('delta').load('/p')\no = "
            "orders.join(F.broadcast(d), 'k')\n");
  EXPECT_EQ(fixed("d = spark.sql('SELECT k, v FROM sales.dim WHERE active')\no "
                  "= orders.join(d, 'k')\n",
                  {"sales.dim", std::nullopt, 3}),
            "d = spark.sql('SELECT k, v FROM sales.dim WHERE active')\no = "
            "orders.join(F.broadcast(d), 'k')\n");
  // SQL that joins the table itself is not the table.
  EXPECT_NE(Nothing("d = spark.sql('SELECT * FROM f JOIN dim USING (k)')\no = "
                    "orders.join(d, 'k')\n",
                    {"dim", std::nullopt, 2})
                .find("no side"),
            std::string::npos);
}

TEST(BroadcastFix, CallSiteLinesOfEveryCPython) {
  // REFACTOR.md 2.3: `collect` is reported at 5 (3.6/3.7), 3 (3.8/3.9) or
  // 6 (3.10+); `count` at 9 (3.6/3.7, 3.10+) or 8 (3.8/3.9).
  PythonSource source = Parsed(
      "d = spark.table('dim')\ne = spark.table('dim2')\n"
      "rows = (df            # line 3\n"
      "        .join(d)      # line 4\n"
      "        .groupBy('k')  # line 5\n"
      "        .collect()     # line 6\n"
      "       )\n"
      "n = df.join(\n"
      "    e).count()        # line 9\n");
  for (uint32_t line : {3u, 4u, 5u, 6u}) {
    std::string after =
        ApplyAndCheck(source, Table("dim", line), Table("dim", line + 1));
    EXPECT_NE(after.find("        .join(broadcast(d))      # line 4\n"),
              std::string::npos)
        << line;
  }
  for (uint32_t line : {8u, 9u}) {
    std::string after =
        ApplyAndCheck(source, Table("dim2", line), Table("dim2", line + 1));
    EXPECT_NE(after.find("    broadcast(e)).count()"), std::string::npos)
        << line;
  }
  EXPECT_NE(Reason(source, {"dim", std::nullopt, 8}).find("no side"),
            std::string::npos);
  EXPECT_NE(Reason(source, {"dim", std::nullopt, 2}).find("no .join"),
            std::string::npos);
  // daily_orders: the statement `joined = (` starts a line before the call.
  PythonSource daily = Parsed(Corpus("daily_orders.py"));
  ApplyAndCheck(daily, Table("dim_country", 30));
}

TEST(BroadcastFix, WithoutALineTheOneJoinThatReadsTheTarget) {
  const std::string dim =
      "import pyspark.sql.functions as F\nd = spark.table('dim')\n";
  EXPECT_EQ(ApplyAndCheck(Parsed(dim + "x = 1\nf.join(d, 'k').count()\n"),
                          Table("dim", 0)),
            dim + "x = 1\nf.join(F.broadcast(d), 'k').count()\n");
  EXPECT_NE(Reason(Parsed(dim + "f.join(g, 'k')\n"), {"dim", std::nullopt, 0})
                .find("no join reads table dim"),
            std::string::npos);
  EXPECT_NE(Reason(Parsed(dim + "f.join(d, 'k')\ng.join(d, 'k')\n"),
                   {"dim", std::nullopt, 0})
                .find("joins on lines 3, 4 read table dim; ambiguous"),
            std::string::npos);
  // Joins of strings and of column lists are not DataFrame joins.
  EXPECT_EQ(
      ApplyAndCheck(
          Parsed(
              dim +
              "cols = d.columns\nprint(', '.join(cols), sep.join(d.columns))\n"
              "f.join(d, 'k')\n"),
          Table("dim", 0)),
      dim +
          "cols = d.columns\nprint(', '.join(cols), "
          "sep.join(d.columns))\nf.join(F.broadcast(d), 'k')\n");
  // A spark.sql literal that joins the table is a candidate too.
  const std::string sql =
      "s = spark.sql('SELECT * FROM f JOIN dim x ON f.k = x.k')\n";
  EXPECT_EQ(ApplyAndCheck(Parsed(sql), Table("dim", 0)),
            "s = spark.sql('SELECT /*+ BROADCAST(x) */ * FROM f JOIN dim x ON "
            "f.k = x.k')\n");
  EXPECT_NE(
      Reason(Parsed(dim + "f.join(d, 'k')\n" + sql), {"dim", std::nullopt, 0})
          .find("lines 3, 4"),
      std::string::npos);
  EXPECT_NE(
      Reason(Parsed(sql + sql), {"dim", std::nullopt, 0}).find("ambiguous"),
      std::string::npos);
  // A SQL read that joins nothing is a binding, not a candidate.
  EXPECT_EQ(ApplyAndCheck(
                Parsed("d = spark.sql('SELECT * FROM dim')\nf.join(d, 'k')\n"),
                Table("dim", 0)),
            "from pyspark.sql.functions import broadcast\nd = "
            "spark.sql('SELECT * FROM dim')\n"
            "f.join(broadcast(d), 'k')\n");
}

TEST(BroadcastFix, StarSchemaCorpusJob) {
  PythonSource source = Parsed(Corpus("star_schema.py"));
  // The SQL-bound product dimension, found without a line; the
  // parenthesised import gains a line, the TYPE_CHECKING one does not count.
  std::string after = ApplyAndCheck(source, Table("retail.dim_product", 0));
  testing::ExpectGolden("star_schema.broadcast.diff",
                        UnifiedDiff("star_schema.py", source.text(), after));
  // The date dimension behind a filter, at the statement's first line.
  after = ApplyAndCheck(source, Table("dim_date", 29), Table("dim_date", 30));
  EXPECT_NE(after.find("        .join(broadcast(dates.filter(col(\"year\") >= "
                       "2023)), on=\"date_id\""),
            std::string::npos);
  EXPECT_NE(Reason(source, {"retail.dim_store", std::nullopt, 0})
                .find("no join reads"),
            std::string::npos);
  EXPECT_NE(
      Reason(source, {"retail.dim_store", std::nullopt, 32}).find("no side"),
      std::string::npos);
}

TEST(BroadcastFix, LateImportsCorpusJob) {
  PythonSource source = Parsed(Corpus("late_imports.py"));
  auto at = [](uint32_t line) {
    return [=](const PythonSource& s) {
      return PlanBroadcastFix(
          s, BroadcastTarget{std::nullopt, "s3://lake/dim/countries", line});
    };
  };
  // Reported at `.count()` (3.10+); the alias after the join is not used.
  std::string after = ApplyAndCheck(source, at(15), at(16));
  testing::ExpectGolden("late_imports.broadcast.diff",
                        UnifiedDiff("late_imports.py", source.text(), after));
}

// What a real log gives for scenarios/missed_broadcast.py: no table nor
// path (the small side is built with createDataFrame), its side, its keys,
// and the line of the action.
BroadcastTarget BySide(fix::JoinSide side, std::vector<std::string> keys,
                       uint32_t line) {
  BroadcastTarget target;
  target.side = side;
  target.join_keys = std::move(keys);
  target.line = line;
  return target;
}

constexpr const char* kScenario =
    "from pyspark.sql import Row, functions as F\n"                     // 1
    "facts = spark.range(0, 100).select((F.col('id') % 5).alias('pid'))\n"
    "products = spark.createDataFrame(spark.sparkContext.parallelize(\n"  // 3
    "    [Row(pid=i) for i in range(5)], 2))\n"                         // 4
    "joined = facts.join(products, 'pid')\n"                            // 5
    "totals = joined.groupBy('pid').count()\n"                          // 6
    "print(sorted(totals.collect()))\n";                                // 7

TEST(BroadcastFix, FromTheActionBackToTheJoinBySide) {
  PythonSource source = Parsed(kScenario);
  auto right = [](uint32_t line) {
    return [=](const PythonSource& s) {
      return PlanBroadcastFix(s, BySide(fix::JoinSide::kRight, {"pid"}, line));
    };
  };
  std::string after = ApplyAndCheck(source, right(7));
  EXPECT_NE(after.find("joined = facts.join(F.broadcast(products), 'pid')"),
            std::string::npos)
      << after;
  auto plan = PlanBroadcastFix(source, BySide(fix::JoinSide::kRight, {}, 7));
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_NE(plan->note.find("behind the action on line 7"), std::string::npos)
      << plan->note;
  // The left side, by the same way.
  after = ApplyAndCheck(source, [](const PythonSource& s) {
    return PlanBroadcastFix(s, BySide(fix::JoinSide::kLeft, {"pid"}, 7));
  });
  EXPECT_NE(after.find("joined = F.broadcast(facts).join(products, 'pid')"),
            std::string::npos);
  // Keys the join does not spell; a side alone without a line.
  EXPECT_NE(Reason(source, BySide(fix::JoinSide::kRight, {"sku"}, 7))
                .find("none of the joins behind line 7 (lines 5) is on sku"),
            std::string::npos);
  EXPECT_NE(Reason(source, BySide(fix::JoinSide::kRight, {"pid"}, 0))
                .find("found only from a call-site line"),
            std::string::npos);
}

TEST(BroadcastFix, SeveralJoinsBehindTheActionArePickedByKeysOrNamed) {
  PythonSource source = Parsed(
      "a = x.join(y, 'k')\n"
      "b = a.join(z, on=['j'])\n"
      "b.count()\n");
  // The import line added moves the action one line down for the rerun.
  auto at = [](uint32_t line) {
    return [=](const PythonSource& s) {
      return PlanBroadcastFix(s, BySide(fix::JoinSide::kRight, {"k"}, line));
    };
  };
  std::string after = ApplyAndCheck(source, at(3), at(4));
  EXPECT_NE(after.find("a = x.join(broadcast(y), 'k')"), std::string::npos)
      << after;
  EXPECT_NE(Reason(source, BySide(fix::JoinSide::kRight, {}, 3))
                .find("joins on lines 1, 2 behind line 3 fit; ambiguous"),
            std::string::npos);
  // A table the code reads wins over the side, behind the action too.
  PythonSource named = Parsed(
      "d = spark.table('dim')\n"
      "a = x.join(d, 'k')\n"
      "b = a.join(z, 'k')\n"
      "b.count()\n");
  BroadcastTarget target = BySide(fix::JoinSide::kRight, {"k"}, 4);
  target.table = "dim";
  BroadcastTarget moved = target;
  moved.line = 5;
  after = ApplyAndCheck(
      named, [&](const PythonSource& s) { return PlanBroadcastFix(s, target); },
      [&](const PythonSource& s) { return PlanBroadcastFix(s, moved); });
  EXPECT_NE(after.find("a = x.join(broadcast(d), 'k')"), std::string::npos)
      << after;
}

// The preserved side of an outer join, and the left side of a semi or anti
// join, cannot be broadcast: the fix refuses with the join type and line
// (tinitiate-pyspark's 02_left_outer_join.ipynb, cell 9).
TEST(BroadcastFix, RefusesTheSideTheJoinKeepsWhole) {
  PythonSource source = Parsed(
      "dept.join(emp, on='deptno', how='left').show(20)\n"         // 1
      "emp.join(dept, 'deptno', 'right_outer').show()\n"           // 2
      "dept.join(emp, 'deptno', 'full').show()\n"                  // 3
      "emp.join(dept, 'deptno', 'leftanti').show()\n"              // 4
      "dept.join(emp, 'deptno', how=kind).show()\n"                // 5
      "dept.join(emp, 'deptno', 'sideways').show()\n");            // 6
  auto side = [](fix::JoinSide s, uint32_t line) {
    BroadcastTarget target;
    target.side = s;
    target.line = line;
    target.join_keys = {"deptno"};
    return target;
  };
  using fix::JoinSide;
  EXPECT_EQ(Reason(source, side(JoinSide::kLeft, 1)),
            "line 1: a left outer join keeps its left side whole and Spark "
            "cannot broadcast it; nothing changed");
  EXPECT_EQ(Reason(source, side(JoinSide::kRight, 2)),
            "line 2: a right outer join keeps its right side whole and Spark "
            "cannot broadcast it; nothing changed");
  EXPECT_EQ(Reason(source, side(JoinSide::kRight, 3)),
            "line 3: a full outer join keeps its right side whole and Spark "
            "cannot broadcast it; nothing changed");
  EXPECT_EQ(Reason(source, side(JoinSide::kLeft, 4)),
            "line 4: a left anti join keeps its left side whole and Spark "
            "cannot broadcast it; nothing changed");
  EXPECT_EQ(Reason(source, side(JoinSide::kRight, 5)),
            "line 5: the join type kind is not a string literal, so the right "
            "side may be one Spark cannot broadcast; nothing changed");
  EXPECT_EQ(Reason(source, side(JoinSide::kRight, 6)),
            "line 6: unknown join type \"sideways\"; nothing changed");
  // The side each join can build is hinted.
  for (auto [s, line] : {std::pair{JoinSide::kRight, 1u},
                         std::pair{JoinSide::kLeft, 2u},
                         std::pair{JoinSide::kRight, 4u}}) {
    auto plan = PlanBroadcastFix(source, side(s, line));
    ASSERT_TRUE(plan.has_value()) << line << ": " << plan.error().message;
    EXPECT_FALSE(plan->edits.empty()) << line;
  }
}

// pyspark-examples' pyspark-left-anti-join.py: two copies of a join on
// adjacent lines. Hinting line 35 adds an import line, so a second run with
// the same call site lands on line 35 again, now the unhinted copy: the
// fix refuses instead of hinting the same join twice.
TEST(BroadcastFix, ASecondRunDoesNotHintTheTwinOfAHintedJoin) {
  std::string text =
      "from pyspark.sql import SparkSession\n"
      "spark = SparkSession.builder.getOrCreate()\n"
      "empDF = spark.createDataFrame(emp)\n"
      "deptDF = spark.createDataFrame(dept)\n"
      "empDF.join(deptDF,empDF.emp_dept_id == deptDF.dept_id,\"left\").show()\n"
      "empDF.join(deptDF,empDF.emp_dept_id == "
      "deptDF.dept_id,\"leftouter\").show()\n";
  BroadcastTarget target;
  target.side = fix::JoinSide::kRight;
  target.line = 6;
  target.join_keys = {"emp_dept_id", "dept_id"};
  PythonSource source = Parsed(text);
  auto first = PlanBroadcastFix(source, target);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto after = ApplyEdits(text, first->edits);
  ASSERT_TRUE(after.has_value());
  ASSERT_NE(after->find("\nfrom pyspark.sql.functions import broadcast\n"),
            std::string::npos)
      << *after;  // the import line moves the joins down by one
  PythonSource again = Parsed(*after);
  EXPECT_EQ(Reason(again, target),
            "the join on line 6 is the same as the one on line 7, which "
            "already broadcasts its right side; the call site cannot tell them "
            "apart, nothing changed");
  // Its own line, and the copy before the fix, are still planned as usual.
  target.line = 7;
  auto done = PlanBroadcastFix(again, target);
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_TRUE(done->edits.empty());
  target.line = 5;
  auto copy = PlanBroadcastFix(source, target);
  ASSERT_TRUE(copy.has_value()) << copy.error().message;
  EXPECT_FALSE(copy->edits.empty());
}

}  // namespace
}  // namespace prometheus::rewrite
