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

}  // namespace
}  // namespace prometheus::rewrite
