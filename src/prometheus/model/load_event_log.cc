#include "prometheus/model/load_event_log.h"

#include <memory>

#include "prometheus/events/event_parser.h"
#include "prometheus/io/byte_source.h"
#include "prometheus/io/codec.h"
#include "prometheus/io/line_reader.h"
#include "prometheus/io/prefetching_source.h"
#include "prometheus/model/model_builder.h"

namespace prometheus::model {
namespace {

// Counts the compressed bytes that pass through, for progress reports.
class CountingSource final : public io::ByteSource {
 public:
  CountingSource(std::unique_ptr<io::ByteSource> inner, uint64_t& counter)
      : inner_(std::move(inner)), counter_(counter) {}
  Result<size_t> Read(std::span<char> buffer) override {
    auto n = inner_->Read(buffer);
    if (n) counter_ += *n;
    return n;
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<io::ByteSource> inner_;
  uint64_t& counter_;
};

std::string AppIdFromPath(const io::EventLogInput& input) {
  std::string name = std::filesystem::path(input.name).filename().string();
  if (name.starts_with("eventlog_v2_")) name = name.substr(12);
  for (std::string_view suffix :
       {".inprogress", ".lz4", ".lzf", ".snappy", ".zstd", ".zst", ".gz"}) {
    if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  }
  return name;
}

// What a codec calls its unit of compression.
std::string_view UnitName(io::Codec codec) {
  switch (codec) {
    case io::Codec::kZstd:
      return "frame";
    case io::Codec::kGzip:
      return "member";
    case io::Codec::kLzf:
    case io::Codec::kSnappy:
      return "chunk";
    default:
      return "block";
  }
}

std::string CutSentence(const CutPart& cut) {
  return fmt::format(
      "{}: compressed stream ends early: the {} {} starting at byte {} is "
      "incomplete ({}), so events after that byte may be missing",
      cut.file, io::CodecName(cut.codec), UnitName(cut.codec), cut.offset,
      cut.file.ends_with(".inprogress")
          ? "normal for a log still being written"
          : "the file was cut short or is still being written");
}

}  // namespace

std::vector<std::string> LoadWarnings(const LoadedLog& log) {
  std::vector<std::string> out;
  for (const CutPart& cut : log.cut_parts) out.push_back(CutSentence(cut));
  if (log.app_id_from_file_name) {
    out.push_back(fmt::format(
        "{}: no SparkListenerApplicationStart event, so the application id "
        "{} was taken from the file name",
        log.input.name, log.application.app_id));
  }
  return out;
}

Result<LoadedLog> LoadEventLog(const io::EventLogInput& input,
                               const ProgressFn& progress) {
  LoadedLog log;
  log.input = input;
  if (input.parts.empty()) {
    return Fail(ErrorCode::kNotFound, "{}: no event-log part in this folder yet",
                input.name);
  }
  ModelBuilder builder;
  events::EventParser parser;
  uint64_t compressed_bytes = 0;
  uint64_t reported_at = 0;
  for (size_t p = 0; p < input.parts.size(); ++p) {
    const io::LogPart& part = input.parts[p];
    PROM_ASSIGN_OR_RETURN(auto file, io::OpenFile(part.path));
    auto counted = std::make_unique<CountingSource>(std::move(file),
                                                    compressed_bytes);
    std::unique_ptr<io::ByteSource> source =
        io::Decompress(part.codec, std::move(counted));
    // Decompression runs on its own core, overlapped with parsing.
    if (part.codec != io::Codec::kNone) source = io::Prefetch(std::move(source));
    io::LineReader reader(*source);
    bool last_part = p + 1 == input.parts.size();
    while (true) {
      PROM_ASSIGN_OR_RETURN(auto line, reader.Next());
      if (!line) break;
      ++log.lines;
      switch (parser.Parse(*line, builder)) {
        case events::LineOutcome::kEvent:
          ++log.events;
          break;
        case events::LineOutcome::kIgnored:
          ++log.ignored_events;
          break;
        case events::LineOutcome::kBlank:
          break;
        case events::LineOutcome::kCorrupt:
          if (!line->terminated && last_part) {
            log.truncated_tail = true;
            break;
          }
          ++log.corrupt_line_count;
          if (log.corrupt_lines.size() < kMaxReportedCorruptLines) {
            log.corrupt_lines.push_back(
                {part.path.string(), line->number, parser.last_error()});
          }
          break;
      }
      if (progress && compressed_bytes - reported_at >= (8u << 20)) {
        reported_at = compressed_bytes;
        progress(compressed_bytes);
      }
    }
    log.decompressed_bytes += reader.bytes_read();
    if (auto cut = source->cut_at()) {
      log.cut_parts.push_back({part.path.string(), part.codec, *cut});
    }
  }
  if (progress) progress(compressed_bytes);
  if (log.events == 0) {
    return Fail(
        ErrorCode::kCorrupt,
        "{}: no Spark events in {} line(s): expected JSON lines with an "
        "\"Event\" field{}{}",
        input.name, log.lines,
        log.corrupt_line_count > 0
            ? fmt::format(" (first bad line {}: {})",
                          log.corrupt_lines.front().line,
                          log.corrupt_lines.front().reason)
            : std::string(),
        log.cut_parts.empty()
            ? std::string()
            : fmt::format("; it is truncated: {}",
                          CutSentence(log.cut_parts.front())));
  }
  log.application = std::move(builder).Finish();
  if (log.application.app_id.empty()) {
    log.application.app_id = AppIdFromPath(input);
    log.app_id_from_file_name = true;
  }
  return log;
}

}  // namespace prometheus::model
