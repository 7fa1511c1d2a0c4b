// Writes the same 1,000,000 rows of a KPI-like table (45 columns shaped
// like kpi::StageKpis) with our WriteParquet and with DuckDB's
// `COPY ... TO ... (FORMAT parquet, COMPRESSION ...)`, in one run, and
// reads the files back with our ReadParquet.
//
// Fairness: our time covers only WriteParquet from the in-memory Table;
// DuckDB's covers only COPY from a table it already holds in memory
// (loaded, untimed, from an uncompressed file of the same rows). Each
// figure is the best of --runs rounds, which alternate between the two
// writers so that bursts of load on a shared machine hit both. DuckDB runs with
// its default threads (the machine's cores) and with one thread; WriteParquet
// spreads the columns of a row group this big over the machine's cores (at most
// 8). Both writers' files are read back with ReadParquet, timed, and checked
// value for value against the table.
//
//   parquet_write_benchmark [--rows N] [--runs N] [--dir DIR]
//
// Needs node and tools/validators (tools/install-deps.sh) for DuckDB.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "prometheus/parquet/parquet.h"

namespace {

using prometheus::parquet::Column;
using prometheus::parquet::ColumnType;
using prometheus::parquet::ParquetCodec;
using prometheus::parquet::Table;

constexpr ColumnType kI64 = ColumnType::kInt64;
constexpr ColumnType kF64 = ColumnType::kDouble;
constexpr ColumnType kStr = ColumnType::kString;
constexpr ColumnType kTs = ColumnType::kTimestamp;

const std::vector<Column>& KpiSchema() {
  static const std::vector<Column> schema = {
      {"run_id", kI64, true},
      {"job_id", kI64, true},
      {"app_id", kStr, false},
      {"app_attempt_id", kStr, true},
      {"stage_id", kI64, false},
      {"stage_attempt_id", kI64, false},
      {"stage_name", kStr, false},
      {"status", kStr, false},
      {"num_tasks", kI64, false},
      {"num_completed_tasks", kI64, false},
      {"num_failed_tasks", kI64, false},
      {"num_killed_tasks", kI64, false},
      {"num_speculative_tasks", kI64, false},
      {"submission_time", kTs, true},
      {"completion_time", kTs, true},
      {"duration_ms", kI64, true},
      {"task_duration_ms_min", kI64, true},
      {"task_duration_ms_p25", kI64, true},
      {"task_duration_ms_p50", kI64, true},
      {"task_duration_ms_p75", kI64, true},
      {"task_duration_ms_p95", kI64, true},
      {"task_duration_ms_max", kI64, true},
      {"max_task_skew_ratio", kF64, true},
      {"executor_run_time_ms", kI64, false},
      {"executor_cpu_time_ms", kF64, false},
      {"executor_deserialize_time_ms", kI64, false},
      {"jvm_gc_time_ms", kI64, false},
      {"result_size_bytes", kI64, false},
      {"input_bytes", kI64, false},
      {"input_records", kI64, false},
      {"output_bytes", kI64, false},
      {"output_records", kI64, false},
      {"shuffle_read_bytes", kI64, false},
      {"shuffle_remote_bytes_read", kI64, false},
      {"shuffle_read_records", kI64, false},
      {"shuffle_fetch_wait_ms", kI64, false},
      {"shuffle_write_bytes", kI64, false},
      {"shuffle_write_records", kI64, false},
      {"shuffle_write_time_ms", kF64, false},
      {"memory_bytes_spilled", kI64, false},
      {"disk_bytes_spilled", kI64, false},
      {"total_shuffle_spill_mb", kF64, false},
      {"peak_execution_memory_max_bytes", kI64, false},
      {"broadcast_miss_flag", ColumnType::kBoolean, false},
      {"collected_at", kTs, false},
  };
  return schema;
}

// Rows of ~250 applications with ~4000 stage attempts each: repeating
// names, mostly-zero failure counters, skewed byte counts, increasing
// timestamps.
Table MakeKpiTable(size_t rows) {
  Table t = prometheus::parquet::MakeTable(KpiSchema(), rows);
  std::mt19937_64 random(2024);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(random() % static_cast<uint64_t>(hi - lo + 1));
  };
  auto skewed = [&](int bits) {  // log-uniform up to 2^bits
    const int width = static_cast<int>(random() % bits);
    return static_cast<int64_t>(random() & ((uint64_t{1} << width) - 1));
  };
  static const char* kStatus[] = {"COMPLETE", "COMPLETE", "COMPLETE",
                                  "COMPLETE", "FAILED",   "ACTIVE"};
  static const char* kOps[] = {"collect",    "save",      "count",
                               "showString", "run",       "foreachPartition",
                               "parquet",    "insertInto"};
  int64_t clock = 1735689600000000;  // 2025-01-01, micros
  std::string app;
  int64_t stage = 0;
  for (size_t r = 0; r < rows; ++r) {
    t.AddRow();
    if (r % 4000 == 0) {
      app = fmt::format("app-2025{:04}{:06}-{:04}", r / 4000 % 1231,
                        uniform(0, 235959), r / 4000);
      stage = 0;
    }
    size_t c = 0;
    if (r % 4000 < 3000) {
      t.SetInt(c, r, 1000000 + static_cast<int64_t>(r / 4000));
      t.SetInt(c + 1, r, 7000 + static_cast<int64_t>(r / 40000));
    }
    c += 2;
    t.SetString(c++, r, app);
    if (r % 3 != 0) t.SetString(c, r, "1");
    ++c;
    t.SetInt(c++, r, stage);
    t.SetInt(c++, r, random() % 50 == 0 ? 1 : 0);
    t.SetString(c++, r,
                fmt::format("{} at Job{}.scala:{}", kOps[stage % 8], stage % 37,
                            40 + stage % 300));
    const char* status = kStatus[random() % 6];
    t.SetString(c++, r, status);
    const int64_t tasks = 1 + skewed(12);
    t.SetInt(c++, r, tasks);
    t.SetInt(c++, r, tasks);
    t.SetInt(c++, r, random() % 20 == 0 ? uniform(1, 4) : 0);
    t.SetInt(c++, r, random() % 50 == 0 ? 1 : 0);
    t.SetInt(c++, r, random() % 30 == 0 ? uniform(1, 3) : 0);
    clock += uniform(1000, 5000000);
    const int64_t duration = uniform(5, 600000);
    const bool finished = status[0] != 'A';
    t.SetInt(c++, r, clock);
    if (finished) t.SetInt(c, r, clock + duration * 1000);
    ++c;
    if (finished) {
      t.SetInt(c, r, duration);
      int64_t q = uniform(1, 100);
      for (int k = 1; k <= 6; ++k) {
        t.SetInt(c + k, r, q);
        q += uniform(0, 2000);
      }
      t.SetDouble(c + 7, r, uniform(100, 90000) / 1000.0);
    }
    c += 8;
    const int64_t run_time = uniform(10, 10000000);
    t.SetInt(c++, r, run_time);
    t.SetDouble(c++, r, run_time * 0.8 + uniform(0, 999) / 1000.0);
    t.SetInt(c++, r, uniform(0, 5000));
    t.SetInt(c++, r, uniform(0, 100000));
    t.SetInt(c++, r, skewed(20));
    for (int k = 0; k < 4; ++k) t.SetInt(c++, r, skewed(40));  // input/output
    for (int k = 0; k < 3; ++k) t.SetInt(c++, r, skewed(36));  // shuffle read
    t.SetInt(c++, r, uniform(0, 20000));
    t.SetInt(c++, r, skewed(36));
    t.SetInt(c++, r, skewed(30));
    t.SetDouble(c++, r, uniform(0, 9999999) / 1000.0);
    const bool spilled = random() % 10 == 0;
    const int64_t spill = spilled ? skewed(36) : 0;
    t.SetInt(c++, r, spill);
    t.SetInt(c++, r, spilled ? spill / 3 : 0);
    t.SetDouble(c++, r, spill / 1048576.0);
    t.SetInt(c++, r, skewed(34));
    t.SetBool(c++, r, random() % 8 == 0);
    t.SetInt(c++, r, 1767225600000000);  // one collection time per batch
    ++stage;
  }
  return t;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

struct Figure {
  double seconds = 0;
  uint64_t bytes = 0;
};

// Best-of-`runs` time to write `table` with our writer.
Figure TimeOurWrite(const Table& table, ParquetCodec codec, int runs,
                    const std::filesystem::path& dir, const std::string& name) {
  Figure best{1e300, 0};
  for (int i = 0; i < runs; ++i) {
    const auto path = dir / fmt::format("{}-{}.parquet", name, i);
    std::filesystem::remove(path);  // from an earlier round
    const auto start = std::chrono::steady_clock::now();
    auto info = prometheus::parquet::WriteParquet(path, table, {.codec = codec});
    const double seconds = Seconds(start);
    if (!info) {
      fmt::print(stderr, "{}\n", info.error().message);
      std::exit(1);
    }
    if (seconds < best.seconds) best = {seconds, info->size_bytes};
    if (i + 1 < runs) std::filesystem::remove(path);
  }
  return best;
}

// Best-of-`runs` time to read `path` with our reader; exits unless every
// value equals `want`'s (nullability may differ: DuckDB marks every
// column nullable).
double TimeOurRead(const std::filesystem::path& path, int runs,
                   const Table& want) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto table = prometheus::parquet::ReadParquet(path);
    best = std::min(best, Seconds(start));
    if (!table) {
      fmt::print(stderr, "{}\n", table.error().message);
      std::exit(1);
    }
    if (i > 0) continue;
    for (size_t c = 0; c < want.schema.size(); ++c) {
      for (size_t r = 0; r < want.num_rows(); ++r) {
        if (table->num_rows() != want.num_rows() ||
            table->schema.at(c).type != want.schema[c].type ||
            !(table->Get(c, r) == want.Get(c, r))) {
          fmt::print(stderr, "{}: column {} row {} differs from the table\n",
                     path.string(), want.schema[c].name, r);
          std::exit(1);
        }
      }
    }
  }
  return best;
}

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  if (::pclose(pipe) != 0) return "";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 1000000;
  int runs = 3;
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              fmt::format("parquet_bench_{}", ::getpid());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rows") rows = std::stoul(argv[i + 1]);
    if (flag == "--runs") runs = std::stoi(argv[i + 1]);
    if (flag == "--dir") dir = argv[i + 1];
  }
  std::filesystem::create_directories(dir);
  auto start = std::chrono::steady_clock::now();
  const Table table = MakeKpiTable(rows);
  fmt::print("generated {} rows x {} columns in {:.2f} s\n", rows,
             table.schema.size(), Seconds(start));

  const auto input = dir / "input-uncompressed.parquet";
  if (!prometheus::parquet::WriteParquet(
          input, table, {.codec = ParquetCodec::kUncompressed})) {
    return 1;
  }
  const std::string script = std::string(PROMETHEUS_SOURCE_DIR) +
                             "/tools/validators/duckdb_copy_bench.mjs";
  // Rounds alternate between the writers, so that a burst of load on this
  // shared machine does not fall on one writer only; each keeps its best.
  const std::pair<ParquetCodec, const char*> codecs[] = {
      {ParquetCodec::kSnappy, "snappy"}, {ParquetCodec::kZstd, "zstd"}};
  std::map<std::string, Figure> ours;
  nlohmann::json duckdb;  // best per codec and thread setting
  for (int round = 0; round < runs; ++round) {
    for (const auto& [codec, name] : codecs) {
      const Figure figure = TimeOurWrite(table, codec, 1, dir, name);
      if (round == 0 || figure.seconds < ours[name].seconds)
        ours[name] = figure;
    }
    const std::string out = Run(fmt::format(
        "node '{}' '{}' '{}' 1 2>&1", script, input.string(), dir.string()));
    nlohmann::json result = nlohmann::json::parse(out, nullptr, false);
    if (result.is_discarded()) {
      fmt::print(stderr, "DuckDB benchmark failed:\n{}\n", out);
      return 1;
    }
    if (round == 0) {
      duckdb = result;
      continue;
    }
    for (const auto& [codec, name] : codecs) {
      for (const char* threads : {"default", "1"}) {
        nlohmann::json& best = duckdb[name][threads];
        const nlohmann::json& now = result.at(name).at(threads);
        if (now.at("seconds") < best.at("seconds")) best = now;
      }
    }
  }

  fmt::print("\n{:<8} {:>22} {:>12} {:>12} {:>10} {:>10} {:>12}\n", "codec",
             "writer", "seconds", "rows/s", "MB", "size/ours", "our read s");
  for (const auto& [codec, name] : codecs) {
    const Figure& mine = ours[name];
    const double our_read =
        TimeOurRead(dir / fmt::format("{}-0.parquet", name), runs, table);
    auto line = [&](const std::string& writer, double seconds, uint64_t bytes,
                    double read) {
      fmt::print(
          "{:<8} {:>22} {:>12.3f} {:>12.0f} {:>10.1f} {:>10.2f} {:>12.3f}\n",
          name, writer, seconds, rows / seconds, bytes / 1e6,
          static_cast<double>(bytes) / mine.bytes, read);
    };
    line("prometheus", mine.seconds, mine.bytes, our_read);
    for (const char* threads : {"default", "1"}) {
      const nlohmann::json& d = duckdb.at(name).at(threads);
      const double read =
          TimeOurRead(d.at("path").get<std::string>(), runs, table);
      line(fmt::format("duckdb ({} threads)",
                       threads == std::string("default")
                           ? std::to_string(duckdb.at("threads").get<int>())
                           : "1"),
           d.at("seconds"), d.at("bytes"), read);
      const double seconds = d.at("seconds");
      fmt::print(
          "{:<8} {:>22} ours/duckdb rows/s = {:.2f}, ours/duckdb size = "
          "{:.2f}\n",
          "", "", seconds / mine.seconds,
          static_cast<double>(mine.bytes) / d.at("bytes").get<double>());
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
