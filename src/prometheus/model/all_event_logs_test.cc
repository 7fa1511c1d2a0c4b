// Every real event log in ../shared/eventlogs, found the way
// ../shared/checks/kpi_contract.py finds them, loads without crashing, and its
// stage and task counts agree with a plain text scan of its lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/io/byte_source.h"
#include "prometheus/io/codec.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/io/line_reader.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/testing/paths.h"

namespace prometheus::model {
namespace {

namespace fs = std::filesystem;

// One input of the contract check: a file, or a rolling folder with its
// events_* files.
struct Target {
  fs::path path;
  std::vector<fs::path> parts;
};

bool IsExpectationOrTable(const fs::path& file) {
  std::string ext = file.extension().string();
  return ext == ".csv" || ext == ".json" || ext == ".md" || ext == ".tsv";
}

// Like kpi_contract.py's inputs(): a rolling `eventlog_v2_*` folder is one
// input; History Server `*Expectations*` folders, tables and 0-byte files are
// skipped; every other file is an input of its own.
void CollectTargets(const fs::path& dir, std::vector<Target>& out) {
  if (dir.filename().string().starts_with("eventlog_v2_")) {
    Target target{dir, {}};
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename().string().starts_with("events_")) {
        target.parts.push_back(entry.path());
      }
    }
    std::sort(target.parts.begin(), target.parts.end());
    out.push_back(std::move(target));
    return;
  }
  if (dir.string().find("Expectations") != std::string::npos) return;
  std::vector<fs::directory_entry> entries(fs::directory_iterator(dir), {});
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    if (entry.is_directory()) {
      CollectTargets(entry.path(), out);
    } else if (entry.is_regular_file() && !IsExpectationOrTable(entry.path()) &&
               entry.file_size() > 0) {
      out.push_back({entry.path(), {entry.path()}});
    }
  }
}

struct ScannedCounts {
  int64_t stage_completed = 0;
  int64_t task_end = 0;
};

// Counts event lines by substring, without the JSON parser. Spark writes its
// JSON compactly, so the key and value are always adjacent like this.
ScannedCounts Scan(const std::vector<fs::path>& parts) {
  constexpr std::string_view kStageCompleted =
      "\"Event\":\"SparkListenerStageCompleted\"";
  constexpr std::string_view kTaskEnd = "\"Event\":\"SparkListenerTaskEnd\"";
  ScannedCounts counts;
  for (const auto& part : parts) {
    auto file = io::OpenFile(part);
    EXPECT_TRUE(file.has_value()) << file.error().message;
    if (!file) continue;
    auto source = io::Decompress(io::CodecFromPath(part), std::move(*file));
    io::LineReader reader(*source);
    while (true) {
      auto line = reader.Next();
      EXPECT_TRUE(line.has_value()) << part << ": " << line.error().message;
      if (!line || !*line) break;
      std::string_view text = (*line)->text;
      if (text.find(kStageCompleted) != std::string_view::npos) {
        ++counts.stage_completed;
      } else if (text.find(kTaskEnd) != std::string_view::npos) {
        ++counts.task_end;
      }
    }
  }
  return counts;
}

struct Tally {
  int checked = 0;
  int refused = 0;
  int64_t tasks = 0;
};

void CheckTarget(const Target& target, Tally& tally) {
  ASSERT_FALSE(target.parts.empty());
  ScannedCounts want = Scan(target.parts);

  auto inputs = io::FindEventLogs({target.path});
  ASSERT_TRUE(inputs.has_value()) << inputs.error().message;
  ASSERT_EQ(inputs->inputs.size(), 1u);
  const io::EventLogInput& input = inputs->inputs.front();
  ASSERT_EQ(input.parts.size(), target.parts.size());

  auto log = LoadEventLog(input);
  ++tally.checked;
  if (!log) {
    // Only a fragment without stages or tasks may be refused, by name.
    EXPECT_EQ(want.stage_completed, 0) << log.error().message;
    EXPECT_EQ(want.task_end, 0) << log.error().message;
    EXPECT_NE(log.error().message.find(input.name), std::string::npos)
        << log.error().message;
    ++tally.refused;
    return;
  }
  EXPECT_GT(log->events, 0);
  EXPECT_FALSE(log->application.app_id.empty());

  int64_t finished_stages = 0;
  int64_t tasks = 0;
  for (const auto& [key, stage] : log->application.stages) {
    if (stage.status == StageStatus::kComplete ||
        stage.status == StageStatus::kFailed) {
      ++finished_stages;
    }
    tasks += stage.num_completed_tasks + stage.num_failed_tasks +
             stage.num_killed_tasks;
  }
  EXPECT_EQ(finished_stages, want.stage_completed)
      << "stage attempts COMPLETE or FAILED vs StageCompleted events";
  EXPECT_EQ(tasks, want.task_end)
      << "completed + failed + killed tasks vs TaskEnd events";
  EXPECT_EQ(log->application.task_end_events, want.task_end);
  tally.tasks += tasks;
}

TEST(AllEventLogsTest, LoadAndAgreeWithTextScan) {
  fs::path root = testing::SharedEventLog("");
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::vector<Target> targets;
  CollectTargets(root, targets);

  Tally tally;
  for (const Target& target : targets) {
    SCOPED_TRACE(fs::relative(target.path, root).string());
    CheckTarget(target, tally);
  }

  std::cout << "[          ] checked " << tally.checked << " event logs ("
            << tally.refused << " refused as fragments), " << tally.tasks
            << " tasks\n";
  RecordProperty("event_logs_checked", tally.checked);
  EXPECT_GE(tally.checked, 100);
  // The corpus is real Spark runs: nearly all of them must load.
  EXPECT_LE(tally.refused, tally.checked / 10);
}

}  // namespace
}  // namespace prometheus::model
