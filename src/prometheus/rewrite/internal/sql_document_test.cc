// A .sql file as a Document: no module, one SQL place.
#include <gtest/gtest.h>

#include "prometheus/rewrite/document.h"
#include "prometheus/rewrite/internal/document_testing.h"

namespace prometheus::rewrite::internal {
namespace {

TEST(SqlDocument, HasNoModuleAndOneSqlPlace) {
  const std::string query = "SELECT * FROM sales s JOIN dim d ON s.id = d.id\n";
  auto sql = Open("q/daily.sql", query);
  ASSERT_NE(sql, nullptr);
  EXPECT_EQ(sql->kind(), SourceKind::kSql);
  EXPECT_EQ(sql->module(), nullptr);
  EXPECT_FALSE(sql->TakesSessionlessConf());
  auto plan = sql->PlanSqlBroadcast("dim");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->note, "/*+ BROADCAST(d) */ added");
  ASSERT_FALSE(plan->edits.sql.empty());
  EXPECT_EQ(plan->edits.sql[0].place, 0u);
  auto text = sql->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, "SELECT /*+ BROADCAST(d) */ * FROM sales s JOIN dim d ON s.id = d.id\n");
  EXPECT_FALSE(sql->Render({{Edit{0, 0, "x"}}, {}}).has_value())
      << "a SQL file has no module";
}

}  // namespace
}  // namespace prometheus::rewrite::internal
