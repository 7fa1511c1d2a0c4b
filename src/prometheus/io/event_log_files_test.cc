// FindEventLogs on layouts built in a temporary folder, and on the real
// folders in ../shared/eventlogs.
#include "prometheus/io/event_log_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::io {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kLine = "{\"Event\":\"SparkListenerLogStart\"}\n";

using prometheus::testing::TempDir;

std::vector<std::string> PartNames(const EventLogInput& input) {
  std::vector<std::string> names;
  for (const auto& part : input.parts) {
    names.push_back(part.path.filename().string());
  }
  return names;
}

std::vector<Codec> PartCodecs(const EventLogInput& input) {
  std::vector<Codec> codecs;
  for (const auto& part : input.parts) codecs.push_back(part.codec);
  return codecs;
}

// The one log FindEventLogs finds under `path`.
EventLogInput FindOne(const fs::path& path) {
  auto found = FindEventLogs({path});
  EXPECT_TRUE(found.has_value()) << found.error().message;
  if (!found) return {};
  EXPECT_EQ(found->inputs.size(), 1u) << path;
  return found->inputs.empty() ? EventLogInput{} : found->inputs.front();
}

TEST(FindEventLogsTest, RollingFolderPartsInNumericOrder) {
  TempDir tmp;
  tmp.Write("eventlog_v2_app-1/events_10_app-1", "tenth\n");
  tmp.Write("eventlog_v2_app-1/events_1_app-1", "first line\n");
  tmp.Write("eventlog_v2_app-1/events_2_app-1.zstd", "zz");
  tmp.Write("eventlog_v2_app-1/appstatus_app-1.inprogress", "");
  fs::path dir = tmp.path() / "eventlog_v2_app-1";
  EventLogInput input = FindOne(dir);
  EXPECT_EQ(input.layout, LogLayout::kRolling);
  EXPECT_EQ(input.name, dir.string());
  EXPECT_THAT(
      PartNames(input),
      ElementsAre("events_1_app-1", "events_2_app-1.zstd", "events_10_app-1"));
  EXPECT_THAT(PartCodecs(input),
              ElementsAre(Codec::kNone, Codec::kZstd, Codec::kNone));
  ASSERT_EQ(input.parts.size(), 3u);
  EXPECT_EQ(input.parts[0].size_bytes, 11u);
  EXPECT_EQ(input.parts[1].size_bytes, 2u);
  EXPECT_EQ(input.total_bytes(), 11u + 2u + 6u);
  EXPECT_TRUE(input.in_progress);
  EXPECT_FALSE(input.compacted);
}

TEST(FindEventLogsTest, RollingFolderWithFinishedAppStatusIsComplete) {
  TempDir tmp;
  tmp.Write("eventlog_v2_app-1/events_1_app-1", kLine);
  tmp.Write("eventlog_v2_app-1/appstatus_app-1", "");
  EventLogInput input = FindOne(tmp.path() / "eventlog_v2_app-1");
  EXPECT_FALSE(input.in_progress);
  EXPECT_THAT(PartNames(input), ElementsAre("events_1_app-1"));
}

TEST(FindEventLogsTest, RollingFolderWithCompactFileIsCompacted) {
  TempDir tmp;
  tmp.Write("eventlog_v2_app-1/events_2_app-1.compact", kLine);
  tmp.Write("eventlog_v2_app-1/events_3_app-1", kLine);
  tmp.Write("eventlog_v2_app-1/appstatus_app-1", "");
  EventLogInput input = FindOne(tmp.path() / "eventlog_v2_app-1");
  EXPECT_TRUE(input.compacted);
  EXPECT_THAT(PartNames(input),
              ElementsAre("events_2_app-1.compact", "events_3_app-1"));
}

TEST(FindEventLogsTest, CompressedCompactFileKeepsItsCodec) {
  // Spark's compactor names the file after the last compressed part plus
  // ".compact", and EventLogFileWriter.codecName strips ".compact" first.
  TempDir tmp;
  tmp.Write("eventlog_v2_app-1/events_2_app-1.zstd.compact", kLine);
  tmp.Write("eventlog_v2_app-1/events_3_app-1.zstd", kLine);
  tmp.Write("eventlog_v2_app-1/appstatus_app-1", "");
  EventLogInput input = FindOne(tmp.path() / "eventlog_v2_app-1");
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kZstd, Codec::kZstd));
}

