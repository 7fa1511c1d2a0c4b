#include "prometheus/databricks/event_logs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "prometheus/base/base64.h"
#include "prometheus/databricks/files.h"
#include "prometheus/databricks/routed_transport_for_test.h"
#include "prometheus/http/url.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::databricks {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

std::string Param(const std::string& url, const std::string& name) {
  auto at = url.find("?" + name + "=");
  if (at == std::string::npos) at = url.find("&" + name + "=");
  if (at == std::string::npos) return "";
  auto end = url.find('&', at + 1);
  std::string raw = url.substr(at + name.size() + 2, end == std::string::npos ? std::string::npos
                                                                             : end - at - name.size() - 2);
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%') {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

// A workspace with files on DBFS and in a volume, and runs pointing at them.
class FakeWorkspace {
 public:
  std::map<std::string, std::string> files;  // absolute API path -> bytes
  json runs = json::array();
  std::map<std::string, json> clusters;

  void Serve(RoutedTransport& transport) {
    transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/list", [this](const Request&) {
      return Response{200, {}, json{{"runs", runs}}.dump()};
    });
    transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/get", [this](const Request& r) {
      for (const auto& run : runs) {
        if (std::to_string(run["run_id"].get<int64_t>()) == Param(r.url, "run_id")) {
          return Response{200, {}, run.dump()};
        }
      }
      return Response{400, {}, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"no run"})"};
    });
    transport.Route("GET", "https://ws.test/api/2.1/clusters/get", [this](const Request& r) {
      return Response{200, {}, clusters[Param(r.url, "cluster_id")].dump()};
    });
    transport.Route("GET", "https://ws.test/api/2.0/dbfs/list", [this](const Request& r) {
      return List(Param(r.url, "path"), "files", "is_dir");
    });
    transport.Route("GET", "https://ws.test/api/2.0/fs/directories", [this](const Request& r) {
      std::string path = r.url.substr(std::string("https://ws.test/api/2.0/fs/directories").size());
      return List(path.substr(0, path.find('?')), "contents", "is_directory");
    });
    transport.Route("GET", "https://ws.test/api/2.0/dbfs/read", [this](const Request& r) {
      const std::string& bytes = files.at(Param(r.url, "path"));
      size_t offset = std::stoul(Param(r.url, "offset")), length = std::stoul(Param(r.url, "length"));
      EXPECT_LE(length, 1u << 20);
      std::string chunk = offset < bytes.size() ? bytes.substr(offset, length) : "";
      ++dbfs_reads;
      return Response{200, {}, json{{"bytes_read", chunk.size()}, {"data", Base64Encode(chunk)}}.dump()};
    });
    transport.Route("GET", "https://ws.test/api/2.0/fs/files", [this](const Request& r) {
      std::string path = r.url.substr(std::string("https://ws.test/api/2.0/fs/files").size());
      const std::string& bytes = files.at(path);
      std::string range = r.headers.at(0).second;  // bytes=a-b
      size_t dash = range.find('-');
      size_t from = std::stoul(range.substr(6, dash - 6)), to = std::stoul(range.substr(dash + 1));
      return Response{206, {}, bytes.substr(from, to - from + 1)};
    });
  }
  int dbfs_reads = 0;

 private:
  Response List(const std::string& folder, const char* key, const char* dir_key) {
    json entries = json::array();
    std::set<std::string> seen;
    for (const auto& [path, bytes] : files) {
      if (!path.starts_with(folder + "/")) continue;
      std::string rest = path.substr(folder.size() + 1);
      auto slash = rest.find('/');
      std::string name = rest.substr(0, slash);
      if (!seen.insert(name).second) continue;
      json entry = {{"path", folder + "/" + name}, {"name", name}, {dir_key, slash != std::string::npos}};
      if (slash == std::string::npos) entry["file_size"] = bytes.size();
      entries.push_back(entry);
    }
    if (entries.empty()) {
      return Response{404, {}, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"No file"})"};
    }
    return Response{200, {}, json{{key, entries}}.dump()};
  }
};

