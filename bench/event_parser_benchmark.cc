// Micro-benchmark of prometheus::events::EventParser::Parse over the lines of
// a real Spark event log held in memory (no I/O, no model building).
//
// The log is $PROMETHEUS_BENCH_LOG if set, else Spark's own test log
// app-20200706201101-0003 (Spark 3.1). Run:
//   build/bench/event_parser_benchmark --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/events/event_parser.h"
#include "prometheus/events/events.h"
#include "prometheus/io/line_reader.h"

namespace {

using prometheus::events::EventParser;
using prometheus::events::LineOutcome;
using prometheus::io::kLinePadding;
using prometheus::io::Line;

// The log's bytes, with the padding Parse may read past each line.
struct LoadedLines {
  std::string bytes;
  std::vector<Line> all;
  std::vector<Line> task_ends;
};

const LoadedLines& Log() {
  static const LoadedLines* log = [] {
    const char* env = std::getenv("PROMETHEUS_BENCH_LOG");
    std::string path = env != nullptr ? env : PROMETHEUS_DEFAULT_BENCH_LOG;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      std::exit(2);
    }
    auto* loaded = new LoadedLines;
    loaded->bytes.assign(std::istreambuf_iterator<char>(in), {});
    size_t size = loaded->bytes.size();
    loaded->bytes.append(kLinePadding, ' ');
    std::string_view text(loaded->bytes.data(), size);
    uint64_t number = 0;
    for (size_t pos = 0; pos < size;) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = size;
      Line line;
      line.text = text.substr(pos, end - pos);
      line.capacity = loaded->bytes.size() - pos;
      line.number = ++number;
      loaded->all.push_back(line);
      if (line.text.find("\"SparkListenerTaskEnd\"") !=
          std::string_view::npos) {
        loaded->task_ends.push_back(line);
      }
      pos = end + 1;
    }
    return loaded;
  }();
  return *log;
}

// Keeps a little of every TaskEnd so the decoding cannot be optimized away.
class SummingSink final : public prometheus::events::EventSink {
 public:
  void OnTaskEnd(const prometheus::events::TaskEnd& event) override {
    sum_ += event.finish_time - event.launch_time +
            event.metrics.executor_run_time_ms +
            event.metrics.shuffle_write_bytes +
            static_cast<int64_t>(event.accumulables.size());
  }
  int64_t sum() const { return sum_; }

 private:
  int64_t sum_ = 0;
};

void ParseLines(benchmark::State& state, const std::vector<Line>& lines) {
  EventParser parser;
  SummingSink sink;
  int64_t bytes = 0;
  for (const Line& line : lines)
    bytes += static_cast<int64_t>(line.text.size());
  int64_t corrupt = 0;
  for (auto _ : state) {
    for (const Line& line : lines) {
      corrupt += parser.Parse(line, sink) == LineOutcome::kCorrupt ? 1 : 0;
    }
    benchmark::DoNotOptimize(sink.sum());
  }
  if (corrupt > 0) state.SkipWithError("corrupt lines");
  state.SetBytesProcessed(bytes * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(lines.size()) *
                          state.iterations());
}

void BM_ParseAllLines(benchmark::State& state) { ParseLines(state, Log().all); }
BENCHMARK(BM_ParseAllLines);

void BM_ParseTaskEndLines(benchmark::State& state) {
  ParseLines(state, Log().task_ends);
}
BENCHMARK(BM_ParseTaskEndLines);

}  // namespace

BENCHMARK_MAIN();
