#include "prometheus/unity/uc_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/databricks/routed_transport_for_test.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::unity {
namespace {

using databricks::RoutedTransport;
using http::Request;
using http::Response;
using nlohmann::json;

// A warehouse that answers every statement at once; SELECTs of the stored
// applications get `stored` as rows. Statements are recorded.
struct FakeWarehouse {
  RoutedTransport transport;
  std::vector<json> statements;
  json stored = json::array();  // rows of app_id, app_attempt_id, task_run_id, fingerprint, status
  int puts = 0;
  std::vector<std::string> deleted;
  bool exists = false;  // the next PUT finds the file there (409)

  FakeWarehouse() {
    transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [this](const Request& r) {
      json body = json::parse(r.body);
      statements.push_back(body);
      json answer{{"statement_id", "s"}, {"status", {{"state", "SUCCEEDED"}}}};
      if (body["statement"].get<std::string>().starts_with("SELECT `app_id`")) {
        answer["manifest"] = {{"format", "JSON_ARRAY"},
                              {"schema", {{"columns", {{{"name", "app_id"}}, {{"name", "app_attempt_id"}},
                                                       {{"name", "task_run_id"}}, {{"name", "fingerprint"}},
                                                       {{"name", "status"}}}}}}};
        answer["result"] = {{"data_array", stored}};
      }
      return Response{200, {}, answer.dump()};
    });
    transport.Route("PUT", "https://ws.test/api/2.0/fs/files/Volumes/main/prom/staging/", [this](const Request& r) {
      EXPECT_NE(r.url.find("?overwrite=false"), std::string::npos);
      ++puts;
      if (exists) return Response{409, {}, R"({"error_code":"ALREADY_EXISTS","message":"exists"})"};
      return Response{204, {}, ""};
    });
    transport.Route("DELETE", "https://ws.test/api/2.0/fs/files/Volumes/main/prom/staging/",
                    [this](const Request& r) {
                      deleted.push_back(r.url);
                      return Response{204, {}, ""};
                    });
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> out;
    for (const auto& s : statements) out.push_back(s["statement"]);
    return out;
  }
};

databricks::Config Pat() {
  databricks::Config config;
  config.host = "https://ws.test";
  config.token = "dapi-SECRET";
  return config;
}

TEST(UcStoreTest, StagesOneFilePerTableThenMergesMetricsBeforeApplications) {
  FakeWarehouse warehouse;
  databricks::Workspace workspace(Pat(), warehouse.transport);
  UcStore store(workspace, {.warehouse_id = "wh"}, {"main", "prom", "/Volumes/main/prom/staging"});
  kpi::Analysis analysis = testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  lake::RunTag run{.job_id = 5, .run_id = 9007199254740993, .task_key = "main", .task_run_id = 77};
  auto stats = store.Ingest({{&analysis, "fp1", &run, nullptr}}, 1700000000000);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->appended, 1);
  EXPECT_EQ(warehouse.puts, 2);
  auto texts = warehouse.Texts();
  ASSERT_EQ(texts.size(), 3u);  // what is stored, then two merges
  EXPECT_TRUE(texts[1].starts_with("MERGE INTO `main`.`prom`.`prometheus_metrics`"));
  EXPECT_TRUE(texts[2].starts_with("MERGE INTO `main`.`prom`.`prometheus_applications`"));
  const json& staged = warehouse.statements[2]["parameters"][0];
  EXPECT_EQ(staged["name"], "staged");
  EXPECT_TRUE(staged["value"].get<std::string>().starts_with(
      "/Volumes/main/prom/staging/prometheus_applications/"));
  for (const auto& text : texts) EXPECT_EQ(text.find("9007199254740993"), std::string::npos);
  // Each staged file is deleted once merged.
  ASSERT_EQ(warehouse.deleted.size(), 2u);
  EXPECT_EQ(warehouse.deleted[1], "https://ws.test/api/2.0/fs/files" + staged["value"].get<std::string>());

  // The same batch again, its file already put: taken for this one.
  warehouse.exists = true;
  auto again = store.Ingest({{&analysis, "fp1", &run, nullptr}}, 1700000000000);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(store.files_put(), 2);
}

TEST(UcStoreTest, LeavesCompleteAttemptsAndReplacesGrownInProgressOnes) {
  FakeWarehouse warehouse;
  databricks::Workspace workspace(Pat(), warehouse.transport);
  UcStore store(workspace, {.warehouse_id = "wh"}, {"main", "prom", "/Volumes/main/prom/staging"});
  kpi::Analysis analysis = testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  lake::RunTag run{.job_id = 5, .run_id = 6, .task_key = "main", .task_run_id = 77};
  const std::string app_id = analysis.log.application.app_id;
  warehouse.stored = json::array({json::array({app_id, nullptr, "77", "old", "complete"})});
  auto stats = store.Ingest({{&analysis, "new", &run, nullptr}}, 1);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->unchanged, 1);
  EXPECT_EQ(warehouse.puts, 0);
  EXPECT_EQ(warehouse.statements.size(), 1u);  // nothing merged

  warehouse.stored = json::array({json::array({app_id, nullptr, "77", "old", "in_progress"})});
  stats = store.Ingest({{&analysis, "new", &run, nullptr}}, 1);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->replaced, 1);
  EXPECT_EQ(warehouse.puts, 2);

  // Another task run of the same application is another attempt to store.
  lake::RunTag other = run;
  other.task_run_id = 78;
  stats = store.Ingest({{&analysis, "old", &other, nullptr}}, 1);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->appended, 1);
}

TEST(UcStoreTest, BilledCostsAreOneParameterisedStatement) {
  FakeWarehouse warehouse;
  warehouse.transport.Route("POST", "https://ws.test/api/2.0/sql/statements", [&](const Request& r) {
    warehouse.statements.push_back(json::parse(r.body));
    return Response{200, {}, R"({"statement_id":"c","status":{"state":"SUCCEEDED"},
      "manifest":{"format":"JSON_ARRAY","schema":{"columns":[{"name":"run_id"},{"name":"dbus"},
        {"name":"list_cost"},{"name":"currency"}]}},
      "result":{"data_array":[["9007199254740993","2.500000000000000000","0.375","USD"]]}})"};
  });
  databricks::Workspace workspace(Pat(), warehouse.transport);
  UcStore store(workspace, {.warehouse_id = "wh"}, {"main", "prom", "/Volumes/main/prom/staging"});
  auto costs = store.BilledCosts({9007199254740993, 4}, 1718000000000);  // 2024-06-10
  ASSERT_TRUE(costs) << costs.error().message;
  ASSERT_EQ(costs->size(), 1u);
  const kpi::CostEstimate& cost = costs->at(9007199254740993);
  EXPECT_EQ(cost.dbus, 2.5);
  EXPECT_EQ(cost.list_cost, 0.375);
  EXPECT_TRUE(cost.basis.starts_with("billed: system.billing.usage of job run 9007199254740993"));
  const json& parameters = warehouse.statements.back()["parameters"];
  EXPECT_EQ(parameters[0], (json{{"name", "run_ids"}, {"value", "4,9007199254740993"}}));
  EXPECT_EQ(parameters[1], (json{{"name", "from_date"}, {"value", "2024-06-09"}, {"type", "DATE"}}));
}

}  // namespace
}  // namespace prometheus::unity
