// For tests only: expected plan values read straight from an event log with
// nlohmann::json and libzstd, independently of Prometheus' parser and model.
#pragma once

#include <zstd.h>

#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace prometheus::plan::testing {

using Json = nlohmann::json;
using Key = std::pair<int64_t, int64_t>;

inline std::string ReadLogText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (!path.ends_with(".zstd")) return bytes;
  std::string text;
  ZSTD_DStream* stream = ZSTD_createDStream();
  ZSTD_initDStream(stream);
  ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
  std::vector<char> chunk(1 << 16);
  while (input.pos < input.size) {
    ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
    if (ZSTD_isError(ZSTD_decompressStream(stream, &output, &input))) break;
    text.append(chunk.data(), output.pos);
  }
  ZSTD_freeDStream(stream);
  return text;
}

struct RawLog {
  std::map<int64_t, Json> plans;  // the last sparkPlanInfo of each execution
  std::map<int64_t, std::string> physical_plans;
  // Every task "Update" plus every driver update, summed per accumulator.
  std::unordered_map<int64_t, int64_t> values;
  std::map<Key, std::set<int64_t>> stage_accumulators;  // at completion
  std::map<int64_t, std::vector<int64_t>> execution_jobs;
  std::map<int64_t, std::vector<int64_t>> job_stages;

  // Sum of the metric `name` of `node`, or -1 when it has none.
  int64_t Value(const Json& node, const std::string& name) const {
    for (const auto& metric : node["metrics"]) {
      if (metric["name"] == name) {
        auto it = values.find(metric["accumulatorId"].get<int64_t>());
        return it == values.end() ? -1 : it->second;
      }
    }
    return -1;
  }

  // Stage attempts that reported any metric of `node` named in `names`
  // (all metrics when `names` is empty).
  std::set<Key> Reporting(const Json& node,
                          const std::set<std::string>& names = {}) const {
    std::set<Key> out;
    for (const auto& metric : node["metrics"]) {
      if (!names.empty() && !names.contains(metric["name"].get<std::string>()))
        continue;
      int64_t id = metric["accumulatorId"].get<int64_t>();
      for (const auto& [key, ids] : stage_accumulators) {
        if (ids.contains(id)) out.insert(key);
      }
    }
    return out;
  }

  // Stages that ran the execution's jobs, every attempt seen completing.
  std::set<Key> ExecutionStages(int64_t execution) const {
    std::set<Key> out;
    auto jobs = execution_jobs.find(execution);
    if (jobs == execution_jobs.end()) return out;
    for (int64_t job : jobs->second) {
      for (int64_t stage : job_stages.at(job)) {
        for (const auto& [key, ids] : stage_accumulators) {
          if (key.first == stage) out.insert(key);
        }
      }
    }
    return out;
  }
};

// Nodes of `plan` (depth first) for which `match` holds.
inline std::vector<const Json*> FindNodes(
    const Json& plan, const std::function<bool(const Json&)>& match) {
  std::vector<const Json*> out;
  std::function<void(const Json&)> visit = [&](const Json& node) {
    if (match(node)) out.push_back(&node);
    for (const auto& child : node["children"]) visit(child);
  };
  visit(plan);
  return out;
}

inline std::function<bool(const Json&)> Named(const std::string& name) {
  return [name](const Json& node) { return node["nodeName"] == name; };
}

inline RawLog ReadRawLog(const std::string& path) {
  RawLog log;
  std::map<int64_t, int64_t> driver;
  std::istringstream lines(ReadLogText(path));
  std::string line;
  while (std::getline(lines, line)) {
    Json event = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) continue;
    std::string name = event.value("Event", "");
    if (name.ends_with("SQLExecutionStart") ||
        name.ends_with("SQLAdaptiveExecutionUpdate")) {
      int64_t id = event["executionId"].get<int64_t>();
      log.plans[id] = event["sparkPlanInfo"];
      log.physical_plans[id] = event.value("physicalPlanDescription", "");
    } else if (name == "SparkListenerTaskEnd") {
      for (const auto& accumulable :
           event["Task Info"].value("Accumulables", Json::array())) {
        if (!accumulable.contains("Update")) continue;
        const Json& update = accumulable["Update"];
        int64_t value = update.is_string()
                            ? std::stoll(update.get<std::string>())
                            : update.get<int64_t>();
        log.values[accumulable["ID"].get<int64_t>()] += value;
      }
    } else if (name.ends_with("SparkListenerDriverAccumUpdates")) {
      for (const auto& pair : event["accumUpdates"]) {
        log.values[pair[0].get<int64_t>()] += pair[1].get<int64_t>();
      }
    } else if (name == "SparkListenerStageCompleted") {
      const Json& info = event["Stage Info"];
      auto& ids =
          log.stage_accumulators[{info["Stage ID"].get<int64_t>(),
                                  info["Stage Attempt ID"].get<int64_t>()}];
      for (const auto& accumulable :
           info.value("Accumulables", Json::array())) {
        ids.insert(accumulable["ID"].get<int64_t>());
      }
    } else if (name == "SparkListenerJobStart") {
      int64_t job = event["Job ID"].get<int64_t>();
      log.job_stages[job] = event["Stage IDs"].get<std::vector<int64_t>>();
      const Json& properties = event.value("Properties", Json::object());
      if (properties.contains("spark.sql.execution.id")) {
        int64_t execution =
            std::stoll(properties["spark.sql.execution.id"].get<std::string>());
        log.execution_jobs[execution].push_back(job);
      }
    }
  }
  return log;
}

}  // namespace prometheus::plan::testing
