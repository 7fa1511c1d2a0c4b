// The "parse limit" for Prometheus: a bare, single-threaded simdjson
// On-Demand pass over a plain Spark event log that decodes every
// SparkListenerTaskEnd line into the same fields Prometheus reads and sums
// them per stage. Nothing else happens (no model, no KPIs, no report), so
// Prometheus' throughput divided by this one says how close it runs to what
// the JSON parser alone allows on this machine.
//
// Usage: simdjson_baseline [--mode=lines|many] [--chunk-mib=4]
//                           [--batch-kib=1024] LOG
// The file is read in 4 MiB chunks of whole lines, parsed in place, then:
//   --mode=lines  one parser.iterate() per line (the default: as fast as
//                 "many" here, and correct for lines of any length)
//   --mode=many   parser.iterate_many() over the chunk in batches of
//                 --batch-kib (each batch must hold the longest line)
// See bench/README.md for the measurements behind the default.
//
// stdout: the per-stage TSV that gen_eventlog.py --truth writes (stage, tasks,
// max_ms, median_ms, mem_spill, disk_spill, shuffle_read, shuffle_write).
// stderr: the SIMD kernel, counts, a checksum of every field read, and MB/s.
#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

#define BENCH_STRINGIFY_(x) #x
#define BENCH_STRINGIFY(x) BENCH_STRINGIFY_(x)
// The kernel simdjson's header selected for On-Demand in this file.
constexpr std::string_view kOnDemandKernel =
    BENCH_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);

#define BENCH_TRY(expr)                                              \
  do {                                                               \
    if (error_code bench_error_ = (expr); bench_error_ != SUCCESS) { \
      return bench_error_;                                           \
    }                                                                \
  } while (false)

// "Task Metrics" counters, grouped by the object that holds them, in the
// order Spark's JsonProtocol writes them (lookups are cheapest in order).
constexpr std::array<std::string_view, 10> kTopCounters = {
    "Executor Deserialize Time",
    "Executor Deserialize CPU Time",
    "Executor Run Time",
    "Executor CPU Time",
    "Peak Execution Memory",
    "Result Size",
    "JVM GC Time",
    "Result Serialization Time",
    "Memory Bytes Spilled",
    "Disk Bytes Spilled"};
constexpr std::array<std::string_view, 7> kShuffleReadCounters = {
    "Remote Blocks Fetched", "Local Blocks Fetched",      "Fetch Wait Time",
    "Remote Bytes Read",     "Remote Bytes Read To Disk", "Local Bytes Read",
    "Total Records Read"};
constexpr std::array<std::string_view, 3> kShuffleWriteCounters = {
    "Shuffle Bytes Written", "Shuffle Write Time", "Shuffle Records Written"};
constexpr std::array<std::string_view, 2> kInputCounters = {"Bytes Read",
                                                            "Records Read"};
constexpr std::array<std::string_view, 2> kOutputCounters = {"Bytes Written",
                                                             "Records Written"};

// Where each group starts in Task::counters, and the counters the TSV shows.
constexpr size_t kShuffleReadAt = kTopCounters.size();
constexpr size_t kShuffleWriteAt = kShuffleReadAt + kShuffleReadCounters.size();
constexpr size_t kInputAt = kShuffleWriteAt + kShuffleWriteCounters.size();
constexpr size_t kOutputAt = kInputAt + kInputCounters.size();
constexpr size_t kNumCounters = kOutputAt + kOutputCounters.size();
constexpr size_t kMemorySpilled = 8, kDiskSpilled = 9;
constexpr size_t kRemoteBytesRead = kShuffleReadAt + 3;
constexpr size_t kLocalBytesRead = kShuffleReadAt + 5;

// One decoded SparkListenerTaskEnd. The fields the TSV does not show are
// folded into `checksum`, printed so the compiler cannot drop their decoding.
struct Task {
  int64_t stage_id = -1;
  int64_t launch_time = 0;
  int64_t finish_time = 0;
  int64_t checksum = 0;
  std::array<int64_t, kNumCounters> counters{};
};

// Reads a counter written as a number, a numeric string or null; an absent
// field reads as zero (older Spark versions omit some).
error_code ReadCount(simdjson::simdjson_result<od::value> field, int64_t& out) {
  od::value v;
  od::json_type type;
  out = 0;
  error_code error = std::move(field).get(v);
  if (error == simdjson::NO_SUCH_FIELD) return SUCCESS;
  BENCH_TRY(error);
  BENCH_TRY(v.type().get(type));
  if (type == od::json_type::string) return v.get_int64_in_string().get(out);
  if (type == od::json_type::null) return SUCCESS;
  if (v.get_int64().get(out) == SUCCESS) return SUCCESS;
  double d;
  BENCH_TRY(v.get_double().get(d));
  out = static_cast<int64_t>(d);
  return SUCCESS;
}