TEST(FindEventLogsTest, RollingFolderReadsFromLastCompactFile) {
  // When the files the compactor replaced are still there, reading them would
  // count their events twice: Spark's RollingEventLogFilesFileReader drops
  // every file before the last .compact one (dropBeforeLastCompactFile).
  TempDir tmp;
  tmp.Write("eventlog_v2_app-1/events_1_app-1", kLine);
  tmp.Write("eventlog_v2_app-1/events_2_app-1", kLine);
  tmp.Write("eventlog_v2_app-1/events_2_app-1.compact", kLine);
  tmp.Write("eventlog_v2_app-1/events_3_app-1", kLine);
  tmp.Write("eventlog_v2_app-1/appstatus_app-1", "");
  EventLogInput input = FindOne(tmp.path() / "eventlog_v2_app-1");
  EXPECT_THAT(PartNames(input),
              ElementsAre("events_2_app-1.compact", "events_3_app-1"));
}

TEST(FindEventLogsTest, LegacyDirectoryCompleteOnlyWithMarker) {
  TempDir tmp;
  tmp.Write("local-1/EVENT_LOG_1", kLine);
  tmp.Write("local-1/SPARK_VERSION_1.2.0", "");
  EXPECT_TRUE(FindOne(tmp.path() / "local-1").in_progress);
  tmp.Write("local-1/APPLICATION_COMPLETE", "");
  EventLogInput input = FindOne(tmp.path() / "local-1");
  EXPECT_EQ(input.layout, LogLayout::kLegacyDir);
  EXPECT_EQ(input.name, (tmp.path() / "local-1").string());
  EXPECT_THAT(PartNames(input), ElementsAre("EVENT_LOG_1"));
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kNone));
  EXPECT_FALSE(input.in_progress);
}

TEST(FindEventLogsTest, LegacyDirectoryCodecFromMarker) {
  TempDir tmp;
  tmp.Write("local-1/EVENT_LOG_1", "LZ4Block");
  tmp.Write("local-1/SPARK_VERSION_1.2.0", "");
  tmp.Write("local-1/COMPRESSION_CODEC_lz4", "");
  tmp.Write("local-1/APPLICATION_COMPLETE", "");
  EventLogInput input = FindOne(tmp.path() / "local-1");
  EXPECT_THAT(PartNames(input), ElementsAre("EVENT_LOG_1"));
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kLz4));
}

TEST(FindEventLogsTest, LegacyDirectoryCodecFromClassName) {
  // Spark 1.x writes COMPRESSION_CODEC_ + the spark.io.compression.codec
  // value, which may be a class name (Spark 1.0's default was
  // org.apache.spark.io.LZFCompressionCodec).
  TempDir tmp;
  tmp.Write("local-1/EVENT_LOG_1", "ZV");
  tmp.Write("local-1/SPARK_VERSION_1.0.0", "");
  tmp.Write("local-1/COMPRESSION_CODEC_org.apache.spark.io.LZFCompressionCodec",
            "");
  EventLogInput input = FindOne(tmp.path() / "local-1");
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kLzf));
}

TEST(FindEventLogsTest, DatabricksFolderRotatedPartsByTimeThenCurrent) {
  TempDir tmp;
  tmp.Write("cluster/eventlog", kLine);
  tmp.Write("cluster/eventlog-2021-06-15--15-00.gz", kLine);
  tmp.Write("cluster/eventlog-2021-06-15--14-00.gz", kLine);
  EventLogInput input = FindOne(tmp.path() / "cluster");
  EXPECT_EQ(input.layout, LogLayout::kDatabricks);
  EXPECT_THAT(PartNames(input),
              ElementsAre("eventlog-2021-06-15--14-00.gz",
                          "eventlog-2021-06-15--15-00.gz", "eventlog"));
  EXPECT_THAT(PartCodecs(input),
              ElementsAre(Codec::kGzip, Codec::kGzip, Codec::kNone));
  EXPECT_FALSE(input.in_progress);
}

TEST(FindEventLogsTest, WalksNestedFoldersSkippingMarkersSorted) {
  TempDir tmp;
  tmp.Write("zeta/app-3.lz4", kLine);
  tmp.Write("alpha/beta/app-2.snappy", kLine);
  tmp.Write("alpha/app-1", kLine);
  tmp.Write("alpha/_SUCCESS", "");
  tmp.Write("alpha/appstatus_app-9", "");
  tmp.Write("alpha/empty-log", "");
  tmp.Write(".hidden/app-4", kLine);
  tmp.Write("mid/eventlog_v2_app-5/events_1_app-5.lzf", kLine);
  tmp.Write("mid/eventlog_v2_app-5/appstatus_app-5", "");
  auto found = FindEventLogs({tmp.path()});
  ASSERT_TRUE(found.has_value()) << found.error().message;
  std::vector<std::string> names;
  std::vector<Codec> codecs;
  for (const auto& input : found->inputs) {
    names.push_back(fs::relative(input.name, tmp.path()).string());
    codecs.push_back(input.parts.front().codec);
  }
  EXPECT_THAT(names, ElementsAre("alpha/app-1", "alpha/beta/app-2.snappy",
                                 "mid/eventlog_v2_app-5", "zeta/app-3.lz4"));
  EXPECT_THAT(codecs, ElementsAre(Codec::kNone, Codec::kSnappy, Codec::kLzf,
                                  Codec::kLz4));
}

