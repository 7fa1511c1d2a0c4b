#include "prometheus/rules/internal/failure_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace prometheus::rules {
namespace {

using model::FailureCause;
using model::FailureGroup;

std::string_view Basename(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// What an exit code means where Spark and the cluster managers use it.
std::string_view ExitCodeMeaning(int64_t code) {
  switch (code) {
    case 50:
      return "an uncaught exception";
    case 52:
      return "the JVM ran out of heap";
    case 53:
      return "no local directory could be created";
    case 56:
      return "heartbeats to the driver failed";
    case 129:
      return "ended by SIGHUP";
    case 137:
      return "killed with SIGKILL, as the OOM killer and Kubernetes do for exceeding memory";
    case 143:
      return "killed with SIGTERM by the cluster manager";
    default:
      return "";
  }
}

std::string Names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// "executor 3", "executors 1, 2".
std::string Executors(const std::vector<std::string>& ids) {
  return (ids.size() == 1 ? "executor " : "executors ") + Names(ids);
}

std::string GroupText(const FailureGroup& group) {
  const model::ClassifiedFailure& f = group.failure;
  const bool one = group.count == 1;
  switch (f.cause) {
    case FailureCause::kTaskException:
    case FailureCause::kHeapOutOfMemory:
    case FailureCause::kGpuOutOfMemory:
      if (group.reason == "ExceptionFailure") {
        std::string where = f.location && f.cause == FailureCause::kTaskException
                                ? " in the code at " + LocationText(*f.location)
                                : "";
        return fmt::format("{} raised `{}`{}", group.count, f.error, where);
      }
      [[fallthrough]];
    case FailureCause::kContainerKilled:
    case FailureCause::kExecutorLost: {
      std::string why = f.error;
      if (f.exit_code) {
        std::string_view meaning = ExitCodeMeaning(*f.exit_code);
        if (meaning.empty()) {
        } else if (why.ends_with(std::to_string(*f.exit_code))) {
          why += fmt::format(": {}", meaning);
        } else {
          why += fmt::format("; exit code {}: {}", *f.exit_code, meaning);
        }
      }
      return fmt::format("{} {} lost with {} ({})", group.count, one ? "was" : "were",
                         Executors(group.executors), why);
    }
    case FailureCause::kFetchFailed:
      return fmt::format("{} could not fetch shuffle {} from {}", group.count,
                         fmt::join(group.shuffle_ids, ", "),
                         group.hosts.empty() ? "an executor" : Names(group.hosts));
    case FailureCause::kResubmitted:
      return fmt::format("{} finished {} ran again, {} shuffle output lost with {}",
                         group.count, one ? "task" : "tasks", one ? "its" : "their",
                         Executors(group.executors));
    case FailureCause::kOther:
      break;
  }
  return fmt::format("{} failed: {}", group.count, f.error);
}

}  // namespace

model::ClassifiedFailure ClassifyRemoval(std::string_view removed_reason) {
  events::TaskFailure loss;
  loss.reason = "ExecutorLostFailure";
  loss.message = removed_reason;
  return model::ClassifyFailure(loss);
}

std::vector<std::string> LostExecutors(const model::Application& app, size_t limit) {
  std::vector<std::string> out;
  for (const auto& [id, executor] : app.executors) {
    std::string_view reason = executor.removed_reason;
    if (reason.empty() || reason.find("killed by driver") != std::string_view::npos ||
        reason.find("explicit termination request") != std::string_view::npos) {
      continue;
    }
    if (out.size() == limit) break;
    FailureGroup group{ClassifyRemoval(reason), "ExecutorLostFailure", 1, {id}};
    // "1 was lost with executor 3 (...)" -> "3 (...)".
    std::string text = GroupText(group);
    constexpr std::string_view kLead = "1 was lost with executor ";  // one id
    out.push_back(text.starts_with(kLead) ? text.substr(kLead.size()) : text);
  }
  return out;
}

std::string LocationText(const model::CodeLocation& location) {
  std::string text(Basename(location.file));
  if (location.line > 0) text += fmt::format(":{}", location.line);
  if (!location.function.empty() && !location.function.starts_with("$")) {
    text += fmt::format(" (in {})", location.function);
  }
  return text;
}

std::string GroupsText(const model::StageFailures& failures) {
  constexpr size_t kShown = 3;
  std::vector<std::string> parts;
  int64_t rest = failures.ungrouped, rest_groups = failures.ungrouped > 0 ? 1 : 0;
  for (size_t i = 0; i < failures.groups.size(); ++i) {
    if (i < kShown) {
      parts.push_back(GroupText(failures.groups[i]));
    } else {
      rest += failures.groups[i].count;
      ++rest_groups;
    }
  }
  if (parts.empty()) return "the log gives no reason";
  std::string text = fmt::format("{}", fmt::join(parts, "; "));
  if (rest > 0) text += fmt::format("; and {} more for {} other reason(s)", rest, rest_groups);
  return text;
}

nlohmann::ordered_json CausesJson(const model::StageFailures& failures) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const FailureGroup& group : failures.groups) {
    const model::ClassifiedFailure& f = group.failure;
    nlohmann::ordered_json cause = {{"cause", model::FailureCauseName(f.cause)},
                                    {"reason", group.reason},
                                    {"error", f.error},
                                    {"count", group.count}};
    if (f.location) {
      cause["location"] = {{"file", f.location->file}, {"line", f.location->line},
                           {"function", f.location->function}};
    }
    if (f.exit_code) cause["exit_code"] = *f.exit_code;
    cause["executors"] = group.executors;
    if (!group.hosts.empty()) cause["hosts"] = group.hosts;
    if (!group.shuffle_ids.empty()) cause["shuffle_ids"] = group.shuffle_ids;
    if (!group.map_ids.empty()) cause["map_ids"] = group.map_ids;
    out.push_back(std::move(cause));
  }
  if (failures.ungrouped > 0) {
    out.push_back({{"cause", "other"}, {"reason", ""}, {"error", "more kinds than kept"},
                   {"count", failures.ungrouped}});
  }
  return out;
}

std::string ApplicationCausesText(const model::Application& app) {
  // Causes summed across stages by their words; stages counted per cause.
  struct Sum {
    FailureGroup group;
    int64_t stages = 0;
  };
  std::vector<Sum> sums;
  for (const auto& [key, stage] : app.stages) {
    for (const FailureGroup& group : stage.failures.groups) {
      auto it = std::find_if(sums.begin(), sums.end(), [&](const Sum& s) {
        return s.group.failure.cause == group.failure.cause &&
               s.group.failure.error == group.failure.error && s.group.reason == group.reason;
      });
      if (it == sums.end()) {
        sums.push_back(Sum{group, 1});
      } else {
        it->group.count += group.count;
        ++it->stages;
        for (const std::string& e : group.executors) {
          if (std::find(it->group.executors.begin(), it->group.executors.end(), e) ==
                  it->group.executors.end() &&
              it->group.executors.size() < FailureGroup::kMaxNames) {
            it->group.executors.push_back(e);
          }
        }
      }
    }
  }
  std::stable_sort(sums.begin(), sums.end(),
                   [](const Sum& a, const Sum& b) { return a.group.count > b.group.count; });
  model::StageFailures top;
  for (const Sum& sum : sums) {
    if (top.groups.size() < model::StageFailures::kMaxGroups) {
      top.groups.push_back(sum.group);
    } else {
      top.ungrouped += sum.group.count;
    }
  }
  return top.groups.empty() ? "" : GroupsText(top);
}

}  // namespace prometheus::rules