// Adds a counter to the checksum.
error_code SumCount(simdjson::simdjson_result<od::value> field, Task& task) {
  int64_t value;
  BENCH_TRY(ReadCount(std::move(field), value));
  task.checksum += value;
  return SUCCESS;
}

template <size_t N>
error_code ReadCounters(od::object object,
                        const std::array<std::string_view, N>& keys,
                        int64_t* out) {
  for (size_t i = 0; i < N; ++i) {
    BENCH_TRY(ReadCount(object.find_field_unordered(keys[i]), out[i]));
  }
  return SUCCESS;
}

// Reads the counters of the object `name` of `parent`, if there is one.
template <size_t N>
error_code ReadGroup(od::object parent, std::string_view name,
                     const std::array<std::string_view, N>& keys,
                     int64_t* out) {
  od::object group;
  error_code error = parent.find_field_unordered(name).get_object().get(group);
  if (error == simdjson::NO_SUCH_FIELD) return SUCCESS;
  BENCH_TRY(error);
  return ReadCounters(group, keys, out);
}

error_code ReadMetrics(od::object metrics, Task& task) {
  int64_t* c = task.counters.data();
  BENCH_TRY(ReadCounters(metrics, kTopCounters, c));
  BENCH_TRY(ReadGroup(metrics, "Shuffle Read Metrics", kShuffleReadCounters,
                      c + kShuffleReadAt));
  BENCH_TRY(ReadGroup(metrics, "Shuffle Write Metrics", kShuffleWriteCounters,
                      c + kShuffleWriteAt));
  BENCH_TRY(ReadGroup(metrics, "Input Metrics", kInputCounters, c + kInputAt));
  return ReadGroup(metrics, "Output Metrics", kOutputCounters, c + kOutputAt);
}

error_code ReadAccumulables(od::array list, Task& task) {
  for (auto element : list) {
    od::object acc;
    std::string_view name;
    BENCH_TRY(element.get_object().get(acc));
    BENCH_TRY(SumCount(acc.find_field_unordered("ID"), task));
    if (acc.find_field_unordered("Name").get_string().get(name) == SUCCESS) {
      task.checksum += static_cast<int64_t>(name.size());
    }
    // Updates that are not numbers (block lists of old logs) are skipped.
    (void)SumCount(acc.find_field_unordered("Update"), task);
  }
  return SUCCESS;
}

// Like Prometheus, Accumulables (SQL metric updates) are read only once the
// log has declared SQL metrics; the generated benchmark logs declare none.
bool read_accumulables = false;

error_code ReadTaskInfo(od::object info, Task& task) {
  std::string_view executor_id;
  bool speculative = false;
  od::array accumulables;
  BENCH_TRY(SumCount(info.find_field_unordered("Task ID"), task));
  BENCH_TRY(SumCount(info.find_field_unordered("Index"), task));
  BENCH_TRY(SumCount(info.find_field_unordered("Attempt"), task));
  BENCH_TRY(
      ReadCount(info.find_field_unordered("Launch Time"), task.launch_time));
  BENCH_TRY(
      info.find_field_unordered("Executor ID").get_string().get(executor_id));
  BENCH_TRY(
      info.find_field_unordered("Speculative").get_bool().get(speculative));
  task.checksum += static_cast<int64_t>(executor_id.size()) + speculative;
  BENCH_TRY(
      ReadCount(info.find_field_unordered("Finish Time"), task.finish_time));
  if (!read_accumulables) return SUCCESS;
  error_code error =
      info.find_field_unordered("Accumulables").get_array().get(accumulables);
  if (error == simdjson::NO_SUCH_FIELD) return SUCCESS;
  BENCH_TRY(error);
  return ReadAccumulables(accumulables, task);
}