json Task(std::string key, int64_t task_run_id, std::string cluster, std::string context) {
  json task = {{"task_key", key}, {"run_id", task_run_id}};
  if (!cluster.empty()) task["cluster_instance"] = {{"cluster_id", cluster}, {"spark_context_id", context}};
  return task;
}

TEST(EventLogsTest, ReadOrderIsRolledPartsByDateThenTheLiveLog) {
  EXPECT_EQ(EventLogReadOrder({"eventlog", "eventlog-2024-06-10--13-00.gz", "stdout",
                               "eventlog-2024-06-10--12-45.gz"}),
            (std::vector<std::string>{"eventlog-2024-06-10--12-45.gz",
                                      "eventlog-2024-06-10--13-00.gz", "eventlog"}));
}

TEST(EventLogsTest, BringsEachTasksLogHomeAndSaysWhyOthersAreSkipped) {
  FakeWorkspace ws;
  std::string big(3 * (1 << 20) + 17, 'x');  // four DBFS reads
  ws.files["/logs/c1/eventlog/c1_10_0_0_1/111/eventlog-2024-06-10--12-00.gz"] = "rolled";
  ws.files["/logs/c1/eventlog/c1_10_0_0_1/111/eventlog"] = big;
  ws.files["/logs/c1/eventlog/c1_10_0_0_1/999/eventlog"] = "another context";
  ws.files["/logs/c1/driver/stdout"] = "not a log";
  // A restarted driver: a second host folder with the same context.
  ws.files["/logs/c1/eventlog/c1_10_0_0_2/111/eventlog"] = "after restart";
  std::string volume_log(kFilesChunk + 5, 'v');  // two ranges
  volume_log.back() = '!';
  ws.files["/Volumes/m/o/logs/c2/eventlog/c2_10_0_0_9/222/eventlog"] = volume_log;
  ws.clusters["c2"] = {{"cluster_id", "c2"}, {"cluster_log_conf", {{"volumes", {{"destination", "/Volumes/m/o/logs"}}}}}};
  ws.clusters["c3"] = {{"cluster_id", "c3"}, {"cluster_log_conf", {{"s3", {{"destination", "s3://b/x"}}}}}};
  ws.clusters["c4"] = {{"cluster_id", "c4"}, {"cluster_log_conf", {{"dbfs", {{"destination", "dbfs:/logs"}}}}}};
  json run1 = {{"job_id", 1}, {"run_id", 10}, {"state", {{"life_cycle_state", "TERMINATED"}}},
               {"job_clusters", {{{"job_cluster_key", "main"},
                                  {"new_cluster", {{"cluster_log_conf", {{"dbfs", {{"destination", "dbfs:/logs/"}}}}}}}}}},
               {"tasks", {Task("a", 101, "c1", "111"), Task("serverless", 102, "", "")}}};
  run1["tasks"][0]["job_cluster_key"] = "main";
  json run2 = {{"job_id", 2}, {"run_id", 20}, {"state", {{"life_cycle_state", "RUNNING"}}},
               {"tasks", {Task("b", 201, "c2", "222"), Task("s3", 202, "c3", "333"),
                          Task("late", 203, "c4", "444")}}};
  ws.runs = {run2, run1};
  RoutedTransport transport;
  ws.Serve(transport);
  Workspace workspace(Config{.host = "https://ws.test", .token = "t"}, transport);
  prometheus::testing::TempDir spool;
  CollectRequest request;
  request.spool = spool.path();
  request.concurrency = 2;
  auto collected = CollectEventLogs(workspace, request);
  ASSERT_TRUE(collected) << collected.error().message;
  EXPECT_TRUE(collected->failures.empty()) << collected->failures.front();
  EXPECT_EQ(collected->runs_listed, 2);
  ASSERT_EQ(collected->logs.size(), 3u);
  const TaskLog& volume = collected->logs[0];
  EXPECT_EQ(volume.run_id, 20);
  EXPECT_FALSE(volume.run_ended);
  EXPECT_EQ(volume.remote_folder, "/Volumes/m/o/logs/c2/eventlog/c2_10_0_0_9/222");
  const TaskLog& dbfs = collected->logs[1];
  EXPECT_EQ(dbfs.task_run_id, 101);
  EXPECT_TRUE(dbfs.run_ended);
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(read(dbfs.local_folder / "eventlog"), big);
  EXPECT_EQ(read(dbfs.local_folder / "eventlog-2024-06-10--12-00.gz"), "rolled");
  EXPECT_EQ(read(collected->logs[2].local_folder / "eventlog"), "after restart");
  EXPECT_EQ(read(volume.local_folder / "eventlog"), volume_log);
  int ranges = 0;
  for (const auto& request : transport.sent) ranges += request.url.find("/api/2.0/fs/files/") != std::string::npos;
  EXPECT_EQ(ranges, 2);
  EXPECT_EQ(dbfs.local_folder, spool.path() / "c1/eventlog/c1_10_0_0_1/111");
  EXPECT_EQ(ws.dbfs_reads, 4 + 1 + 1);
  ASSERT_EQ(collected->skipped.size(), 3u);
  std::string reasons;
  for (const auto& skip : collected->skipped) reasons += skip.task_key + ": " + skip.reason + "\n";
  EXPECT_NE(reasons.find("serverless: no cluster"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("s3: logs go to s3://b/x, which the workspace APIs cannot read"),
            std::string::npos) << reasons;
  EXPECT_NE(reasons.find("late: no event log delivered yet under dbfs:/logs/c4/eventlog"),
            std::string::npos) << reasons;

  // Again: nothing is downloaded twice; a task stored complete is not even listed.
  request.stored_complete = [](int64_t task_run_id) { return task_run_id == 101; };
  auto again = CollectEventLogs(workspace, request);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->files_downloaded, 0);
  EXPECT_EQ(again->tasks_already_stored, 1);
  EXPECT_EQ(again->logs.size(), 1u);  // the running run's task only
}

