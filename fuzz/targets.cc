#include "targets.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "prometheus/delta/delta_log.h"
#include "prometheus/events/event_parser.h"
#include "prometheus/io/byte_source.h"
#include "prometheus/io/codec.h"
#include "prometheus/io/line_reader.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/model/model_builder.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/rewrite/ipynb_json.h"
#include "prometheus/rewrite/sql_tokens.h"
#include "prometheus/rules/engine.h"
#include "prometheus/rules/rule_file.h"

namespace prometheus::fuzz {
namespace {

// Reads every line of `source`, small chunks first so refills are hit.
void ReadLines(io::ByteSource& source, events::EventSink* sink) {
  io::LineReader reader(source, 64);
  events::EventParser parser;
  for (int lines = 0; lines < 100000; ++lines) {
    auto line = reader.Next();
    if (!line || !*line) return;
    if (sink != nullptr) parser.Parse(**line, *sink);
  }
}

// First byte: the codec; the rest: a compressed stream, read to its lines.
void Codec(std::string_view data) {
  if (data.empty()) return;
  auto codec = static_cast<io::Codec>(static_cast<unsigned char>(data[0]) % 6);
  auto source = io::Decompress(codec, io::MemorySource(std::string(data.substr(1)), "fuzz"));
  ReadLines(*source, nullptr);
}

void LineReader(std::string_view data) {
  auto source = io::MemorySource(std::string(data), "fuzz");
  ReadLines(*source, nullptr);
}

// An event log, all the way: lines, events, the model, the KPIs and the
// built-in rules.
void EventLog(std::string_view data) {
  auto source = io::MemorySource(std::string(data), "fuzz");
  model::ModelBuilder builder;
  ReadLines(*source, &builder);
  model::LoadedLog log;
  log.application = std::move(builder).Finish();
  kpi::Analysis analysis = kpi::Analyze(std::move(log), 0);
  static const rules::RuleEngine* engine = new rules::RuleEngine({});
  std::vector<std::string> problems;
  engine->Evaluate(analysis, problems);
}

void RuleFile(std::string_view data) { (void)rules::ParseRuleFile(data, "fuzz.toml"); }

void Parquet(std::string_view data) {
  // One file per process, rewritten for each input.
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("prometheus-fuzz-" + std::to_string(getpid()) + ".parquet");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  (void)parquet::ReadParquet(path);
}

void DeltaLog(std::string_view data) {
  delta::Snapshot snapshot;
  (void)delta::ApplyCommitText(data, "00000000000000000000.json", snapshot);
}

void IpynbJson(std::string_view data) { (void)rewrite::ipynb::ParseJson(data); }

void SqlTokens(std::string_view data) { (void)rewrite::TokenizeSql(data); }

}  // namespace

const std::vector<Target>& Targets() {
  static const auto* targets = new std::vector<Target>{
      {"codec", &Codec},         {"line_reader", &LineReader}, {"event_log", &EventLog},
      {"rule_file", &RuleFile},  {"parquet", &Parquet},        {"delta_log", &DeltaLog},
      {"ipynb_json", &IpynbJson}, {"sql_tokens", &SqlTokens}};
  return *targets;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& target : Targets()) {
    if (name == target.name) return &target;
  }
  return nullptr;
}

}  // namespace prometheus::fuzz
