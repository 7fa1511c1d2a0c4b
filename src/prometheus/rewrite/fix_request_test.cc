// Reading a recommendation record: its id, rule and typed fix, and errors
// that name the field. (Each kind's reading is tested in fix/fix_test.cc.)
#include "prometheus/rewrite/fix_request.h"

#include <gtest/gtest.h>

namespace prometheus::rewrite {
namespace {

using nlohmann::json;

TEST(FixRequest, ReadsTheBroadcastFixOfTheContract) {
  auto request =
      ReadFixRequest(json::parse(R"({"id": "9f3c", "rule": "missed_broadcast",
    "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": null,
            "join_keys": ["country_id"], "call_site": {"file": "/jobs/daily.py", "line": 42}}})"));
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->id, "9f3c");
  EXPECT_EQ(request->rule, "missed_broadcast");
  const auto* hint = std::get_if<fix::BroadcastHint>(&request->fix.kind);
  ASSERT_NE(hint, nullptr);
  EXPECT_EQ(hint->table, "dim_country");
  EXPECT_FALSE(hint->path.has_value());
  ASSERT_TRUE(request->fix.call_site.has_value());
  EXPECT_EQ(request->fix.call_site->file, "/jobs/daily.py");
  EXPECT_EQ(request->fix.call_site->line, 42);
  EXPECT_EQ(fix::Label(request->fix), "broadcast_hint dim_country");
  EXPECT_EQ(fix::SafetyOf(request->fix), fix::Safety::kSafe);
}

// The scope's entry point and call sites say which job's file a setting
// belongs in; what does not read is unknown, not an error.
TEST(FixRequest, ReadsTheJobAnchorsOfTheScopeLeniently) {
  auto request = ReadFixRequest(json::parse(R"({"id": "a1", "rule": "r",
    "scope": {"app_id": "app-1", "entry_point": "/home/u/jobs/daily.py",
              "call_sites": [{"file": "daily.py", "line": 12},
                             {"file": "lib/io.py", "line": null}, 7]},
    "fix": {"kind": "conf", "key": "k", "value": "v", "applies": "runtime"}})"));
  ASSERT_TRUE(request.has_value()) << request.error().message;
  EXPECT_EQ(request->anchors.entry_point, "/home/u/jobs/daily.py");
  ASSERT_EQ(request->anchors.call_sites.size(), 2u);
  EXPECT_EQ(request->anchors.call_sites[0].file, "daily.py");
  EXPECT_EQ(request->anchors.call_sites[0].line, 12);
  EXPECT_FALSE(request->anchors.call_sites[1].line.has_value());

  auto bare = ReadFixRequest(json::parse(R"({"id": "a2", "rule": "r",
    "scope": {"entry_point": null, "call_sites": "x"},
    "fix": {"kind": "conf", "key": "k", "value": "v", "applies": "runtime"}})"));
  ASSERT_TRUE(bare.has_value()) << bare.error().message;
  EXPECT_TRUE(bare->anchors.empty());
}

TEST(FixRequest, ReadsRepartitionSaltingAndConf) {
  auto repartition = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "repartition", "partitions": 64, "key": "k", "call_site": {"file": "a.py", "line": 3}}})"));
  ASSERT_TRUE(repartition.has_value()) << repartition.error().message;
  const auto& typed = std::get<fix::Repartition>(repartition->fix.kind);
  EXPECT_EQ(typed.partitions, 64);
  EXPECT_EQ(typed.key, "k");
  EXPECT_EQ(fix::Label(repartition->fix), "repartition 64 by k");
  auto salting = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "salting", "key": null, "buckets": 8}})"));
  ASSERT_TRUE(salting.has_value());
  EXPECT_EQ(std::get<fix::Salting>(salting->fix.kind).buckets, 8);
  EXPECT_FALSE(std::get<fix::Salting>(salting->fix.kind).key.has_value());
  EXPECT_EQ(fix::SafetyOf(salting->fix), fix::Safety::kUnsafe);
  auto conf = ReadFixRequest(
      json::parse(R"({"fix": {"kind": "conf", "key": "a.b", "value": "1"}})"));
  ASSERT_TRUE(conf.has_value());
  EXPECT_EQ(std::get<fix::Conf>(conf->fix.kind).key, "a.b");
  EXPECT_EQ(fix::Label(conf->fix), "conf a.b=1");
}

TEST(FixRequest, ErrorsNameTheField) {
  auto expect_error = [](const char* text, const char* fragment) {
    auto request = ReadFixRequest(json::parse(text));
    ASSERT_FALSE(request.has_value()) << text;
    EXPECT_NE(request.error().message.find(fragment), std::string::npos)
        << request.error().message;
  };
  expect_error(R"({"id": "x"})", "fix: expected an object");
  expect_error(R"({"id": 3, "fix": {"kind": "conf"}})",
               "recommendation.id: expected a string");
  expect_error(R"({"fix": {"key": "a"}})", "fix.kind: missing");
  expect_error(R"({"fix": {"kind": "conf", "key": "a"}})",
               "fix.value: missing");
  expect_error(R"({"fix": {"kind": "repartition"}})",
               "fix.partitions: missing");
}

TEST(FixRequest, AnUnreadableRecordKeepsItsIdAndKind) {
  auto request = UnreadableRequest(
      json::parse(R"({"id": "abc", "fix": {"kind": "repartition"}})"));
  EXPECT_EQ(request.id, "abc");
  EXPECT_EQ(fix::KindName(request.fix), "repartition");
  EXPECT_EQ(fix::Label(request.fix), "repartition 0");
  EXPECT_EQ(fix::KindName(UnreadableRequest(json::parse(R"({"fix": 3})")).fix),
            "?");
}

}  // namespace
}  // namespace prometheus::rewrite
