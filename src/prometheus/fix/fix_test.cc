// The fix contract: every kind's JSON round trip byte for byte, unknown
// kinds kept, unknown call-site lines, the safety table, labels and errors
// that name the field.
#include "prometheus/fix/fix.h"

#include <gtest/gtest.h>

#include "prometheus/fix/internal/kind_table.h"

namespace prometheus::fix {
namespace {

Json Parse(const char* text) { return Json::parse(text); }

// Read, then written back: the same bytes.
void ExpectRoundTrip(const char* text) {
  Json record = Parse(text);
  auto fix = Read(record);
  ASSERT_TRUE(fix.has_value()) << text << ": " << fix.error().message;
  EXPECT_EQ(ToJson(*fix).dump(), record.dump()) << text;
}

TEST(Fix, EveryKindOfTheContractRoundTripsByteForByte) {
  for (const char* text : {
           R"({"kind":"conf","key":"spark.sql.adaptive.enabled","value":"true","applies":"runtime"})",
           R"({"kind":"conf","key":"spark.executor.memory","value":"8g","applies":"startup"})",
           R"({"kind":"broadcast_hint","table":"dim_country","path":null,"join_keys":["country_id"],"side":"right","call_site":{"file":"/jobs/daily.py","line":42}})",
           R"({"kind":"broadcast_hint","table":null,"path":null,"join_keys":["id"],"side":"left"})",
           R"({"kind":"broadcast_hint","table":null,"path":"dbfs:/mnt/raw/races","join_keys":["circuit_id"],"side":"right","join_type":"LeftSemi"})",
           R"({"kind":"repartition","partitions":64,"key":null,"call_site":{"file":"a.py","line":3}})",
           R"({"kind":"cache","table":null,"path":"s3://lake/users","call_site":{"file":"/jobs/daily.py","line":7}})",
           R"({"kind":"salting","key":"country_id","buckets":16})",
           R"({"kind":"udf_to_builtin","udf":["parse_ts","clean"]})",
           R"({"kind":"driver_code","advice":"avoid collect() loops"})",
           R"({"kind":"investigate","advice":"look at GC"})",
           R"({"kind":"compact_files","table":"logs.events","path":null,"target_file_bytes":134217728})",
           R"j({"kind":"join_condition","condition":"(a#1 > b#2)"})j",
       }) {
    ExpectRoundTrip(text);
  }
}

TEST(Fix, TypedFixesWriteTheContractsKeyOrder) {
  Fix hint{BroadcastHint{"dim", std::nullopt, {"id"}},
           CallSite{"/jobs/daily.py", 42}, {}};
  EXPECT_EQ(ToJson(hint).dump(),
            R"({"kind":"broadcast_hint","table":"dim","path":null,"join_keys":["id"],"side":null,"call_site":{"file":"/jobs/daily.py","line":42}})");
  Fix conf{Conf{"a.b", "1"}, std::nullopt, {}};
  EXPECT_EQ(ToJson(conf).dump(),
            R"({"kind":"conf","key":"a.b","value":"1","applies":"startup"})");
}

TEST(Fix, RecordsOutOfTheContractsShapeAreWrittenAsRead) {
  // Another key order, a parameter no type models, a default left out,
  // null where absent would do: what user rule files can write.
  for (const char* text : {
           R"({"kind":"conf","value":"1","key":"a.b"})",
           R"({"kind":"repartition","partitions":8,"key":"day","note":"by day"})",
           R"({"kind":"salting","key":null})",
           R"({"kind":"broadcast_hint","table":"t"})",
           R"({"kind":"investigate","advice":"x","call_site":{"file":"a.py"}})",
       }) {
    ExpectRoundTrip(text);
  }
}

TEST(Fix, AnUnknownKindIsKeptUnchanged) {
  const char* text =
      R"({"kind":"z_order","columns":["a","b"],"nested":{"x":1.5,"y":null},"call_site":{"file":"j.py","line":2}})";
  ExpectRoundTrip(text);
  auto fix = Read(Parse(text));
  ASSERT_TRUE(fix.has_value());
  EXPECT_EQ(KindName(*fix), "z_order");
  EXPECT_TRUE(HasKind(*fix, "z_order"));
  EXPECT_EQ(SafetyOf(*fix), Safety::kManual);
  EXPECT_EQ(Label(*fix), "z_order");
  ASSERT_TRUE(fix->call_site.has_value());
  EXPECT_EQ(fix->call_site->line, 2);
}

TEST(Fix, AnAbsentOrNullCallSiteLineReadsAsUnknown) {
  for (const char* text : {
           R"({"kind":"cache","table":"t","call_site":{"file":"a.py"}})",
           R"({"kind":"cache","table":"t","call_site":{"file":"a.py","line":null}})",
       }) {
    auto fix = Read(Parse(text));
    ASSERT_TRUE(fix.has_value()) << text << ": " << fix.error().message;
    ASSERT_TRUE(fix->call_site.has_value());
    EXPECT_EQ(fix->call_site->file, "a.py");
    EXPECT_FALSE(fix->call_site->line.has_value()) << text;
    EXPECT_EQ(ToJson(*fix).dump(), Parse(text).dump());
  }
  Fix unknown_line{Cache{"t", std::nullopt}, CallSite{"a.py", std::nullopt},
                   {}};
  EXPECT_EQ(ToJson(unknown_line)["call_site"].dump(),
            R"({"file":"a.py","line":null})");
}

TEST(Fix, TheSafetyTable) {
  auto safety = [](const char* text) {
    auto fix = Read(Parse(text));
    EXPECT_TRUE(fix.has_value()) << text;
    return fix ? SafetyOf(*fix) : Safety::kManual;
  };
  EXPECT_EQ(safety(R"({"kind":"conf","key":"a","value":"b"})"), Safety::kSafe);
  EXPECT_EQ(safety(R"({"kind":"broadcast_hint","table":"t"})"), Safety::kSafe);
  EXPECT_EQ(safety(R"({"kind":"repartition","partitions":2})"), Safety::kSafe);
  EXPECT_EQ(safety(R"({"kind":"cache","path":"/p"})"), Safety::kSafe);
  EXPECT_EQ(safety(R"({"kind":"salting","key":null})"), Safety::kUnsafe);
  for (const char* manual :
       {"udf_to_builtin", "driver_code", "investigate", "compact_files",
        "join_condition", "something_new"}) {
    Json record = {{"kind", manual}};
    EXPECT_EQ(safety(record.dump().c_str()), Safety::kManual) << manual;
  }
  EXPECT_EQ(SafetyName(Safety::kSafe), "safe");
  EXPECT_EQ(SafetyName(Safety::kUnsafe), "unsafe");
  EXPECT_EQ(SafetyName(Safety::kManual), "manual");
}

TEST(Fix, EachRowDescribesTheAlternativeAtItsIndex) {
  auto rows = internal::KindRows();
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].blank().index(), i) << rows[i].name;
    Fix blank{rows[i].blank(), std::nullopt, {}};
    EXPECT_EQ(KindName(blank), rows[i].name);
  }
}