TEST(FindEventLogsTest, MissingPathIsErrorNamingIt) {
  TempDir tmp;
  fs::path missing = tmp.path() / "no-such-log.zstd";
  auto found = FindEventLogs({missing});
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(found.error().message, HasSubstr(missing.string()));
}

TEST(FindEventLogsTest, ExplicitEmptyFileIsErrorNamingIt) {
  TempDir tmp;
  fs::path empty = tmp.Write("app-1", "");
  auto found = FindEventLogs({empty});
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(found.error().message, HasSubstr(empty.string()));
  EXPECT_THAT(found.error().message, HasSubstr("empty"));
}

TEST(FindEventLogsTest, FolderWithoutLogsIsErrorNamingIt) {
  TempDir tmp;
  tmp.Write("only/_SUCCESS", "");
  auto found = FindEventLogs({tmp.path() / "only"});
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(found.error().message, HasSubstr((tmp.path() / "only").string()));
}

TEST(FindEventLogsTest, SingleFileFlagsAndCodecFromSuffix) {
  TempDir tmp;
  struct Case {
    std::string name;
    Codec codec;
    bool in_progress;
  };
  for (const Case& c :
       std::vector<Case>{{"app-1.inprogress", Codec::kNone, true},
                         {"app-2.zstd.inprogress", Codec::kZstd, true},
                         {"app-3.zst", Codec::kZstd, false},
                         {"app-4.lz4", Codec::kLz4, false},
                         {"app-5.lzf", Codec::kLzf, false},
                         {"app-6.snappy", Codec::kSnappy, false},
                         {"app-7.gz", Codec::kGzip, false},
                         {"application_1_0001_1", Codec::kNone, false}}) {
    fs::path file = tmp.Write(c.name, kLine);
    EventLogInput input = FindOne(file);
    EXPECT_EQ(input.layout, LogLayout::kSingleFile) << c.name;
    EXPECT_EQ(input.name, file.string());
    ASSERT_EQ(input.parts.size(), 1u) << c.name;
    EXPECT_EQ(input.parts[0].codec, c.codec) << c.name;
    EXPECT_EQ(input.in_progress, c.in_progress) << c.name;
    EXPECT_FALSE(input.compacted) << c.name;
  }
}

constexpr const char* kQualification =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/"
    "spark-events-qualification/";

TEST(FindEventLogsTest, RealRollingFolder) {
  fs::path dir = testing::SharedEventLog(std::string(kQualification) +
                                         "eventlog_v2_local-1623876083964");
  EventLogInput input = FindOne(dir);
  EXPECT_EQ(input.layout, LogLayout::kRolling);
  EXPECT_THAT(PartNames(input),
              ElementsAre("events_1_local-1623876083964.zstd",
                          "events_2_local-1623876083964.zstd"));
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kZstd, Codec::kZstd));
  EXPECT_EQ(input.total_bytes(), 496917u + 48700u);
  EXPECT_FALSE(input.in_progress);
}

TEST(FindEventLogsTest, RealDatabricksFolder) {
  fs::path dir =
      testing::SharedEventLog(std::string(kQualification) + "db_sim_eventlog");
  EventLogInput input = FindOne(dir);
  EXPECT_EQ(input.layout, LogLayout::kDatabricks);
  EXPECT_THAT(PartNames(input),
              ElementsAre("eventlog-2021-06-15--15-00.gz", "eventlog"));
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kGzip, Codec::kNone));
}

TEST(FindEventLogsTest, RealLegacyDirectory) {
  fs::path dir = testing::SharedEventLog(
      "apache__spark/_legacy_dir_format/core/src/test/resources/spark-events/"
      "local-1422981759269");
  EventLogInput input = FindOne(dir);
  EXPECT_EQ(input.layout, LogLayout::kLegacyDir);
  EXPECT_THAT(PartNames(input), ElementsAre("EVENT_LOG_1"));
  EXPECT_FALSE(input.in_progress);
}

TEST(FindEventLogsTest, CodecFromContentWhenTheNameHasNone) {
  TempDir tmp;
  tmp.Write("db/eventlog", std::string("\x1F\x8B\x08\x00", 4));
  EventLogInput input = FindOne(tmp.path() / "db");
  EXPECT_THAT(PartCodecs(input), ElementsAre(Codec::kGzip));
}

