#include "prometheus/databricks/jobs.h"

#include <gtest/gtest.h>

#include "prometheus/databricks/routed_transport_for_test.h"

namespace prometheus::databricks {
namespace {

using http::Request;
using http::Response;

Config Pat() {
  Config config;
  config.host = "https://ws.test";
  config.token = "dapi-SECRET";
  config.source = "environment variables (DATABRICKS_HOST, DATABRICKS_TOKEN)";
  config.fix_hint = "set a valid DATABRICKS_TOKEN";
  return config;
}

std::string QueryValue(const std::string& url, const std::string& name) {
  auto at = url.find(name + "=");
  if (at == std::string::npos) return "";
  auto end = url.find('&', at);
  return url.substr(at + name.size() + 1, end == std::string::npos ? std::string::npos
                                                                  : end - at - name.size() - 1);
}

TEST(JobsTest, ListRunsFollowsPagesKeepsInt64IdsAndSendsTheWindow) {
  RoutedTransport transport;
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/list", [](const Request& r) {
    if (QueryValue(r.url, "page_token").empty()) {
      return Response{200, {}, R"({"runs":[{"job_id":9007199254740993,"run_id":9223372036854775807,
        "state":{"life_cycle_state":"TERMINATED","result_state":"SUCCESS"},"start_time":1718000000000,
        "end_time":1718001260000}],"has_more":true,"next_page_token":"CAEo+/="})"};
    }
    EXPECT_EQ(QueryValue(r.url, "page_token"), "CAEo%2B%2F%3D");
    return Response{200, {}, R"({"runs":[{"job_id":1,"run_id":"2","state":{"life_cycle_state":"RUNNING"}}],
        "has_more":false})"};
  });
  Workspace workspace(Pat(), transport);
  auto runs = ListRuns(workspace, {.start_time_from = 1717000000000, .job_ids = {}});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].job_id, 9007199254740993);  // 2^53 + 1: not through a double
  EXPECT_EQ((*runs)[0].run_id, 9223372036854775807);
  EXPECT_TRUE((*runs)[0].Ended());
  EXPECT_EQ((*runs)[1].run_id, 2);
  EXPECT_FALSE((*runs)[1].Ended());
  ASSERT_EQ(transport.sent.size(), 2u);
  EXPECT_EQ(QueryValue(transport.sent[0].url, "start_time_from"), "1717000000000");
  EXPECT_EQ(QueryValue(transport.sent[0].url, "limit"), "25");
  EXPECT_EQ(transport.sent[0].headers.back().second, "Bearer dapi-SECRET");
}

TEST(JobsTest, ListRunsAsksOncePerJobId) {
  RoutedTransport transport;
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/list", [](const Request& r) {
    return Response{200, {}, "{\"runs\":[{\"job_id\":" + QueryValue(r.url, "job_id") + ",\"run_id\":7}]}"};
  });
  Workspace workspace(Pat(), transport);
  auto runs = ListRuns(workspace, {.start_time_from = std::nullopt, .job_ids = {11, 9007199254740993}});
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[1].job_id, 9007199254740993);
}

TEST(JobsTest, GetRunMergesTaskPagesAndReadsClustersLogsAndGit) {
  RoutedTransport transport;
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/get", [](const Request& r) {
    if (QueryValue(r.url, "page_token").empty()) {
      return Response{200, {}, R"({"job_id":5,"run_id":6,"state":{"life_cycle_state":"TERMINATED"},
        "git_source":{"git_url":"https://github.com/acme/p","git_provider":"gitHub",
                      "git_snapshot":{"used_commit":"abc123"}},
        "job_clusters":[{"job_cluster_key":"main","new_cluster":{"cluster_log_conf":{"dbfs":{"destination":"dbfs:/cluster-logs"}}}}],
        "tasks":[{"task_key":"ingest","run_id":9007199254740995,"job_cluster_key":"main",
                  "cluster_instance":{"cluster_id":"0923-x","spark_context_id":"4348585301701786933"},
                  "notebook_task":{"notebook_path":"notebooks/ingest"}}],
        "next_page_token":"p2"})"};
    }
    return Response{200, {}, R"({"job_id":5,"run_id":6,"tasks":[{"task_key":"score","run_id":8,
        "spark_python_task":{"python_file":"jobs/score.py"},
        "new_cluster":{"cluster_log_conf":{"volumes":{"destination":"/Volumes/m/o/logs"}}}}]})"};
  });
  Workspace workspace(Pat(), transport);
  auto run = GetRun(workspace, 6);
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->tasks.size(), 2u);
  EXPECT_EQ(run->tasks[0].run_id, 9007199254740995);
  EXPECT_EQ(run->tasks[0].spark_context_id, "4348585301701786933");
  EXPECT_EQ(run->tasks[0].path, "notebooks/ingest");
  EXPECT_EQ(run->tasks[1].path, "jobs/score.py");
  EXPECT_EQ(run->tasks[1].log_destination, "/Volumes/m/o/logs");
  ASSERT_EQ(run->job_cluster_logs.size(), 1u);
  EXPECT_EQ(run->job_cluster_logs[0].second, "dbfs:/cluster-logs");
  ASSERT_TRUE(run->git);
  EXPECT_EQ(run->git->used_commit, "abc123");
}

