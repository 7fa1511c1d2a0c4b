// The SQL broadcast hint: placed after the SELECT of the block that joins
// the table, merged into an existing hint, refused when ambiguous.
#include "prometheus/rewrite/sql_hint.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/broadcast_fix.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

// `sql` with the hint placed, or "ERROR: <reason>".
std::string Hinted(std::string_view sql, std::string_view table) {
  auto placement = PlaceBroadcastHint(sql, table);
  if (!placement) return "ERROR: " + placement.error().message;
  auto text = ApplyEdits(sql, placement->edits);
  return text ? *text : "ERROR: " + text.error().message;
}

auto Table(std::string table, uint32_t line) {
  return [=](const PythonSource& source) {
    return PlanBroadcastFix(source, BroadcastTarget{table, std::nullopt, line});
  };
}

TEST(SqlHint, AliasesAndPlainNames) {
  EXPECT_EQ(Hinted("SELECT * FROM f JOIN dim_country c ON f.k = c.k", "dim_country"),
            "SELECT /*+ BROADCAST(c) */ * FROM f JOIN dim_country c ON f.k = c.k");
  EXPECT_EQ(Hinted("select distinct f.a from f left join dim_country as dc using (k)", "dim_country"),
            "select /*+ BROADCAST(dc) */ distinct f.a from f left join dim_country as dc using (k)");
  EXPECT_EQ(Hinted("SELECT * FROM f JOIN sales.dim ON f.k = dim.k", "dim"),
            "SELECT /*+ BROADCAST(sales.dim) */ * FROM f JOIN sales.dim ON f.k = dim.k");
  EXPECT_EQ(Hinted("SELECT * FROM dim, f WHERE dim.k = f.k", "db.dim"),
            "SELECT /*+ BROADCAST(dim) */ * FROM dim, f WHERE dim.k = f.k");
  EXPECT_EQ(Hinted("SELECT * FROM `dim` JOIN f USING (k)", "dim"),
            "SELECT /*+ BROADCAST(`dim`) */ * FROM `dim` JOIN f USING (k)");
}

TEST(SqlHint, CommentsAndStringsDoNotCount) {
  std::string sql =
      "-- JOIN dim d\nSELECT 'dim' AS s, /* JOIN dim x */ f.a\nFROM f\nJOIN dim d ON f.k = d.k\n"
      "WHERE f.note <> 'FROM dim'";
  EXPECT_EQ(Hinted(sql, "dim"),
            "-- JOIN dim d\nSELECT /*+ BROADCAST(d) */ 'dim' AS s, /* JOIN dim x */ f.a\nFROM f\n"
            "JOIN dim d ON f.k = d.k\nWHERE f.note <> 'FROM dim'");
}

TEST(SqlHint, PlacesInTheBlockThatJoins) {
  // The join inside a CTE.
  EXPECT_EQ(Hinted("WITH x AS (SELECT * FROM f JOIN dim d ON f.k = d.k) SELECT * FROM x", "dim"),
            "WITH x AS (SELECT /*+ BROADCAST(d) */ * FROM f JOIN dim d ON f.k = d.k) SELECT * FROM x");
  // The outer block, after a subquery in FROM.
  EXPECT_EQ(Hinted("SELECT s.a FROM (SELECT a, k FROM f WHERE a > 0) s JOIN dim ON s.k = dim.k", "dim"),
            "SELECT /*+ BROADCAST(dim) */ s.a FROM (SELECT a, k FROM f WHERE a > 0) s JOIN dim ON s.k = dim.k");
  // The second branch of a UNION.
  EXPECT_EQ(Hinted("SELECT a FROM g UNION ALL SELECT f.a FROM f JOIN dim d ON f.k = d.k", "dim"),
            "SELECT a FROM g UNION ALL SELECT /*+ BROADCAST(d) */ f.a FROM f JOIN dim d ON f.k = d.k");
}