// Decodes the fields of a TaskEnd whose "Event" field was just read.
error_code ReadTaskEnd(od::object event, Task& task) {
  task = Task{};
  std::string_view reason;
  od::object info;
  od::object metrics;
  BENCH_TRY(ReadCount(event.find_field_unordered("Stage ID"), task.stage_id));
  BENCH_TRY(SumCount(event.find_field_unordered("Stage Attempt ID"), task));
  BENCH_TRY(event.find_field_unordered("Task End Reason")
                .find_field_unordered("Reason")
                .get_string()
                .get(reason));
  task.checksum += reason == "Success";
  BENCH_TRY(event.find_field_unordered("Task Info").get_object().get(info));
  BENCH_TRY(ReadTaskInfo(info, task));
  error_code error =
      event.find_field_unordered("Task Metrics").get_object().get(metrics);
  if (error == simdjson::NO_SUCH_FIELD) return SUCCESS;
  BENCH_TRY(error);
  return ReadMetrics(metrics, task);
}

// Per-stage sums of every TaskEnd.
class Tally {
 public:
  // Decodes one event; a TaskEnd is added to its stage.
  template <typename Document>
  void Add(Document&& doc) {
    ++events_;
    od::object event;
    std::string_view name;
    error_code error = doc.get_object().get(event);
    if (!error) {
      error = event.find_field_unordered("Event").get_string().get(name);
    }
    if (!error && name == "SparkListenerTaskEnd") {
      error = ReadTaskEnd(event, task_);
      if (!error) Record(task_);
    } else if (!error && name.ends_with("SparkListenerSQLExecutionStart")) {
      read_accumulables = true;
    }
    if (error) ++bad_;
  }

  void AddUnreadable() {
    ++events_;
    ++bad_;
  }

  void Print() const;  // the per-stage TSV, on stdout
  int64_t events() const { return events_; }
  int64_t task_ends() const { return task_ends_; }
  int64_t bad() const { return bad_; }
  int64_t checksum() const { return checksum_; }

 private:
  struct Stage {
    std::vector<int64_t> durations_ms;
    std::array<int64_t, kNumCounters> counters{};
  };

  void Record(const Task& task) {
    ++task_ends_;
    checksum_ += task.checksum;
    Stage& stage = stages_[task.stage_id];
    stage.durations_ms.push_back(task.finish_time - task.launch_time);
    for (size_t i = 0; i < kNumCounters; ++i) {
      stage.counters[i] += task.counters[i];
      checksum_ += task.counters[i];
    }
  }

  std::map<int64_t, Stage> stages_;
  Task task_;
  int64_t events_ = 0;
  int64_t task_ends_ = 0;
  int64_t bad_ = 0;
  int64_t checksum_ = 0;
};

void Tally::Print() const {
  fmt::print(
      "stage\ttasks\tmax_ms\tmedian_ms\tmem_spill\tdisk_spill\t"
      "shuffle_read\tshuffle_write\n");
  for (const auto& [id, s] : stages_) {
    std::vector<int64_t> d = s.durations_ms;
    auto median = d.begin() + static_cast<std::ptrdiff_t>((d.size() - 1) / 2);
    std::nth_element(d.begin(), median, d.end());
    const auto& c = s.counters;
    fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", id, d.size(),
               *std::max_element(d.begin(), d.end()), *median,
               c[kMemorySpilled], c[kDiskSpilled],
               c[kRemoteBytesRead] + c[kLocalBytesRead], c[kShuffleWriteAt]);
  }
}

// Reads a file in chunks that end after a newline (except at the end of
// input). The buffer has simdjson's padding after its capacity, so every line
// in it may be parsed in place: simdjson needs those bytes readable, whatever
// they hold.
class ChunkReader {
 public:
  ChunkReader(int fd, size_t chunk_bytes)
      : fd_(fd), capacity_(chunk_bytes), buffer_(Allocate(capacity_)) {}

  // The next run of whole lines, empty at the end; valid until the next call.
  std::string_view Next() {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    while (!eof_) {
      if (end_ == capacity_) {
        const void* last = memrchr(buffer_.get(), '\n', end_);
        if (last != nullptr) {
          begin_ = static_cast<const char*>(last) - buffer_.get() + 1;
          break;
        }
        Grow();  // a line longer than the chunk
      }
      ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
      if (n < 0) {
        std::perror("read");
        std::exit(1);
      }
      eof_ = n == 0;
      end_ += static_cast<size_t>(n);
    }
    if (eof_) begin_ = end_;
    bytes_ += begin_;
    return {buffer_.get(), begin_};
  }

  // Readable bytes from the start of the current chunk.
  size_t padded_size() const { return capacity_ + simdjson::SIMDJSON_PADDING; }
  uint64_t bytes() const { return bytes_; }

