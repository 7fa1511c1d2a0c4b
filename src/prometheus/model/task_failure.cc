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

// At most `limit` bytes of `text` into `out` (reusing its capacity), cut
// at a character boundary, with "…" when cut.
std::string_view ClipInto(std::string_view head, std::string_view tail, std::string& out,
                          size_t limit = 200) {
  out.assign(head);
  if (!head.empty() && !tail.empty()) out += ": ";
  out += tail;
  if (out.size() <= limit) return out;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
  out.resize(end);
  out += "…";
  return out;
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

// A failure understood, as views into the event and into a scratch string:
// valid until either changes. StageFailures::Add compares it with its
// groups without allocating; only a new group copies it.
struct FailureView {
  FailureCause cause = FailureCause::kOther;
  std::string_view error;
  bool has_location = false;
  std::string_view file;
  int64_t line = -1;
  std::string_view function_scope;  // a JVM frame's class; "" for Python
  std::string_view function;
  std::optional<int64_t> exit_code;
};

// `  File "path", line N, in function` lines of a traceback: the last one
// in the user's code is where it raised.
void LastUserPythonFrame(std::string_view traceback, FailureView& out) {
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
    out.has_location = true;
    out.file = file;
    out.line = -1;
    std::from_chars(tail.data(), tail.data() + tail.size(), out.line);
    size_t in = tail.find(", in ");
    out.function_scope = {};
    out.function = in == std::string_view::npos ? std::string_view() : Trim(tail.substr(in + 5));
  }
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

void ViewException(const events::TaskFailure& failure, std::string& scratch, FailureView& out) {
  std::string_view message = failure.message;
  constexpr std::string_view kTraceback = "Traceback (most recent call last):";
  // A wrapping exception's cause: the traceback only its full stack shows.
  std::string_view traceback;
  if (Contains(message, kTraceback)) {
    traceback = message;
  } else if (Contains(failure.full_stack_trace, kTraceback)) {
    traceback = failure.full_stack_trace;
  }
  if (!traceback.empty()) {
    out.error = ClipInto("", PythonError(traceback), scratch);
    LastUserPythonFrame(traceback, out);
  } else {
    out.error = ClipInto(failure.class_name, FirstLine(message), scratch);
    if (failure.user_frame) {
      const events::StackFrame& frame = *failure.user_frame;
      out.has_location = true;
      out.file = frame.file;
      out.line = frame.line;
      out.function_scope = frame.declaring_class;
      out.function = frame.method;
    }
  }
  if (IsGpuOutOfMemory(failure.class_name) || IsGpuOutOfMemory(message) ||
      IsGpuOutOfMemory(failure.full_stack_trace)) {
    out.cause = FailureCause::kGpuOutOfMemory;
  } else if (Contains(failure.class_name, "OutOfMemoryError") ||
             Contains(out.error, "java.lang.OutOfMemoryError") ||
             Contains(failure.full_stack_trace, "Caused by: java.lang.OutOfMemoryError")) {
    out.cause = FailureCause::kHeapOutOfMemory;
  } else {
    out.cause = FailureCause::kTaskException;
  }
}

void ViewExecutorLoss(const events::TaskFailure& failure, std::string& scratch,
                      FailureView& out) {
  std::string_view message = failure.message;
  out.error = ClipInto("", FirstLine(message), scratch);
  if (out.error.empty()) out.error = "no reason given";  // the group lists which
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
}

FailureView View(const events::TaskFailure& failure, std::string& scratch) {
  FailureView out;
  if (failure.reason == "ExceptionFailure") {
    ViewException(failure, scratch, out);
  } else if (failure.reason == "ExecutorLostFailure") {
    ViewExecutorLoss(failure, scratch, out);
  } else if (failure.reason == "Resubmitted") {
    out.cause = FailureCause::kResubmitted;
    out.error = "resubmitted: its shuffle output was lost";
  } else if (failure.reason == "FetchFailed") {
    out.cause = FailureCause::kFetchFailed;
    out.error = ClipInto("", FirstLine(failure.message), scratch);
    if (out.error.empty()) out.error = "shuffle fetch failed";
  } else {
    out.error = ClipInto(failure.reason.empty() ? "unknown reason" : failure.reason,
                         FirstLine(failure.message), scratch);
  }
  return out;
}

ClassifiedFailure Materialize(const FailureView& view) {
  ClassifiedFailure out;
  out.cause = view.cause;
  out.error = std::string(view.error);
  out.exit_code = view.exit_code;
  if (view.has_location) {
    CodeLocation location{std::string(view.file), view.line, std::string(view.function_scope)};
    if (!location.function.empty()) location.function += '.';
    location.function += view.function;
    out.location = std::move(location);
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
  std::string scratch;
  return Materialize(View(failure, scratch));
}

namespace {

void AddDistinct(std::vector<std::string>& names, std::string_view name) {
  if (name.empty() || names.size() >= FailureGroup::kMaxNames) return;
  if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

void AddDistinct(std::vector<int64_t>& ids, int64_t id) {
  if (id < 0 || ids.size() >= FailureGroup::kMaxNames) return;
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
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

bool SameGroup(const FailureGroup& group, const FailureView& failure, std::string_view reason) {
  const ClassifiedFailure& g = group.failure;
  if (g.cause != failure.cause || group.reason != reason || g.exit_code != failure.exit_code ||
      !SameButNumbers(g.error, failure.error)) {
    return false;
  }
  if (g.location.has_value() != failure.has_location) return false;
  return !g.location || (g.location->file == failure.file && g.location->line == failure.line);
}

}  // namespace

void StageFailures::Add(const events::TaskFailure& failure, std::string_view task_executor) {
  FailureView view = View(failure, scratch_);
  // A fetch failure's message names a file of the lost shuffle; grouping
  // is by the shuffle, not by the file.
  if (view.cause == FailureCause::kFetchFailed) view.error = "shuffle fetch failed";
  auto group = std::find_if(groups.begin(), groups.end(), [&](const FailureGroup& g) {
    return SameGroup(g, view, failure.reason);
  });
  if (group == groups.end()) {
    if (groups.size() >= kMaxGroups) {
      ++ungrouped;
      return;
    }
    groups.push_back(FailureGroup{Materialize(view), std::string(failure.reason)});
    group = groups.end() - 1;
  }
  ++group->count;
  const bool lost_executor = failure.reason == "ExecutorLostFailure" ||
                             failure.reason == "FetchFailed";
  AddDistinct(group->executors, lost_executor && !failure.executor_id.empty()
                                    ? failure.executor_id
                                    : task_executor);
  AddDistinct(group->hosts, failure.host);
  AddDistinct(group->shuffle_ids, failure.shuffle_id);
  AddDistinct(group->map_ids, failure.map_id);
}

void StageFailures::Finish() {
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.count > b.count; });
}

}  // namespace prometheus::model
