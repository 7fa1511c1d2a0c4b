#include "prometheus/delta/delta_log.h"

#include <gtest/gtest.h>

namespace prometheus::delta {
namespace {

// Found by fuzzing (testdata/fuzz/delta_log): a field of another JSON type
// than the spec's is read as absent, never converted or thrown on.
TEST(ApplyCommitText, FieldsOfOddTypesReadAsAbsent) {
  Snapshot snapshot;
  Status applied = ApplyCommitText(
      "{\"metaData\":{\"id\":\"t\",\"createdTime\":1.8e45}}\n"
      "{\"add\":{\"path\":\"a.parquet\",\"size\":2.5,\"modificationTime\":7,"
      "\"dataChange\":\"yes\"}}\n"
      "{\"remove\":{\"path\":\"b.parquet\",\"dataChange\":0}}\n",
      "00000000000000000000.json", snapshot);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_TRUE(snapshot.metadata);
  EXPECT_FALSE(snapshot.metadata->created_time);
  const AddFile& add = snapshot.files.at("a.parquet");
  EXPECT_EQ(add.size, 0);
  EXPECT_EQ(add.modification_time, 7);
  EXPECT_TRUE(add.data_change);
  EXPECT_TRUE(snapshot.tombstones.at("b.parquet").data_change);
}

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