 private:
  static std::unique_ptr<char[]> Allocate(size_t size) {
    return std::unique_ptr<char[]>(
        new char[size + simdjson::SIMDJSON_PADDING]());
  }
  void Grow() {
    auto bigger = Allocate(capacity_ * 2);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }

  int fd_;
  size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  size_t begin_ = 0;  // end of the lines handed out; the unread tail follows
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t bytes_ = 0;
};

void RunLines(ChunkReader& reader, Tally& tally) {
  od::parser parser;
  for (std::string_view chunk = reader.Next(); !chunk.empty();
       chunk = reader.Next()) {
    const char* base = chunk.data();
    size_t padded = reader.padded_size();
    size_t pos = 0;
    while (pos < chunk.size()) {
      const void* nl = std::memchr(base + pos, '\n', chunk.size() - pos);
      size_t end = nl ? static_cast<const char*>(nl) - base : chunk.size();
      if (end > pos) {
        od::document doc;
        if (parser.iterate(base + pos, end - pos, padded - pos).get(doc)) {
          tally.AddUnreadable();
        } else {
          tally.Add(doc);
        }
      }
      pos = end + 1;
    }
  }
}

void RunMany(ChunkReader& reader, size_t batch_bytes, Tally& tally) {
  od::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
  parser.threaded = false;  // the baseline is one core
#endif
  for (std::string_view chunk = reader.Next(); !chunk.empty();
       chunk = reader.Next()) {
    od::document_stream stream;
    // A batch must hold the longest line.
    if (parser
            .iterate_many(chunk.data(), chunk.size(),
                          std::min(batch_bytes, chunk.size()))
            .get(stream)) {
      std::fprintf(stderr, "iterate_many failed\n");
      std::exit(1);
    }
    for (auto doc : stream) tally.Add(doc);
    if (stream.truncated_bytes() > 0) {
      std::fprintf(stderr, "a line is longer than --batch-kib\n");
      std::exit(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "lines";
  size_t chunk_mib = 4;
  size_t batch_kib = 1024;
  const char* path = nullptr;
  bool usage = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--mode=")) {
      mode = arg.substr(7);
    } else if (arg.starts_with("--chunk-mib=")) {
      chunk_mib = std::strtoul(argv[i] + 12, nullptr, 10);
    } else if (arg.starts_with("--batch-kib=")) {
      batch_kib = std::strtoul(argv[i] + 12, nullptr, 10);
    } else if (!arg.starts_with("-") && path == nullptr) {
      path = argv[i];
    } else {
      usage = true;
    }
  }
  if (usage || path == nullptr || (mode != "many" && mode != "lines") ||
      chunk_mib == 0 || batch_kib == 0) {
    fmt::print(stderr,
               "usage: {} [--mode=lines|many] [--chunk-mib=4] "
               "[--batch-kib=1024] EVENT_LOG\n",
               argv[0]);
    return 2;
  }
  // The On-Demand kernel is fixed when this file is compiled. Note that
  // simdjson::builtin_implementation() is defined inside libsimdjson.so, so
  // with Debian's shared library it names the library's own build
  // ("fallback"), not the kernel compiled into this program.
  std::string_view kernel = kOnDemandKernel;
  std::string library_kernel(simdjson::builtin_implementation()->name());
  if (kernel == "fallback") {
    std::fprintf(stderr,
                 "simdjson On-Demand was compiled for its scalar fallback: "
                 "build with -march=x86-64-v3 -mpclmul "
                 "(PROMETHEUS_ARCH_FLAGS)\n");
    return 1;
  }
  int fd = ::open(path, O_RDONLY);
  if (fd < 0) {
    std::perror(path);
    return 2;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  auto start = std::chrono::steady_clock::now();
  ChunkReader reader(fd, chunk_mib << 20);
  Tally tally;
  if (mode == "many") {
    RunMany(reader, batch_kib << 10, tally);
  } else {
    RunLines(reader, tally);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ::close(fd);

  tally.Print();
  fmt::print(stderr,
             "ondemand_kernel={} libsimdjson_builtin={} mode={} chunk={}MiB "
             "bytes={} events={} task_ends={} bad={} checksum={} "
             "seconds={:.3f} MB/s={:.1f}\n",
             kernel, library_kernel, mode, chunk_mib, reader.bytes(),
             tally.events(), tally.task_ends(), tally.bad(), tally.checksum(),
             seconds, static_cast<double>(reader.bytes()) / 1e6 / seconds);
  return tally.bad() == 0 ? 0 : 1;
}