TEST(Fix, Labels) {
  auto label = [](const char* text) {
    auto fix = Read(Parse(text));
    EXPECT_TRUE(fix.has_value()) << text;
    return fix ? Label(*fix) : "";
  };
  EXPECT_EQ(label(R"({"kind":"conf","key":"a.b","value":"1"})"), "conf a.b=1");
  EXPECT_EQ(label(R"({"kind":"broadcast_hint","table":"dim_country"})"),
            "broadcast_hint dim_country");
  EXPECT_EQ(label(R"({"kind":"cache","path":"/p"})"), "cache /p");
  EXPECT_EQ(label(R"({"kind":"repartition","partitions":64,"key":"k"})"),
            "repartition 64 by k");
  EXPECT_EQ(label(R"({"kind":"repartition","partitions":64})"),
            "repartition 64");
  EXPECT_EQ(label(R"({"kind":"salting","key":null,"buckets":8})"),
            "salting (key unknown)");
  EXPECT_EQ(label(R"({"kind":"investigate","advice":"x"})"), "investigate");
  // A record that does not read is labelled as a blank fix of its kind.
  EXPECT_EQ(Label(Unreadable(Parse(R"({"kind":"conf","key":3})"))), "conf =");
  EXPECT_EQ(Label(Unreadable(Parse(R"({"kind":"repartition"})"))),
            "repartition 0");
  EXPECT_EQ(KindName(Unreadable(Parse(R"({"key":"a"})"))), "?");
  EXPECT_EQ(SafetyOf(Unreadable(Parse(R"({"kind":"cache"})"))), Safety::kSafe);
}

