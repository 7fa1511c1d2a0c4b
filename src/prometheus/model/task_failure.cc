#include "prometheus/model/task_failure.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace prometheus::model {
namespace {

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view FirstLine(std::string_view text) {
  text = Trim(text);
  return Trim(text.substr(0, text.find('\n')));
}

// At most `limit` bytes, cut at a character boundary, with "…" when cut.
std::string Clip(std::string_view text, size_t limit = 200) {
  if (text.size() <= limit) return std::string(text);
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

// The number after "exited with code ", "exit code ", "Exit code is " or
// "exit status ", as YARN, standalone workers and Kubernetes word it.
std::optional<int64_t> ExitCodeIn(std::string_view text) {
  for (std::string_view phrase :
       {"exited with code ", "exit code ", "Exit code is ", "exit status ", "exitCode: "}) {
    size_t at = text.find(phrase);
    if (at == std::string_view::npos) continue;
    std::string_view rest = text.substr(at + phrase.size());
    int64_t code = 0;
    auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), code);
    if (error == std::errc() && end != rest.data()) return code;
  }
  return std::nullopt;
}

bool IsGpuOutOfMemory(std::string_view text) {
  return Contains(text, "GpuSplitAndRetryOOM") || Contains(text, "GpuRetryOOM") ||
         Contains(text, "GpuOOM") || Contains(text, "GPU OutOfMemory") ||
         Contains(text, "RmmOutOfMemory") || Contains(text, "out of GPU memory");
}

// A Python frame that is not PySpark's, a site package's or the standard
// library's.
bool IsUserPythonFile(std::string_view file) {
  return !Contains(file, "/pyspark/") && !Contains(file, "pyspark.zip") &&
         !Contains(file, "site-packages/") && !Contains(file, "dist-packages/") &&
         !Contains(file, "/lib/python") && !Contains(file, "py4j") &&
         !file.starts_with("<frozen") && file != "<string>";
}

// `  File "path", line N, in function` lines of a traceback: the last one
// in the user's code is where it raised.
std::optional<CodeLocation> LastUserPythonFrame(std::string_view traceback) {
  std::optional<CodeLocation> found;
  constexpr std::string_view kFile = "File \"";
  for (size_t at = traceback.find(kFile); at != std::string_view::npos;
       at = traceback.find(kFile, at + 1)) {
    std::string_view rest = traceback.substr(at + kFile.size());
    size_t quote = rest.find('"');
    if (quote == std::string_view::npos) break;
    std::string_view file = rest.substr(0, quote);
    std::string_view tail = rest.substr(quote + 1, rest.find('\n') - quote - 1);
    constexpr std::string_view kLine = ", line ";
    if (!tail.starts_with(kLine) || !IsUserPythonFile(file)) continue;
    tail.remove_prefix(kLine.size());
    CodeLocation location{std::string(file), -1, ""};
    std::from_chars(tail.data(), tail.data() + tail.size(), location.line);
    if (size_t in = tail.find(", in "); in != std::string_view::npos) {
      location.function = std::string(Trim(tail.substr(in + 5)));
    }
    found = std::move(location);
  }
  return found;
}

// The exception line that ends a Python traceback ("ValueError: bad row"),
// skipping the JVM frames Spark may append after it.
std::string_view PythonError(std::string_view traceback) {
  std::string_view last;
  size_t start = traceback.find("Traceback (most recent call last):");
  std::string_view body = traceback.substr(start);
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    if (line.starts_with("Traceback") || line.starts_with("During handling") ||
        line.starts_with("The above exception")) {
      continue;
    }
    last = line;
    if (!body.empty() && body.front() == '\t') break;  // "\tat org.apache..." follows
  }
  return Trim(last);
}

ClassifiedFailure ClassifyException(const events::TaskFailure& failure) {
  ClassifiedFailure out;
  std::string_view message = failure.message;
  if (Contains(message, "Traceback (most recent call last):")) {
    out.error = Clip(PythonError(message));
    out.location = LastUserPythonFrame(message);
  } else {
    std::string_view first = FirstLine(message);
    out.error = first.empty() ? std::string(failure.class_name)
                              : Clip(std::string(failure.class_name) + ": " + std::string(first));
    if (failure.user_frame) {
      const events::StackFrame& frame = *failure.user_frame;
      out.location = CodeLocation{std::string(frame.file), frame.line,
                                  std::string(frame.declaring_class) + "." +
                                      std::string(frame.method)};
    }
  }
  std::string_view both = out.error;
  if (IsGpuOutOfMemory(failure.class_name) || IsGpuOutOfMemory(message)) {
    out.cause = FailureCause::kGpuOutOfMemory;
  } else if (Contains(failure.class_name, "OutOfMemoryError") ||
             Contains(both, "java.lang.OutOfMemoryError")) {
    out.cause = FailureCause::kHeapOutOfMemory;
  } else {
    out.cause = FailureCause::kTaskException;
  }
  return out;
}

