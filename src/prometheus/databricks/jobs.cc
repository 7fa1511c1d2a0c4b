#include "prometheus/databricks/jobs.h"

#include <fmt/format.h>

namespace prometheus::databricks {
namespace {

using nlohmann::json;

constexpr const char* kRunsList = "/api/2.2/jobs/runs/list";
constexpr const char* kRunsGet = "/api/2.2/jobs/runs/get";

// An int64 field; exact for any int64 (nlohmann keeps integers as integers).
Result<int64_t> Int(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return Fail(ErrorCode::kCorrupt, "{}: no {}", where, key);
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    try {
      size_t end = 0;
      int64_t value = std::stoll(text, &end);
      if (end == text.size()) return value;
    } catch (...) {
    }
  }
  return Fail(ErrorCode::kCorrupt, "{}: {} is {}, not an integer", where, key, it->dump());
}

std::string Str(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const json& Obj(const json& object, const char* key) {
  static const json empty = json::object();
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : empty;
}

std::string LogDestination(const json& cluster_spec) {
  const json& conf = Obj(cluster_spec, "cluster_log_conf");
  for (const char* kind : {"dbfs", "volumes", "s3"}) {
    std::string destination = Str(Obj(conf, kind), "destination");
    if (!destination.empty()) return destination;
  }
  return "";
}

Result<RunTask> ParseTask(const json& task, const std::string& where) {
  if (!task.is_object()) return Fail(ErrorCode::kCorrupt, "{}: a task that is not an object", where);
  RunTask out;
  out.task_key = Str(task, "task_key");
  std::string here = fmt::format("{} task {}", where, out.task_key);
  PROM_ASSIGN_OR_RETURN(out.run_id, Int(task, "run_id", here));
  const json& instance = Obj(task, "cluster_instance");
  out.cluster_id = Str(instance, "cluster_id");
  out.spark_context_id = Str(instance, "spark_context_id");
  out.existing_cluster_id = Str(task, "existing_cluster_id");
  out.job_cluster_key = Str(task, "job_cluster_key");
  out.log_destination = LogDestination(Obj(task, "new_cluster"));
  out.path = Str(Obj(task, "notebook_task"), "notebook_path");
  if (out.path.empty()) out.path = Str(Obj(task, "spark_python_task"), "python_file");
  out.life_cycle_state = Str(Obj(task, "state"), "life_cycle_state");
  out.runs_spark = !task.contains("condition_task") && !task.contains("run_job_task");
  return out;
}

void MergePage(Run& run, const json& object) {
  if (auto it = object.find("job_clusters"); it != object.end() && it->is_array()) {
    for (const auto& cluster : *it) {
      run.job_cluster_logs.emplace_back(Str(cluster, "job_cluster_key"),
                                        LogDestination(Obj(cluster, "new_cluster")));
    }
  }
}

}  // namespace

bool Run::Ended() const {
  return life_cycle_state == "TERMINATED" || life_cycle_state == "SKIPPED" ||
         life_cycle_state == "INTERNAL_ERROR";
}

Result<Run> ParseRun(const json& object, const std::string& where) {
  if (!object.is_object()) return Fail(ErrorCode::kCorrupt, "{}: a run that is not an object", where);
  Run run;
  PROM_ASSIGN_OR_RETURN(run.run_id, Int(object, "run_id", where));
  std::string here = fmt::format("{} run {}", where, run.run_id);
  if (object.contains("job_id")) {
    PROM_ASSIGN_OR_RETURN(run.job_id, Int(object, "job_id", here));
  }
  run.run_name = Str(object, "run_name");
  run.life_cycle_state = Str(Obj(object, "state"), "life_cycle_state");
  run.result_state = Str(Obj(object, "state"), "result_state");
  if (object.contains("start_time")) {
    PROM_ASSIGN_OR_RETURN(run.start_time, Int(object, "start_time", here));
  }
  if (object.contains("end_time")) {
    PROM_ASSIGN_OR_RETURN(run.end_time, Int(object, "end_time", here));
  }
  if (const json& git = Obj(object, "git_source"); !git.empty()) {
    run.git = GitSource{Str(git, "git_url"), Str(git, "git_provider"),
                        Str(Obj(git, "git_snapshot"), "used_commit")};
  }
  if (auto it = object.find("tasks"); it != object.end()) {
    if (!it->is_array()) return Fail(ErrorCode::kCorrupt, "{}: tasks is not an array", here);
    for (const auto& task : *it) {
      PROM_ASSIGN_OR_RETURN(RunTask parsed, ParseTask(task, here));
      run.tasks.push_back(std::move(parsed));
    }
  }
  MergePage(run, object);
  return run;
}

Result<std::vector<Run>> ListRuns(const Workspace& workspace, const RunsFilter& filter) {
  std::vector<std::optional<int64_t>> jobs;
  if (filter.job_ids.empty()) jobs.push_back(std::nullopt);
  for (int64_t id : filter.job_ids) jobs.push_back(id);
  std::vector<Run> runs;
  for (const auto& job : jobs) {
    std::string token;
    for (int page = 1;; ++page) {
      Query query = {{"limit", "25"}};
      if (job) query.emplace_back("job_id", std::to_string(*job));
      if (filter.start_time_from) {
        query.emplace_back("start_time_from", std::to_string(*filter.start_time_from));
      }
      if (!token.empty()) query.emplace_back("page_token", token);
      PROM_ASSIGN_OR_RETURN(json answer, workspace.GetJson(kRunsList, query));
      std::string where = fmt::format("GET {}{} page {}", workspace.config().host, kRunsList, page);
      if (auto it = answer.find("runs"); it != answer.end()) {
        if (!it->is_array()) return Fail(ErrorCode::kCorrupt, "{}: runs is not an array", where);
        for (const auto& object : *it) {
          PROM_ASSIGN_OR_RETURN(Run run, ParseRun(object, where));
          runs.push_back(std::move(run));
        }
      }
      token = Str(answer, "next_page_token");
      if (token.empty()) break;
    }
  }
  return runs;
}

Result<Run> GetRun(const Workspace& workspace, int64_t run_id) {
  std::string token;
  Run run;
  for (int page = 1;; ++page) {
    Query query = {{"run_id", std::to_string(run_id)}};
    if (!token.empty()) query.emplace_back("page_token", token);
    PROM_ASSIGN_OR_RETURN(json answer, workspace.GetJson(kRunsGet, query));
    std::string where = fmt::format("GET {}{}?run_id={} page {}", workspace.config().host,
                                    kRunsGet, run_id, page);
    PROM_ASSIGN_OR_RETURN(Run part, ParseRun(answer, where));
    if (page == 1) {
      run = std::move(part);
    } else {
      for (auto& task : part.tasks) run.tasks.push_back(std::move(task));
      for (auto& logs : part.job_cluster_logs) run.job_cluster_logs.push_back(std::move(logs));
    }
    token = Str(answer, "next_page_token");
    if (token.empty()) break;
  }
  return run;
}

Result<Cluster> GetCluster(const Workspace& workspace, const std::string& cluster_id) {
  PROM_ASSIGN_OR_RETURN(json answer,
                        workspace.GetJson("/api/2.1/clusters/get", {{"cluster_id", cluster_id}}));
  Cluster cluster;
  cluster.cluster_id = Str(answer, "cluster_id");
  cluster.log_destination = LogDestination(answer);
  cluster.spark_version = Str(answer, "spark_version");
  cluster.node_type_id = Str(answer, "node_type_id");
  cluster.driver_node_type_id = Str(answer, "driver_node_type_id");
  if (answer.contains("num_workers")) {
    PROM_ASSIGN_OR_RETURN(cluster.num_workers, Int(answer, "num_workers", "clusters/get " + cluster_id));
  }
  cluster.runtime_engine = Str(answer, "runtime_engine");
  return cluster;
}

}  // namespace prometheus::databricks