TEST(SqlHint, ExistingHints) {
  EXPECT_EQ(Hinted("SELECT /*+ REPARTITION(4) */ * FROM f JOIN dim d ON f.k = d.k", "dim"),
            "SELECT /*+ REPARTITION(4), BROADCAST(d) */ * FROM f JOIN dim d ON f.k = d.k");
  EXPECT_EQ(Hinted("SELECT /*+ mapjoin(x, D) */ * FROM f JOIN dim d ON f.k = d.k", "dim"),
            "SELECT /*+ mapjoin(x, D) */ * FROM f JOIN dim d ON f.k = d.k");
  std::string once = Hinted("SELECT * FROM f JOIN dim d ON f.k = d.k", "dim");
  EXPECT_EQ(Hinted(once, "dim"), once);
}

TEST(SqlHint, EveryHintCommentOfTheBlockCounts) {
  // Two comments, as an older run wrote them: the second names dim already.
  std::string_view two =
      "SELECT /*+ BROADCAST(p) */ /*+ BROADCAST(d) */ * FROM f JOIN dim d "
      "ON f.k = d.k JOIN p ON f.j = p.j";
  EXPECT_EQ(Hinted(two, "dim"), two);
  EXPECT_EQ(Hinted(two, "p"), two);
}

TEST(SqlHint, MergedHintComment) {
  auto merged = MergedHintComment(Edit{7, 7, " /*+ BROADCAST(p) */"},
                                  Edit{7, 7, " /*+ BROADCAST(t) */"});
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->text, " /*+ BROADCAST(p), BROADCAST(t) */");
  EXPECT_EQ(merged->start, 7u);
  auto again = MergedHintComment(*merged, Edit{7, 7, " /*+ BROADCAST(t) */"});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->text, merged->text);
  // Elsewhere, or not a new hint comment: two edits stay two.
  EXPECT_FALSE(MergedHintComment(Edit{7, 7, " /*+ BROADCAST(p) */"},
                                 Edit{9, 9, " /*+ BROADCAST(t) */"}));
  EXPECT_FALSE(MergedHintComment(Edit{7, 7, ", BROADCAST(p)"},
                                 Edit{7, 7, ", BROADCAST(t)"}));
  EXPECT_FALSE(MergedHintComment(Edit{7, 9, " /*+ BROADCAST(p) */"},
                                 Edit{7, 9, " /*+ BROADCAST(t) */"}));
}

TEST(SqlHint, RefusesWhatItCannotPlace) {
  EXPECT_NE(Hinted("SELECT * FROM dim a JOIN dim b ON a.p = b.k", "dim").find("ambiguous"), std::string::npos);
  EXPECT_NE(Hinted("SELECT * FROM dim WHERE k > 0", "dim").find("no join"), std::string::npos);
  EXPECT_NE(Hinted("SELECT * FROM f JOIN g ON f.k = g.k", "dim").find("no FROM or JOIN"), std::string::npos);
  EXPECT_NE(Hinted("SELECT * FROM f JOIN other.dim d ON f.k = d.k", "sales.dim").find("no FROM"),
            std::string::npos);
  EXPECT_NE(Hinted("SELECT 'open FROM f", "dim").find("unterminated"), std::string::npos);
}