TEST(Fix, AdviceAndSummary) {
  auto fix = [](const char* text) { return *Read(Parse(text)); };
  EXPECT_NE(Advice(fix(R"({"kind":"udf_to_builtin","udf":["parse_ts","clean"]})"))
                .find("parse_ts, clean"),
            std::string::npos);
  EXPECT_EQ(Advice(fix(R"({"kind":"investigate","advice":"look at GC"})")),
            "look at GC");
  EXPECT_NE(Advice(fix(R"({"kind":"compact_files","table":"t","files":900})"))
                .find("\"files\":900"),
            std::string::npos);
  EXPECT_EQ(Summary(fix(R"({"kind":"conf","key":"a.b","value":"1"})")),
            "set a.b=1");
  EXPECT_EQ(Summary(fix(R"({"kind":"cache","table":"t"})")), "cache");
}

TEST(Fix, ErrorsNameTheField) {
  auto expect_error = [](const char* text, const char* fragment) {
    auto fix = Read(Parse(text));
    ASSERT_FALSE(fix.has_value()) << text;
    EXPECT_EQ(fix.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(fix.error().message.find(fragment), std::string::npos)
        << fix.error().message;
  };
  expect_error(R"("conf")", "fix: expected an object");
  expect_error(R"({"key": "a"})", "fix.kind: missing");
  expect_error(R"({"kind": "conf", "key": "a"})", "fix.value: missing");
  expect_error(R"({"kind": "conf", "key": 3, "value": "1"})",
               "fix.key: expected a string");
  expect_error(R"({"kind": "broadcast_hint", "table": null, "path": null})",
               "names neither a table, a path nor a side");
  expect_error(R"({"kind": "broadcast_hint", "table": "t", "side": "small"})",
               "fix.side: expected \"left\" or \"right\", found \"small\"");
  expect_error(
      R"({"kind": "broadcast_hint", "table": "t", "call_site": {"file": "a.py", "line": 0}})",
      "fix.call_site.line: expected a line number");
  expect_error(R"({"kind": "cache", "table": "t", "call_site": "a.py:3"})",
               "fix.call_site: expected an object");
  expect_error(R"({"kind": "repartition", "partitions": -2})",
               "fix.partitions: expected a positive integer");
  expect_error(R"({"kind": "repartition"})", "fix.partitions: missing");
}

TEST(Fix, ReadOrKeepKeepsAKnownKindThatDoesNotFit) {
  Json record = Parse(R"({"kind":"repartition","partitions":"many","key":"k"})");
  EXPECT_FALSE(Read(record).has_value());
  auto kept = ReadOrKeep(record);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(ToJson(*kept).dump(), record.dump());
  EXPECT_EQ(KindName(*kept), "repartition");
  EXPECT_EQ(SafetyOf(*kept), Safety::kSafe);
  EXPECT_FALSE(ReadOrKeep(Parse(R"({"partitions":2})")).has_value());
}

// The `applies` of a conf: as stated, else (records from before it
// existed) from the key; written back as read.
TEST(Fix, AConfSaysWhenItApplies) {
  auto applies = [](const char* text) {
    auto fix = Read(Parse(text));
    EXPECT_TRUE(fix.has_value()) << text;
    return fix ? std::get<Conf>(fix->kind).applies : Applies::kRuntime;
  };
  EXPECT_EQ(applies(R"({"kind":"conf","key":"spark.executor.memory","value":"8g"})"),
            Applies::kStartup);
  EXPECT_EQ(applies(R"({"kind":"conf","key":"spark.sql.shuffle.partitions","value":"8"})"),
            Applies::kRuntime);
  // A rule may know better than the key: a setting of an extension.
  EXPECT_EQ(
      applies(R"({"kind":"conf","key":"spark.databricks.delta.optimizeWrite.enabled","value":"true","applies":"runtime"})"),
      Applies::kRuntime);
  EXPECT_EQ(applies(R"({"kind":"conf","key":"spark.sql.x","value":"1","applies":"startup"})"),
            Applies::kStartup);
  for (const char* old_record :
       {R"({"kind":"conf","key":"spark.dynamicAllocation.enabled","value":"true"})",
        R"({"kind":"conf","key":"spark.sql.adaptive.enabled","value":"true","call_site":{"file":"a.py","line":1}})"}) {
    ExpectRoundTrip(old_record);
  }
  EXPECT_EQ(Conf("spark.driver.memory", "4g").applies, Applies::kStartup);
  EXPECT_EQ(Conf("spark.sql.ansi.enabled", "true").applies, Applies::kRuntime);
  EXPECT_EQ(Conf("spark.sql.ansi.enabled", "true", Applies::kStartup).applies,
            Applies::kStartup);
}

TEST(Fix, AConfWithAnotherAppliesIsRefused) {
  for (const char* text :
       {R"({"kind":"conf","key":"a","value":"1","applies":"later"})",
        R"({"kind":"conf","key":"a","value":"1","applies":true})"}) {
    auto fix = Read(Parse(text));
    ASSERT_FALSE(fix.has_value()) << text;
    EXPECT_EQ(fix.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(fix.error().message.find("fix.applies"), std::string::npos)
        << fix.error().message;
  }
}

TEST(Fix, CompletedAddsWhatARuleLeavesOut) {
  EXPECT_EQ(
      Completed(Parse(R"({"kind":"conf","key":"spark.executor.cores","value":"4"})"))
          .dump(),
      R"({"kind":"conf","key":"spark.executor.cores","value":"4","applies":"startup"})");
  EXPECT_EQ(
      Completed(Parse(R"({"kind":"conf","key":"spark.sql.shuffle.partitions","value":"8"})"))
          .dump(),
      R"({"kind":"conf","key":"spark.sql.shuffle.partitions","value":"8","applies":"runtime"})");
  for (const char* unchanged :
       {R"({"kind":"conf","key":"spark.sql.x","value":"1","applies":"startup"})",
        R"({"kind":"conf","key":3,"value":"1"})",
        R"({"kind":"repartition","partitions":2})", R"({"key":"a"})",
        R"("conf")"}) {
    EXPECT_EQ(Completed(Parse(unchanged)).dump(), Parse(unchanged).dump());
  }
  // The completed record is in the contract's shape: no record is kept.
  auto fix = Read(Completed(Parse(R"({"kind":"conf","key":"k","value":"v"})")));
  ASSERT_TRUE(fix.has_value());
  EXPECT_TRUE(fix->as_read.is_null());
}

TEST(Fix, AConfValueIsTheOneTextParameter) {
  EXPECT_TRUE(IsTextParameter("conf", "value"));
  EXPECT_FALSE(IsTextParameter("conf", "key"));
  EXPECT_FALSE(IsTextParameter("repartition", "partitions"));
  EXPECT_FALSE(IsTextParameter("something_new", "value"));
}

}  // namespace
}  // namespace prometheus::fix