ClassifiedFailure ClassifyExecutorLoss(const events::TaskFailure& failure) {
  ClassifiedFailure out;
  std::string_view message = failure.message;
  out.error = Clip(FirstLine(message));
  if (out.error.empty()) out.error = "executor " + std::string(failure.executor_id) + " lost";
  out.exit_code = ExitCodeIn(message);
  const bool memory_words = Contains(message, "exceeding memory limits") ||
                            Contains(message, "beyond physical memory") ||
                            Contains(message, "OOMKilled") || Contains(message, "container OOM");
  if (IsGpuOutOfMemory(message)) {
    out.cause = FailureCause::kGpuOutOfMemory;
  } else if (Contains(message, "OutOfMemoryError") || out.exit_code == 52) {
    out.cause = FailureCause::kHeapOutOfMemory;  // SparkExitCode.OOM
  } else if (memory_words || out.exit_code == 137) {
    // SIGKILL: the kernel's OOM killer, or Kubernetes' (OOMKilled). A bare
    // 143 (SIGTERM) is a kill request too, for memory only when it says so.
    out.cause = FailureCause::kContainerKilled;
  } else {
    out.cause = FailureCause::kExecutorLost;
  }
  return out;
}

}  // namespace

std::string_view FailureCauseName(FailureCause cause) {
  switch (cause) {
    case FailureCause::kTaskException:
      return "task_exception";
    case FailureCause::kHeapOutOfMemory:
      return "heap_out_of_memory";
    case FailureCause::kContainerKilled:
      return "container_killed";
    case FailureCause::kGpuOutOfMemory:
      return "gpu_out_of_memory";
    case FailureCause::kExecutorLost:
      return "executor_lost";
    case FailureCause::kFetchFailed:
      return "fetch_failed";
    case FailureCause::kResubmitted:
      return "resubmitted";
    case FailureCause::kOther:
      return "other";
  }
  return "other";
}

bool IsMemoryCause(FailureCause cause) {
  return cause == FailureCause::kHeapOutOfMemory || cause == FailureCause::kContainerKilled ||
         cause == FailureCause::kGpuOutOfMemory;
}

ClassifiedFailure ClassifyFailure(const events::TaskFailure& failure) {
  if (failure.reason == "ExceptionFailure") return ClassifyException(failure);
  if (failure.reason == "ExecutorLostFailure") return ClassifyExecutorLoss(failure);
  ClassifiedFailure out;
  if (failure.reason == "Resubmitted") {
    out.cause = FailureCause::kResubmitted;
    out.error = "resubmitted: its shuffle output was lost";
  } else if (failure.reason == "FetchFailed") {
    out.cause = FailureCause::kFetchFailed;
    out.error = Clip(FirstLine(failure.message));
    if (out.error.empty()) out.error = "shuffle fetch failed";
  } else {
    out.error = failure.reason.empty() ? "unknown reason" : Clip(failure.reason);
    if (!failure.message.empty()) out.error += ": " + Clip(FirstLine(failure.message));
  }
  return out;
}

namespace {

void AddDistinct(std::vector<std::string>& names, std::string_view name) {
  if (name.empty() || names.size() >= FailureGroup::kMaxNames) return;
  if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

// Errors that differ only in their numbers ("failure in partition 3") are
// one error.
bool SameButNumbers(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      while (i < a.size() && digit(a[i])) ++i;
      while (j < b.size() && digit(b[j])) ++j;
    } else if (a[i++] != b[j++]) {
      return false;
    }
  }
  return i == a.size() && j == b.size();
}

bool SameGroup(const FailureGroup& group, const ClassifiedFailure& failure,
               std::string_view reason) {
  const ClassifiedFailure& g = group.failure;
  if (g.cause != failure.cause || group.reason != reason || g.exit_code != failure.exit_code ||
      !SameButNumbers(g.error, failure.error)) {
    return false;
  }
  if (g.location.has_value() != failure.location.has_value()) return false;
  return !g.location ||
         (g.location->file == failure.location->file && g.location->line == failure.location->line);
}

}  // namespace

void StageFailures::Add(const events::TaskFailure& failure, std::string_view task_executor) {
  ClassifiedFailure classified = ClassifyFailure(failure);
  // A fetch failure's message names a file of the lost shuffle; grouping
  // is by the shuffle, not by the file.
  if (classified.cause == FailureCause::kFetchFailed) classified.error = "shuffle fetch failed";
  auto group = std::find_if(groups.begin(), groups.end(), [&](const FailureGroup& g) {
    return SameGroup(g, classified, failure.reason);
  });
  if (group == groups.end()) {
    if (groups.size() >= kMaxGroups) {
      ++ungrouped;
      return;
    }
    groups.push_back(FailureGroup{std::move(classified), std::string(failure.reason)});
    group = groups.end() - 1;
  }
  ++group->count;
  const bool lost_executor = failure.reason == "ExecutorLostFailure" ||
                             failure.reason == "FetchFailed";
  AddDistinct(group->executors, lost_executor && !failure.executor_id.empty()
                                    ? failure.executor_id
                                    : task_executor);
  AddDistinct(group->hosts, failure.host);
  if (failure.shuffle_id >= 0 &&
      std::find(group->shuffle_ids.begin(), group->shuffle_ids.end(), failure.shuffle_id) ==
          group->shuffle_ids.end()) {
    group->shuffle_ids.push_back(failure.shuffle_id);
  }
}

void StageFailures::Finish() {
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.count > b.count; });
}

}  // namespace prometheus::model