// Spark cannot broadcast the side an outer, semi or anti join keeps whole;
// the shapes of pyspark-examples' pyspark-left-anti-join.py and
// tinitiate-pyspark's 02_left_outer_join.ipynb.
TEST(SqlHint, RefusesTheSideTheJoinKeepsWhole) {
  std::string_view anti =
      "SELECT e.* FROM EMP e LEFT ANTI JOIN DEPT d ON e.emp_dept_id == "
      "d.dept_id";
  EXPECT_EQ(Hinted(anti, "DEPT"),
            "SELECT /*+ BROADCAST(d) */ e.* FROM EMP e LEFT ANTI JOIN DEPT d "
            "ON e.emp_dept_id == d.dept_id");
  EXPECT_EQ(Hinted(anti, "EMP"),
            "ERROR: e is the left side of a left anti join, which keeps it "
            "whole: Spark cannot broadcast it; nothing changed");
  std::string_view left =
      "SELECT d.deptno FROM dept d LEFT OUTER JOIN emp e ON d.deptno = "
      "e.deptno";
  EXPECT_EQ(Hinted(left, "dept"),
            "ERROR: d is the left side of a left outer join, which keeps it "
            "whole: Spark cannot broadcast it; nothing changed");
  EXPECT_EQ(Hinted("SELECT * FROM f RIGHT JOIN dim ON f.k = dim.k", "dim"),
            "ERROR: dim is the right side of a right outer join, which keeps "
            "it whole: Spark cannot broadcast it; nothing changed");
  EXPECT_EQ(Hinted("SELECT * FROM dim RIGHT JOIN f ON f.k = dim.k", "dim"),
            "SELECT /*+ BROADCAST(dim) */ * FROM dim RIGHT JOIN f ON f.k = "
            "dim.k");
  EXPECT_EQ(Hinted("SELECT * FROM f FULL OUTER JOIN dim ON f.k = dim.k", "dim"),
            "ERROR: dim is the right side of a full outer join, which keeps "
            "it whole: Spark cannot broadcast it; nothing changed");
  // A table is a side of its own join only: the later LEFT JOIN keeps the
  // inner join's result, not dim.
  EXPECT_EQ(Hinted("SELECT * FROM f JOIN dim ON f.k = dim.k LEFT JOIN g "
                   "ON g.k = f.k",
                   "dim"),
            "SELECT /*+ BROADCAST(dim) */ * FROM f JOIN dim ON f.k = dim.k "
            "LEFT JOIN g ON g.k = f.k");
  // In a subquery the FROM table waits for its own block's join.
  EXPECT_EQ(Hinted("SELECT * FROM (SELECT * FROM dim LEFT JOIN f ON f.k = "
                   "dim.k) x JOIN g ON g.k = x.k",
                   "dim"),
            "ERROR: dim is the left side of a left outer join, which keeps it "
            "whole: Spark cannot broadcast it; nothing changed");
}

TEST(SqlHint, CorpusJobTripleQuotedWithCte) {
  PythonSource source = Parsed(Corpus("sql_job.py"));
  std::string after = ApplyAndCheck(source, Table("sales.dim_country", 18));
  testing::ExpectGolden("sql_job.broadcast.diff", UnifiedDiff("sql_job.py", source.text(), after));
}

TEST(SqlHint, CorpusJobFStringWithAnExistingHint) {
  PythonSource source = Parsed(Corpus("sql_job.py"));
  std::string after = ApplyAndCheck(source, Table("dim_store", 22));
  EXPECT_NE(after.find("SELECT /*+ REPARTITION(8), BROADCAST(st) */ s.day"), std::string::npos);
  EXPECT_EQ(after.size(), source.text().size() + 15);
}

TEST(SqlHint, CrlfFileKeepsItsLineEndings) {
  PythonSource source = Parsed(
      "df = spark.sql('''\r\nSELECT *\r\nFROM f -- facts\r\nJOIN dim AS d ON f.k = d.k\r\n''')\r\n");
  EXPECT_EQ(ApplyAndCheck(source, Table("dim", 3)),
            "df = spark.sql('''\r\nSELECT /*+ BROADCAST(d) */ *\r\nFROM f -- facts\r\n"
            "JOIN dim AS d ON f.k = d.k\r\n''')\r\n");
}

