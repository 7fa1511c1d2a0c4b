// The cache fix: finds the one assignment that reads the data and is used
// several times, appends .cache() to it, and refuses what it cannot place.
#include "prometheus/rewrite/cache_fix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

CacheTarget Path(std::string path, uint32_t line = 0) {
  CacheTarget target;
  target.path = std::move(path);
  target.line = line;
  return target;
}

CacheTarget Table(std::string table, uint32_t line = 0) {
  CacheTarget target;
  target.table = std::move(table);
  target.line = line;
  return target;
}

auto Planner(CacheTarget target) {
  return
      [=](const PythonSource& source) { return PlanCacheFix(source, target); };
}

std::string Reason(const std::string& text, CacheTarget target) {
  auto plan = PlanCacheFix(Parsed(text), target);
  EXPECT_FALSE(plan.has_value()) << "planned: " << (plan ? plan->note : "");
  return plan ? "" : plan.error().message;
}

std::string Fixed(const std::string& text, CacheTarget target) {
  return ApplyAndCheck(Parsed(text), Planner(target));
}

constexpr char kLedger[] = "s3://finance/ledger/2026";

TEST(CacheFix, ParenthesisedMultiLineReadGetsCacheAfterTheParen) {
  PythonSource source = Parsed(Corpus("reread_job.py"));
  // 0: anywhere; 17, 20: the assignment's statement and read lines; 26, 29:
  // uses; 33: an action on a frame derived from the ledger.
  for (uint32_t line : {0u, 17u, 20u, 26u, 29u, 33u}) {
    std::string after = ApplyAndCheck(source, Planner(Path(kLedger, line)));
    testing::ExpectGolden("reread_job.cache.diff",
                          UnifiedDiff("reread_job.py", source.text(), after));
  }
  auto plan = PlanCacheFix(source, Path(kLedger));
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->note,
            "line 17: .cache() appended to ledger, which reads path "
            "s3://finance/ledger/2026 and is used 3 times; call "
            "ledger.unpersist() once its last use (line 27) is done");
}

TEST(CacheFix, ShortForms) {
  EXPECT_EQ(
      Fixed("d = spark.table('t')  # raw\nd.count()\nd.show()", Table("t", 3)),
      "d = spark.table('t').cache()  # raw\nd.count()\nd.show()");
  // An operator expression is parenthesised so that .cache() takes it all.
  EXPECT_EQ(Fixed("d = spark.table('t') if x else spark.table('u')\n"
                  "d.count()\nd.show()\n",
                  Table("t")),
            "d = (spark.table('t') if x else spark.table('u')).cache()\n"
            "d.count()\nd.show()\n");
  // The right-hand side of a rebinding still sees the name.
  EXPECT_EQ(Fixed("def f(spark):\n    d = spark.read.json('/e')\n"
                  "    n = d.count()\n    d = d.where('x')\n    return d\n",
                  Path("/e", 5)),
            "def f(spark):\n    d = spark.read.json('/e').cache()\n"
            "    n = d.count()\n    d = d.where('x')\n    return d\n");
}

TEST(CacheFix, CrlfAndTabs) {
  EXPECT_EQ(Fixed("if True:\r\n\td = spark.read.orc('/o')\r\n\td.count()\r\n"
                  "\td.show()\r\n",
                  Path("/o", 4)),
            "if True:\r\n\td = spark.read.orc('/o').cache()\r\n\td.count()\r\n"
            "\td.show()\r\n");
}

TEST(CacheFix, AnExistingCacheIsKept) {
  for (std::string text :
       {"d = spark.table('t').persist(StorageLevel.DISK_ONLY)\nd.count()\n"
        "d.show()\n",
        "d = (spark.table('t').cache()\n     "
        ".where('x'))\nd.count()\nd.show()\n",
        "d = spark.table('t')\nd.cache()\nd.count()\nd.show()\n"}) {
    auto plan = PlanCacheFix(Parsed(text), Table("t"));
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_TRUE(plan->edits.empty()) << text;
    EXPECT_NE(plan->note.find("already cached"), std::string::npos);
  }
}

