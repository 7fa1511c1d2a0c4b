#include "prometheus/delta/delta_log.h"

#include <gtest/gtest.h>

namespace prometheus::delta {
namespace {

TEST(CheckReadable, ReadsV2CheckpointTablesAndNamesEveryFeatureItCannotRead) {
  EXPECT_TRUE(CheckReadable({1, 2, {}, {}}).has_value());
  EXPECT_TRUE(CheckReadable({3, 7, {"v2Checkpoint"}, {"v2Checkpoint", "appendOnly"}}));
  auto refused = CheckReadable({3, 7, {"deletionVectors", "v2Checkpoint", "columnMapping"}, {}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("reader feature(s) deletionVectors, columnMapping "),
            std::string::npos)
      << refused.error().message;
  auto column_mapping = CheckReadable({2, 5, {}, {}});
  ASSERT_FALSE(column_mapping.has_value());
  EXPECT_NE(column_mapping.error().message.find("column mapping"), std::string::npos);
}

TEST(CheckWritable, NamesEveryWriterFeatureOfAProtocolAboveVersion2) {
  Metadata metadata;
  EXPECT_TRUE(CheckWritable({1, 2, {}, {}}, metadata).has_value());
  auto refused = CheckWritable({3, 7, {"v2Checkpoint"}, {"v2Checkpoint", "appendOnly"}}, metadata);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("writer version 7 (features: v2Checkpoint, appendOnly)"),
            std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace prometheus::delta