TEST(FindEventLogsTest, ARollingFolderWithoutPartsDoesNotStopTheWalk) {
  TempDir tmp;
  tmp.Write("logs/eventlog_v2_app-1/appstatus_app-1.inprogress", "");
  tmp.Write("logs/app-2", "{}\n");
  auto inputs = FindEventLogs({tmp.path() / "logs"});
  ASSERT_TRUE(inputs.has_value()) << inputs.error().message;
  ASSERT_EQ(inputs->inputs.size(), 2u);
  EXPECT_TRUE(inputs->inputs[1].parts.empty());
}

// Runs `find` in a child process as the unprivileged user `nobody` (root
// reads any folder whatever its mode) and returns what it wrote to its pipe;
// nullopt when this machine cannot drop privileges.
std::optional<std::string> AsNobody(const std::function<std::string()>& find) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return std::nullopt;
  pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    bool dropped = ::setgid(65534) == 0 && ::setuid(65534) == 0;
    std::string report = dropped ? "ok\n" + find() : "cannot drop privileges";
    ssize_t ignored = ::write(pipe_fds[1], report.data(), report.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    report.append(buffer, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  ::waitpid(child, nullptr, 0);
  if (!report.starts_with("ok\n")) return std::nullopt;
  return report.substr(3);
}

TEST(FindEventLogsTest, AnUnreadableSubfolderIsSkippedWithASentenceNamingIt) {
  TempDir tmp;
  tmp.Write("logs/good/app-1", "{}\n");
  tmp.Write("logs/locked/app-2", "{}\n");
  tmp.Write("logs/zeta/app-3", "{}\n");
  fs::permissions(tmp.path(), fs::perms::all);
  for (const char* dir : {"logs", "logs/good", "logs/zeta"}) {
    fs::permissions(tmp.path() / dir, fs::perms::owner_all | fs::perms::others_read |
                                          fs::perms::others_exec);
  }
  for (const char* file : {"logs/good/app-1", "logs/zeta/app-3"}) {
    fs::permissions(tmp.path() / file, fs::perms::owner_all | fs::perms::others_read);
  }
  fs::permissions(tmp.path() / "logs/locked", fs::perms::owner_all);
  auto report = AsNobody([&] {
    auto found = FindEventLogs({tmp.path() / "logs"});
    if (!found) return "error: " + found.error().message;
    std::string out;
    for (const auto& input : found->inputs) out += "input " + input.name + "\n";
    for (const auto& skipped : found->skipped) out += "skipped " + skipped + "\n";
    return out;
  });
  if (!report) GTEST_SKIP() << "cannot run a child as nobody here";
  const std::string logs = (tmp.path() / "logs").string();
  EXPECT_EQ(*report, "input " + logs + "/good/app-1\n" + "input " + logs +
                         "/zeta/app-3\n" + "skipped " + logs +
                         "/locked: cannot list folder: Permission denied; skipped\n")
      << *report;
}

TEST(FindEventLogsTest, ANamedFolderWithNothingReadableIsAnErrorSayingWhy) {
  TempDir tmp;
  tmp.Write("logs/locked/app-2", "{}\n");
  fs::permissions(tmp.path(), fs::perms::all);
  fs::permissions(tmp.path() / "logs", fs::perms::owner_all | fs::perms::others_read |
                                           fs::perms::others_exec);
  fs::permissions(tmp.path() / "logs/locked", fs::perms::owner_all);
  auto report = AsNobody([&] {
    auto found = FindEventLogs({tmp.path() / "logs"});
    return found ? std::string("found") : found.error().message;
  });
  if (!report) GTEST_SKIP() << "cannot run a child as nobody here";
  EXPECT_EQ(*report, (tmp.path() / "logs").string() +
                         ": folder holds no readable event-log file (" +
                         (tmp.path() / "logs/locked").string() +
                         ": cannot list folder: Permission denied; skipped)");
}

TEST(FindEventLogsTest, AFifoIsAnErrorSayingWhatItIs) {
  TempDir tmp;
  fs::path fifo = tmp.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto found = FindEventLogs({fifo});
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(found.error().message,
            fifo.string() +
                ": not a regular file or folder (a FIFO, socket or device): "
                "expected an event-log file or a folder of them");
  // Met while walking a folder, it is passed over like any other non-file.
  tmp.Write("app-1", "{}\n");
  auto walked = FindEventLogs({tmp.path()});
  ASSERT_TRUE(walked.has_value()) << walked.error().message;
  EXPECT_EQ(walked->inputs.size(), 1u);
  EXPECT_TRUE(walked->skipped.empty());
}

}  // namespace
}  // namespace prometheus::io
