#include "prometheus/whatif/workload.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <map>
#include <string_view>

namespace prometheus::whatif {
namespace {

struct Span {
  int64_t start = 0;
  int64_t end = 0;
};

// "local", "local[4]", "local[4,2]" (retries), "local-cluster[2,3,1024]".
ClusterShape ShapeFromMaster(std::string_view master) {
  auto number = [](std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() ? value : 0;
  };
  if (master == "local") return {1, 1};
  if (master.starts_with("local-cluster[")) {
    std::string_view rest = master.substr(14);
    int64_t workers = number(rest);
    size_t comma = rest.find(',');
    int64_t cores = comma == std::string_view::npos ? 0 : number(rest.substr(comma + 1));
    if (workers > 0 && cores > 0) return {workers, cores};
  } else if (master.starts_with("local[")) {
    int64_t cores = number(master.substr(6));
    if (cores > 0) return {1, cores};
  }
  return {};
}

// Most executors alive at once, and their most common core count. The driver
// counts only when it is the sole executor (local mode).
ClusterShape ShapeFromExecutors(const model::Application& app) {
  std::vector<std::pair<int64_t, int>> changes;  // time, +1 / -1
  std::map<int64_t, int> cores_seen;
  bool any_executor = false;
  for (const auto& [id, executor] : app.executors) {
    if (id == "driver") continue;
    any_executor = true;
  }
  for (const auto& [id, executor] : app.executors) {
    if (any_executor && id == "driver") continue;
    if (executor.cores <= 0) continue;
    changes.push_back({executor.added_time, +1});
    if (executor.removed_time) changes.push_back({*executor.removed_time, -1});
    ++cores_seen[executor.cores];
  }
  if (changes.empty()) return {};
  std::sort(changes.begin(), changes.end());  // a removal before an addition at one time
  int64_t alive = 0;
  int64_t most = 0;
  for (const auto& [time, change] : changes) {
    alive += change;
    most = std::max(most, alive);
  }
  auto common = std::max_element(cores_seen.begin(), cores_seen.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
  return {most, common->first};
}

}  // namespace

Workload WorkloadOf(const model::Application& app) {
  Workload workload;
  // Every attempt of a stage folds into one StageWork and one span.
  std::map<int64_t, StageWork> work;
  std::map<int64_t, Span> spans;
  int64_t first = std::numeric_limits<int64_t>::max();
  int64_t last = std::numeric_limits<int64_t>::min();
  for (const auto& [key, attempt] : app.stages) {
    if (attempt.successful_task_durations_ms.empty() &&
        attempt.unsuccessful_task_durations_ms.empty()) {
      continue;
    }
    StageWork& stage = work[key.first];
    stage.stage_id = key.first;
    if (stage.parent_ids.empty()) stage.parent_ids = attempt.parent_ids;
    stage.task_ms.insert(stage.task_ms.end(), attempt.successful_task_durations_ms.begin(),
                         attempt.successful_task_durations_ms.end());
    stage.task_ms.insert(stage.task_ms.end(), attempt.unsuccessful_task_durations_ms.begin(),
                         attempt.unsuccessful_task_durations_ms.end());
    // The tasks' span, as Sparklens takes it; the stage's own times when a
    // log lacks launch times.
    std::optional<int64_t> start = attempt.first_launch_time ? attempt.first_launch_time
                                                             : attempt.submission_time;
    std::optional<int64_t> end = attempt.last_finish_time ? attempt.last_finish_time
                                                          : attempt.completion_time;
    if (!start || !end) continue;
    auto [it, fresh] = spans.try_emplace(key.first, Span{*start, *end});
    if (!fresh) {
      it->second.start = std::min(it->second.start, *start);
      it->second.end = std::max(it->second.end, *end);
    }
    first = std::min(first, *start);
    last = std::max(last, *end);
  }
  for (const auto& [id, stage] : work) {
    workload.tasks += static_cast<int64_t>(stage.task_ms.size());
    for (uint32_t ms : stage.task_ms) workload.task_ms += ms;
  }

  // Groups: stages sorted by start, merged while they overlap.
  std::vector<std::pair<Span, int64_t>> ordered;
  for (const auto& [id, span] : spans) ordered.push_back({span, id});
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.first.start != b.first.start ? a.first.start < b.first.start : a.second < b.second;
  });
  int64_t in_stages = 0;
  for (const auto& [span, id] : ordered) {
    if (workload.groups.empty() || span.start >= workload.groups.back().end_ms) {
      workload.groups.push_back({span.start, span.end, {}});
    }
    StageGroup& group = workload.groups.back();
    group.end_ms = std::max(group.end_ms, span.end);
    group.stages.push_back(std::move(work[id]));
  }
  for (const StageGroup& group : workload.groups) in_stages += group.end_ms - group.start_ms;

  std::optional<int64_t> start = app.start_time;
  std::optional<int64_t> end = app.end_time;
  if (!workload.groups.empty()) {
    start = std::min(start.value_or(first), first);
    end = std::max(end.value_or(last), last);
  }
  workload.wall_ms = start && end ? std::max<int64_t>(0, *end - *start) : 0;
  workload.driver_ms = std::max<int64_t>(0, workload.wall_ms - in_stages);

  workload.observed = ShapeFromExecutors(app);
  if (workload.observed.cores() == 0) {
    workload.shape_guessed = true;
    const std::string* master = app.Property("spark.master");
    if (master) workload.observed = ShapeFromMaster(*master);
  }
  if (workload.observed.cores() == 0) {
    // No word of the cluster: the busiest stage's average concurrency.
    int64_t busiest = 1;
    for (const StageGroup& group : workload.groups) {
      int64_t span = std::max<int64_t>(1, group.end_ms - group.start_ms);
      int64_t sum = 0;
      for (const StageWork& stage : group.stages) {
        for (uint32_t ms : stage.task_ms) sum += ms;
      }
      busiest = std::max(busiest, (sum + span - 1) / span);
    }
    workload.observed = {1, busiest};
  }
  return workload;
}

}  // namespace prometheus::whatif