TEST(JobsTest, ErrorsNameTheEndpointTheCredentialSourceAndNeverTheToken) {
  RoutedTransport transport;
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/get", [](const Request&) {
    return Response{403, {}, R"({"error_code":403,"message":"Invalid access token."})"};
  });
  transport.Route("GET", "https://ws.test/api/2.1/clusters/get", [](const Request&) {
    return Response{200, {}, "<html>not json"};
  });
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/list", [](const Request&) {
    return Response{200, {}, R"({"runs":[{"run_id":1.5}]})"};
  });
  Workspace workspace(Pat(), transport);
  auto refused = GetRun(workspace, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "GET https://ws.test/api/2.2/jobs/runs/get: HTTP 403: Invalid access token. "
            "(credentials from environment variables (DATABRICKS_HOST, DATABRICKS_TOKEN); set a "
            "valid DATABRICKS_TOKEN)");
  auto garbage = GetCluster(workspace, "c");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(garbage.error().message.find("GET https://ws.test/api/2.1/clusters/get: the answer is "
                                         "not a JSON object"), std::string::npos);
  auto bad_id = ListRuns(workspace, {});
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().message,
            "GET https://ws.test/api/2.2/jobs/runs/list page 1: run_id is 1.5, not an integer");
  for (const auto& message : {refused.error().message, garbage.error().message}) {
    EXPECT_EQ(message.find("SECRET"), std::string::npos);
  }
}

TEST(JobsTest, OAuthTokensAreFetchedOnceAndRefreshedBeforeTheyExpire) {
  RoutedTransport transport;
  int issued = 0;
  transport.Route("POST", "https://ws.test/oidc/v1/token", [&](const Request& r) {
    EXPECT_EQ(r.body, "grant_type=client_credentials&scope=all-apis");
    EXPECT_EQ(r.headers[0].second, "Basic " + std::string("aWQ6c2VjcmV0"));  // id:secret
    ++issued;
    return Response{200, {}, fmt::format(R"({{"access_token":"tok{}","token_type":"Bearer","expires_in":100}})", issued)};
  });
  std::vector<std::string> seen;
  transport.Route("GET", "https://ws.test/api/2.1/clusters/get", [&](const Request& r) {
    seen.push_back(r.headers.back().second);
    return Response{200, {}, R"({"cluster_id":"c","num_workers":4,"cluster_log_conf":{"s3":{"destination":"s3://b/p"}}})"};
  });
  Config config = Pat();
  config.auth = AuthType::kOAuthM2M;
  config.client_id = "id";
  config.client_secret = "secret";
  std::chrono::steady_clock::time_point now{};
  http::Timing timing{[&] { return now; }, [&](auto wait) { now += wait; }, [] { return 0.0; }};
  Workspace workspace(config, transport, {}, timing);
  ASSERT_TRUE(GetCluster(workspace, "c"));
  now += std::chrono::seconds(30);
  auto cluster = GetCluster(workspace, "c");
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->log_destination, "s3://b/p");
  now += std::chrono::seconds(31);  // 39 s left: refreshed
  ASSERT_TRUE(GetCluster(workspace, "c"));
  EXPECT_EQ(seen, (std::vector<std::string>{"Bearer tok1", "Bearer tok1", "Bearer tok2"}));

  transport.Route("POST", "https://ws.test/oidc/v1/token", [](const Request&) {
    return Response{401, {}, R"({"error":"invalid_client","error_description":"Client authentication failed"})"};
  });
  now += std::chrono::hours(1);
  auto refused = GetCluster(workspace, "c");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("POST https://ws.test/oidc/v1/token: HTTP 401: "
                                         "invalid_client: Client authentication failed"),
            std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::databricks