TEST(SqlHint, RefusesOddLiterals) {
  auto reason = [](const std::string& text, std::string table) {
    auto plan = PlanBroadcastFix(Parsed(text), BroadcastTarget{table, std::nullopt, 1});
    EXPECT_FALSE(plan.has_value()) << (plan ? plan->note : "");
    return plan ? std::string() : plan.error().message;
  };
  EXPECT_NE(reason("x = spark.sql(f'SELECT * FROM f JOIN {dim} d ON f.k = d.k')\n", "dim").find("{}"),
            std::string::npos);
  EXPECT_NE(reason("x = spark.sql('SELECT * FROM f ' 'JOIN dim d ON f.k = d.k')\n", "dim").find("literal"),
            std::string::npos);
  EXPECT_NE(reason("x = spark.sql(query)\n", "dim").find("literal"), std::string::npos);
  EXPECT_NE(reason("x = spark.sql('SELECT * FROM dim JOIN dim USING (k)')\n", "dim").find("ambiguous"),
            std::string::npos);
  EXPECT_NE(reason("x = spark.sql('SELECT 1') if spark.sql('SELECT 2') else 0\n", "dim").find("ambiguous"),
            std::string::npos);
}

TEST(SqlHint, FStringInterpolationElsewhereIsKept) {
  PythonSource source = Parsed("x = spark.sql(f\"SELECT * FROM {facts} f JOIN dim d ON f.k = d.k\")\n");
  EXPECT_EQ(ApplyAndCheck(source, Table("dim", 1)),
            "x = spark.sql(f\"SELECT /*+ BROADCAST(d) */ * FROM {facts} f JOIN dim d ON f.k = d.k\")\n");
}

TEST(SqlHint, TableReferencesAndNames) {
  auto refs = SqlTableReferences(
      "WITH x AS (SELECT * FROM t -- JOIN c\n) SELECT * FROM x, e JOIN `db`.`d` dd ON e.k = dd.k");
  ASSERT_TRUE(refs.has_value());
  EXPECT_EQ(*refs, (std::vector<std::string>{"t", "x", "e", "`db`.`d`"}));
  EXPECT_FALSE(SqlTableReferences("SELECT 'x FROM t").has_value());
  EXPECT_TRUE(SameTableName("`Sales`.dim", "spark_catalog.sales.DIM"));
  EXPECT_TRUE(SameTableName("dim", "sales.dim"));
  EXPECT_FALSE(SameTableName("other.dim", "sales.dim"));
  EXPECT_FALSE(SameTableName("dim_x", "dim"));
}

TEST(SqlHint, WithoutALineTheOneLiteralThatJoinsTheTable) {
  const std::string one = "a = spark.sql('SELECT * FROM f JOIN dim d ON f.k = d.k')\n";
  const std::string other = "b = spark.sql('SELECT * FROM dim')\nc = spark.sql(q)\n";
  auto plan = [](std::string table) {
    return [=](const PythonSource& source) { return PlanSqlBroadcastFix(source, table, 0); };
  };
  EXPECT_EQ(ApplyAndCheck(Parsed(other + one), plan("dim")),
            other + "a = spark.sql('SELECT /*+ BROADCAST(d) */ * FROM f JOIN dim d ON f.k = d.k')\n");
  auto twice = PlanSqlBroadcastFix(Parsed(one + other + one), "dim", 0);
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("lines 1, 4"), std::string::npos) << twice.error().message;
  auto none = PlanSqlBroadcastFix(Parsed(other), "dim", 0);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no spark.sql(...) literal in the file joins dim"), std::string::npos);
}

// A side the log cannot name (a temporary view) is found by its place in
// the join, as the plan orders it, and the keys the condition spells.
std::string SideTable(std::string_view sql, fix::JoinSide side,
                      std::vector<std::string> keys, bool keys_spelled = false) {
  auto table = SqlJoinSideTable(sql, side, keys, keys_spelled);
  return table ? *table : "ERROR: " + table.error().message;
}