TEST(CacheFix, RefusesWhatItCannotPlace) {
  std::string corpus = Corpus("reread_job.py");
  EXPECT_NE(Reason(corpus, Table("finance.accounts")).find("fewer than twice"),
            std::string::npos);
  EXPECT_NE(Reason(corpus, Path("s3://finance/fx_rates.csv", 12))
                .find("line 11: fx (read from path s3://finance/fx_rates.csv) "
                      "is used 1 time(s)"),
            std::string::npos);
  // The read inside the function is not in scope at line 34.
  EXPECT_NE(Reason(corpus, Path("s3://finance/fx_rates.csv", 34))
                .find("no assignment `name = ...` reads path "
                      "s3://finance/fx_rates.csv at line 34"),
            std::string::npos);
  // Before the read, nothing was read yet.
  EXPECT_NE(Reason(corpus, Path(kLedger, 15)).find("no assignment"),
            std::string::npos);
  EXPECT_NE(Reason(corpus, Path("/nowhere")).find("no assignment"),
            std::string::npos);
  std::string twice =
      "a = spark.table('t')\nb = spark.table('t')\na.count()\na.show()\n"
      "b.count()\nb.show()\n";
  EXPECT_NE(Reason(twice, Table("t")).find("ambiguous"), std::string::npos);
  EXPECT_NE(Reason("a = spark.table('t')\nb = spark.table('t')\na.count()\n",
                   Table("t"))
                .find("none is used twice"),
            std::string::npos);
  // Rebound before its second use: used once.
  EXPECT_NE(Reason("d = spark.table('t')\nd.count()\nd = other\nd.show()\n",
                   Table("t"))
                .find("used 1 time(s)"),
            std::string::npos);
  // A loop variable of the same name is another variable.
  EXPECT_NE(Reason("d = spark.table('t')\nfor d in d.columns:\n    print(d)\n"
                   "    d.strip()\n",
                   Table("t"))
                .find("used 1 time(s)"),
            std::string::npos);
  // Attribute names, keywords and parameters are not uses.
  EXPECT_NE(Reason("d = spark.table('t')\nx.d = f(d=1)\ndef g(d):\n    "
                   "return d\n",
                   Table("t"))
                .find("used 0 time(s)"),
            std::string::npos);
  EXPECT_NE(Reason("d = 1\n", CacheTarget{}).find("neither"),
            std::string::npos);
}

// Every table and path read in every corpus file, anywhere and at every
// line: a plan applies cleanly and is idempotent, a refusal says why.
TEST(CacheFix, EveryReadOfTheCorpus) {
  namespace fs = std::filesystem;
  fs::path dir = prometheus::testing::RepoPath("testdata/pyspark");
  int planned = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".py" ||
        entry.path().filename() == "broken.py") {
      continue;
    }
    PythonSource source = Parsed(testing::ReadBytes(entry.path().string()));
    std::vector<CacheTarget> targets;
    Walk(source.root(), [&](TSNode node) {
      auto literal = PlainString(source, FirstArgument(node));
      if (!literal || MethodName(source, node).empty()) return true;
      targets.push_back(Table(*literal));
      targets.push_back(Path(*literal));
      return true;
    });
    auto lines = std::count(source.text().begin(), source.text().end(), '\n');
    for (CacheTarget target : targets) {
      for (uint32_t line = 0; line <= lines + 1; ++line) {
        target.line = line;
        auto plan = PlanCacheFix(source, target);
        if (!plan) {
          EXPECT_FALSE(plan.error().message.empty());
          continue;
        }
        auto text = ApplyChecked(source, plan->edits);
        ASSERT_TRUE(text.has_value()) << entry.path() << ":" << line;
        auto again = PlanCacheFix(Parsed(*text), target);
        ASSERT_TRUE(again.has_value()) << entry.path() << ":" << line;
        EXPECT_TRUE(again->edits.empty()) << entry.path() << ":" << line;
        planned += !plan->edits.empty();
      }
    }
  }
  EXPECT_GT(planned, 0);
}

}  // namespace
}  // namespace prometheus::rewrite
