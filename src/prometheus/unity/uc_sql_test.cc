#include "prometheus/unity/uc_sql.h"

#include <gtest/gtest.h>

#include "prometheus/lake/tables.h"

namespace prometheus::unity {
namespace {

TEST(UcSqlTest, ParsesTheStoreAndDefaultsTheStagingVolume) {
  auto location = ParseUcStore("uc:main.prom");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->catalog, "main");
  EXPECT_EQ(location->schema, "prom");
  EXPECT_EQ(location->staging_volume, "/Volumes/main/prom/prometheus_staging");
  EXPECT_EQ(location->Table("prometheus_metrics"), "`main`.`prom`.`prometheus_metrics`");
  EXPECT_TRUE(location->default_volume);
  EXPECT_EQ(CreateDefaultVolumeSql(*location),
            "CREATE VOLUME IF NOT EXISTS `main`.`prom`.`prometheus_staging`");
  auto staged = ParseUcStore("uc:main.prom", "/Volumes/ops/x/stage/prometheus-1.0/");
  ASSERT_TRUE(staged);
  EXPECT_EQ(staged->staging_volume, "/Volumes/ops/x/stage/prometheus-1.0");
  EXPECT_FALSE(staged->default_volume);
}

TEST(UcSqlTest, RefusesNamesThatCouldCarrySql) {
  for (const char* bad : {"uc:main", "uc:main.prom.x", "uc:main.prom;DROP TABLE t", "uc:main.`prom`",
                          "uc:1main.prom", "uc:.prom", "uc:main.pr om", "main.prom"}) {
    auto location = ParseUcStore(bad);
    ASSERT_FALSE(location) << bad;
    EXPECT_EQ(location.error().code, ErrorCode::kInvalidArgument);
  }
  for (const char* bad : {"/Volumes/main/prom", "/tmp/x/y/z", "/Volumes/main/prom/v/../w",
                          "/Volumes/main/prom/v/a'b", "/Volumes/ma-in/prom/v"}) {
    EXPECT_FALSE(ParseUcStore("uc:main.prom", bad)) << bad;
  }
}

TEST(UcSqlTest, CreatesEachTableWithTheLakesColumns) {
  UcLocation location{"main", "prom", "/Volumes/main/prom/s"};
  for (auto table : {lake::kMetricsTable, lake::kApplicationsTable, lake::kRecommendationsTable}) {
    auto sql = CreateTableSql(location, table);
    ASSERT_TRUE(sql) << sql.error().message;
    EXPECT_TRUE(sql->starts_with("CREATE TABLE IF NOT EXISTS `main`.`prom`.`" + std::string(table)));
    for (const auto& column : *lake::TableSchema(table)) {
      std::string declared = "`" + column.name + "` " + SqlType(column.type);
      EXPECT_NE(sql->find(declared + (column.nullable ? "" : " NOT NULL")), std::string::npos)
          << table << " " << declared;
    }
  }
  auto sql = CreateTableSql(location, lake::kApplicationsTable);
  EXPECT_NE(sql->find("`run_id` BIGINT"), std::string::npos);
  EXPECT_NE(sql->find("`start_time` TIMESTAMP"), std::string::npos);
  EXPECT_FALSE(CreateTableSql(location, "other"));
}

TEST(UcSqlTest, MergesOnNullSafeKeysFromTheStagedParameter) {
  UcLocation location{"main", "prom", "/Volumes/main/prom/s"};
  auto sql = MergeSql(location, lake::kApplicationsTable);
  ASSERT_TRUE(sql);
  EXPECT_NE(sql->find("MERGE INTO `main`.`prom`.`prometheus_applications` AS t"), std::string::npos);
  EXPECT_NE(sql->find("read_files(:staged, format => 'parquet')"), std::string::npos);
  EXPECT_NE(sql->find("t.`app_attempt_id` IS NOT DISTINCT FROM s.`app_attempt_id`"), std::string::npos);
  EXPECT_NE(sql->find("t.`task_run_id` IS NOT DISTINCT FROM s.`task_run_id`"), std::string::npos);
  EXPECT_NE(sql->find("WHEN NOT MATCHED THEN INSERT *"), std::string::npos);
  for (auto table : {lake::kMetricsTable, lake::kApplicationsTable, lake::kRecommendationsTable}) {
    for (const auto& key : MergeKeys(table)) {
      bool found = false;
      for (const auto& column : *lake::TableSchema(table)) found |= column.name == key;
      EXPECT_TRUE(found) << table << " has no key column " << key;
    }
  }
}

TEST(UcSqlTest, SelectsTimestampsAsMicroseconds) {
  UcLocation location{"main", "prom", "/Volumes/main/prom/s"};
  auto sql = SelectSql(location, lake::kApplicationsTable);
  ASSERT_TRUE(sql);
  EXPECT_NE(sql->find("unix_micros(`start_time`) AS `start_time`"), std::string::npos);
  EXPECT_NE(sql->find(", `app_name`,"), std::string::npos);
  EXPECT_NE(sql->find("ORDER BY `app_id`, `app_attempt_id`, `task_run_id`"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::unity