TEST(SqlHint, ASideIsFoundByItsPlaceInTheJoinAndTheKeys) {
  constexpr std::string_view kComma =
      "select * from EMP e, DEPT d where e.emp_dept_id == d.dept_id";
  EXPECT_EQ(SideTable(kComma, fix::JoinSide::kRight, {"dept_id"}), "DEPT");
  EXPECT_EQ(SideTable(kComma, fix::JoinSide::kLeft, {}), "EMP");
  // A log that named the side otherwise needs the keys in the condition.
  EXPECT_NE(SideTable(kComma, fix::JoinSide::kRight, {"dept_id"}, true)
                .find("none of the 1 join(s) of the SQL is on dept_id"),
            std::string::npos);

  constexpr std::string_view kChain =
      "SELECT e.empno FROM emp e\n"
      "JOIN emp_projects ep ON e.empno = ep.empno\n"
      "JOIN projects p ON ep.projectno = p.projectno ORDER BY e.empno";
  EXPECT_EQ(SideTable(kChain, fix::JoinSide::kRight, {"projectno"}, true),
            "projects");
  EXPECT_EQ(SideTable(kChain, fix::JoinSide::kRight, {"EMPNO"}),
            "emp_projects");
  EXPECT_EQ(SideTable(kChain, fix::JoinSide::kLeft, {"empno"}), "emp");
  EXPECT_NE(SideTable(kChain, fix::JoinSide::kRight, {}).find("2 joins"),
            std::string::npos);
  EXPECT_NE(SideTable(kChain, fix::JoinSide::kLeft, {"projectno"})
                .find("result of earlier joins"),
            std::string::npos);
  EXPECT_NE(SideTable("SELECT * FROM t WHERE x IN (SELECT y FROM u)",
                      fix::JoinSide::kRight, {})
                .find("joins no two named tables"),
            std::string::npos);
}

// The run records the action's line: `spark.sql(...) \` then `.show()`.
TEST(SqlHint, ANamelessSideOfASqlJoinIsHintedFromTheActionLine) {
  PythonSource source = Parsed(
      "joined = spark.sql(\"select * from EMP e, DEPT d \"\n"
      "                   \"where e.id == d.id\") \\\n"
      "  .show(truncate=False)\n");
  auto plan = PlanBroadcastFix(
      source, BroadcastTarget{{std::nullopt, std::nullopt}, 3,
                              fix::JoinSide::kRight, {"id"}});
  EXPECT_FALSE(plan.has_value()) << "a concatenation is not one literal";

  PythonSource plain = Parsed(
      "joined = spark.sql(\"select * from EMP e, DEPT d where e.id == d.id\") \\\n"
      "  .show(truncate=False)\n");
  std::string after = ApplyAndCheck(plain, [](const PythonSource& s) {
    return PlanBroadcastFix(s, BroadcastTarget{{std::nullopt, std::nullopt}, 2,
                                               fix::JoinSide::kRight, {"id"}});
  });
  EXPECT_EQ(after,
            "joined = spark.sql(\"select /*+ BROADCAST(d) */ * from EMP e, "
            "DEPT d where e.id == d.id\") \\\n"
            "  .show(truncate=False)\n");

  // A path the SQL does not show (the view over it): by side, on the join
  // whose condition spells the keys (a WHERE spells none for the join).
  auto unspelled = PlanBroadcastFix(
      plain, BroadcastTarget{{std::nullopt, "file:/data/dept.parquet"}, 2,
                             fix::JoinSide::kRight, {"id"}});
  EXPECT_FALSE(unspelled.has_value());
  PythonSource on = Parsed(
      "spark.sql(\"select * from EMP e JOIN DEPT d ON e.id = d.id\").show()\n");
  std::string by_path = ApplyAndCheck(on, [](const PythonSource& s) {
    return PlanBroadcastFix(
        s, BroadcastTarget{{std::nullopt, "file:/data/dept.parquet"}, 1,
                           fix::JoinSide::kRight, {"id"}});
  });
  EXPECT_NE(by_path.find("BROADCAST(d)"), std::string::npos) << by_path;
}

}  // namespace
}  // namespace prometheus::rewrite
