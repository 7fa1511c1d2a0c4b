#include "prometheus/pipeline/lake_table.h"

#include <gtest/gtest.h>

#include "prometheus/pipeline/pipeline_testing.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

TEST(ReadLakeTable, ReadsWhatWasStoredAndNamesWhatIsNot) {
  prometheus::testing::TempDir tmp;
  std::filesystem::path store = tmp.path() / "lake";
  auto unknown = ReadLakeTable(store, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  auto missing = ReadLakeTable(store, "prometheus_applications");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("holds no table yet"), std::string::npos);

  ObserveInto(store);
  auto read = ReadLakeTable(store, "prometheus_applications");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->version, 0);
  EXPECT_EQ(read->table.num_rows(), 5u);

  tmp.Write("lake/prometheus_applications/_delta_log/00000000000000000001.json", "{\"add");
  auto corrupt = ReadLakeTable(store, "prometheus_applications");
  ASSERT_FALSE(corrupt);
  EXPECT_EQ(corrupt.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace prometheus::pipeline
