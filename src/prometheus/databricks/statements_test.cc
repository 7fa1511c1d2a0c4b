#include "prometheus/databricks/statements.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/databricks/routed_transport_for_test.h"

namespace prometheus::databricks {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Config Pat() {
  Config config;
  config.host = "https://ws.test";
  config.token = "dapi-SECRET";
  return config;
}

StatementOptions Fast() {
  StatementOptions options;
  options.warehouse_id = "wh1";
  options.first_poll = std::chrono::milliseconds(1);
  options.max_poll = std::chrono::milliseconds(2);
  return options;
}

constexpr const char* kSucceeded = R"({"statement_id":"s1","status":{"state":"SUCCEEDED"},
  "manifest":{"format":"JSON_ARRAY","schema":{"column_count":2,"columns":[
    {"name":"run_id","position":0,"type_name":"LONG"},{"name":"cost","position":1,"type_name":"DOUBLE"}]},
    "total_chunk_count":2,"truncated":false},
  "result":{"chunk_index":0,"row_offset":0,"row_count":1,"data_array":[["9007199254740993","1.5E9"]],
    "next_chunk_index":1,"next_chunk_internal_link":"/api/2.0/sql/statements/s1/result/chunks/1"}})";

TEST(StatementsTest, PollsUntilSucceededAndReadsEveryChunk) {
  RoutedTransport transport;
  json posted;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [&](const Request& r) {
    posted = json::parse(r.body);
    return Response{200, {}, R"({"statement_id":"s1","status":{"state":"PENDING"}})"};
  });
  int polls = 0;
  transport.Route("GET", "https://ws.test/api/2.0/sql/statements/s1", [&](const Request&) {
    return ++polls < 3 ? Response{200, {}, R"({"statement_id":"s1","status":{"state":"RUNNING"}})"}
                       : Response{200, {}, kSucceeded};
  });
  transport.Route("GET", "https://ws.test/api/2.0/sql/statements/s1/result/chunks/1", [](const Request&) {
    return Response{200, {}, R"({"chunk_index":1,"row_offset":1,"row_count":1,"data_array":[["7",null]]})"};
  });
  Workspace workspace(Pat(), transport);
  auto result = ExecuteStatement(workspace, Fast(), "SELECT run_id, cost FROM t WHERE run_id = :run_id",
                                 {{"run_id", "9007199254740993", "BIGINT"}, {"note", std::nullopt, ""}});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(polls, 3);
  EXPECT_EQ(result->columns, (std::vector<std::string>{"run_id", "cost"}));
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->rows[0][0], "9007199254740993");
  EXPECT_EQ(result->rows[1][1], std::nullopt);
  // Values travel as named parameters, typed; NULL is a parameter without a value.
  EXPECT_EQ(posted["warehouse_id"], "wh1");
  EXPECT_EQ(posted["format"], "JSON_ARRAY");
  EXPECT_EQ(posted["parameters"][0], (json{{"name", "run_id"}, {"value", "9007199254740993"},
                                           {"type", "BIGINT"}}));
  EXPECT_EQ(posted["parameters"][1], (json{{"name", "note"}}));
}

TEST(StatementsTest, AFailedStateOnHttp200IsAnErrorWithTheServiceMessage) {
  RoutedTransport transport;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [](const Request&) {
    return Response{200, {}, R"({"statement_id":"s2","status":{"state":"FAILED","sql_state":"42P01",
      "error":{"error_code":"BAD_REQUEST","message":"[TABLE_OR_VIEW_NOT_FOUND] The table\nmain.p.t"}}})"};
  });
  Workspace workspace(Pat(), transport);
  auto result = ExecuteStatement(workspace, Fast(), "MERGE INTO main.p.t USING x", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message.find("s2 (MERGE INTO main.p.t"), std::string::npos);
  EXPECT_NE(result.error().message.find("ended FAILED: BAD_REQUEST: [TABLE_OR_VIEW_NOT_FOUND] The table "
                                        "main.p.t"), std::string::npos) << result.error().message;
}

TEST(StatementsTest, CanceledAndUnanswerableStatementsFail) {
  RoutedTransport transport;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [](const Request&) {
    return Response{200, {}, R"({"statement_id":"s3","status":{"state":"CANCELED"}})"};
  });
  Workspace workspace(Pat(), transport);
  auto canceled = ExecuteStatement(workspace, Fast(), "SELECT 1", {});
  ASSERT_FALSE(canceled);
  EXPECT_NE(canceled.error().message.find("ended CANCELED"), std::string::npos);

  RoutedTransport broken;
  broken.Route("POST", "https://ws.test/api/2.0/sql/statements", [](const Request&) {
    return Response{200, {}, R"({"status":{"state":"PENDING"}})"};
  });
  Workspace other(Pat(), broken);
  auto no_id = ExecuteStatement(other, Fast(), "SELECT 1", {});
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, ErrorCode::kCorrupt);
}

TEST(StatementsTest, AStatementRunningPastTheLimitIsCancelled) {
  RoutedTransport transport;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [](const Request&) {
    return Response{200, {}, R"({"statement_id":"s4","status":{"state":"PENDING"}})"};
  });
  transport.Route("GET", "https://ws.test/api/2.0/sql/statements/s4", [](const Request&) {
    return Response{200, {}, R"({"statement_id":"s4","status":{"state":"RUNNING"}})"};
  });
  bool cancelled = false;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements/s4/cancel", [&](const Request&) {
    cancelled = true;
    return Response{200, {}, "{}"};
  });
  Workspace workspace(Pat(), transport);
  StatementOptions options = Fast();
  options.time_limit = std::chrono::milliseconds(20);
  auto result = ExecuteStatement(workspace, options, "SELECT 1", {});
  ASSERT_FALSE(result);
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
}

TEST(StatementsTest, RowsThatDoNotFitTheColumnsAreCorrupt) {
  RoutedTransport transport;
  transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [](const Request&) {
    return Response{200, {}, R"({"statement_id":"s5","status":{"state":"SUCCEEDED"},
      "manifest":{"format":"JSON_ARRAY","schema":{"columns":[{"name":"a"}]}},
      "result":{"data_array":[["1","2"]]}})"};
  });
  Workspace workspace(Pat(), transport);
  auto result = ExecuteStatement(workspace, Fast(), "SELECT a FROM t", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace prometheus::databricks