TEST(EventLogsTest, AFailingRunIsReportedAndTheOthersGoOn) {
  FakeWorkspace ws;
  ws.files["/logs/c1/eventlog/c1_1/1/eventlog"] = "log";
  json good = {{"job_id", 1}, {"run_id", 1}, {"state", {{"life_cycle_state", "TERMINATED"}}},
               {"tasks", {Task("a", 11, "c1", "1")}}};
  good["tasks"][0]["new_cluster"] = {{"cluster_log_conf", {{"dbfs", {{"destination", "dbfs:/logs"}}}}}};
  json gone = {{"job_id", 1}, {"run_id", 2}};
  ws.runs = {gone, good};
  RoutedTransport transport;
  ws.Serve(transport);
  transport.Route("GET", "https://ws.test/api/2.2/jobs/runs/get?run_id=2", [](const Request&) {
    return Response{400, {}, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"Run 2 does not exist."})"};
  });
  Workspace workspace(Config{.host = "https://ws.test", .token = "t"}, transport);
  prometheus::testing::TempDir spool;
  auto collected = CollectEventLogs(workspace, {.filter = {}, .spool = spool.path()});
  ASSERT_TRUE(collected);
  ASSERT_EQ(collected->failures.size(), 1u);
  EXPECT_EQ(collected->failures[0],
            "run 2: GET https://ws.test/api/2.2/jobs/runs/get: HTTP 400: INVALID_PARAMETER_VALUE: "
            "Run 2 does not exist.");
  EXPECT_EQ(collected->logs.size(), 1u);
}

}  // namespace
}  // namespace prometheus::databricks
