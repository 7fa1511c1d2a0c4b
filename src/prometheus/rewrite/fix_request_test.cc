// Reading a recommendation's fix: every kind of the contract, the safety
// classes, and errors that name the field.
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
  EXPECT_EQ(request->data.table, "dim_country");
  EXPECT_FALSE(request->data.path.has_value());
  ASSERT_TRUE(request->call_site.has_value());
  EXPECT_EQ(request->call_site->file, "/jobs/daily.py");
  EXPECT_EQ(request->call_site->line, 42u);
  EXPECT_EQ(FixLabel(*request), "broadcast_hint dim_country");
  EXPECT_EQ(SafetyOf(request->kind), Safety::kSafe);
}

TEST(FixRequest, ReadsRepartitionSaltingAndConf) {
  auto repartition = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "repartition", "partitions": 64, "key": "k", "call_site": {"file": "a.py", "line": 3}}})"));
  ASSERT_TRUE(repartition.has_value()) << repartition.error().message;
  EXPECT_EQ(repartition->partitions, 64);
  EXPECT_EQ(repartition->column, "k");
  EXPECT_EQ(FixLabel(*repartition), "repartition 64 by k");
  auto salting = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "salting", "key": null, "buckets": 8}})"));
  ASSERT_TRUE(salting.has_value());
  EXPECT_EQ(salting->buckets, 8);
  EXPECT_FALSE(salting->column.has_value());
  EXPECT_EQ(SafetyOf("salting"), Safety::kUnsafe);
  auto conf = ReadFixRequest(
      json::parse(R"({"fix": {"kind": "conf", "key": "a.b", "value": "1"}})"));
  ASSERT_TRUE(conf.has_value());
  EXPECT_EQ(conf->key, "a.b");
  EXPECT_FALSE(conf->column.has_value()) << "a conf key is not a column";
  EXPECT_EQ(FixLabel(*conf), "conf a.b=1");
}

TEST(FixRequest, DescribedKindsCarryTheirAdvice) {
  auto udf = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "udf_to_builtin", "udf": ["parse_ts", "clean"]}})"));
  ASSERT_TRUE(udf.has_value());
  EXPECT_EQ(SafetyOf(udf->kind), Safety::kManual);
  EXPECT_NE(udf->advice.find("parse_ts, clean"), std::string::npos)
      << udf->advice;
  auto investigate = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "investigate", "advice": "look at GC"}})"));
  ASSERT_TRUE(investigate.has_value());
  EXPECT_EQ(investigate->advice, "look at GC");
  auto unknown = ReadFixRequest(json::parse(
      R"({"fix": {"kind": "compact_files", "table": "t", "files": 900}})"));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(SafetyOf(unknown->kind), Safety::kManual);
  EXPECT_NE(unknown->advice.find("\"files\":900"), std::string::npos)
      << unknown->advice;
}

TEST(FixRequest, ErrorsNameTheField) {
  auto expect_error = [](const char* text, const char* fragment) {
    auto request = ReadFixRequest(json::parse(text));
    ASSERT_FALSE(request.has_value()) << text;
    EXPECT_NE(request.error().message.find(fragment), std::string::npos)
        << request.error().message;
  };
  expect_error(R"({"id": "x"})", "fix: expected an object");
  expect_error(R"({"fix": {"key": "a"}})", "fix.kind: missing");
  expect_error(R"({"fix": {"kind": "conf", "key": "a"}})",
               "fix.value: missing");
  expect_error(R"({"fix": {"kind": "conf", "key": 3, "value": "1"}})",
               "fix.key: expected a string");
  expect_error(
      R"({"fix": {"kind": "broadcast_hint", "table": null, "path": null}})",
      "names neither a table nor a path");
  expect_error(
      R"({"fix": {"kind": "broadcast_hint", "table": "t", "call_site": {"file": "a.py", "line": 0}}})",
      "fix.call_site.line: expected a line number");
  expect_error(R"({"fix": {"kind": "repartition", "partitions": -2}})",
               "fix.partitions: expected a positive integer");
  expect_error(R"({"fix": {"kind": "repartition"}})",
               "fix.partitions: missing");
}

}  // namespace
}  // namespace prometheus::rewrite
