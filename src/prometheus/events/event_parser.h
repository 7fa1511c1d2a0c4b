// Decodes Spark event-log lines (JSON, one event per line) with simdjson
// On-Demand and hands typed events to an EventSink.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "prometheus/events/events.h"
#include "prometheus/io/line_reader.h"

namespace prometheus::events {

enum class LineOutcome {
  kEvent,    // a known event, passed to the sink
  kIgnored,  // valid JSON whose event Prometheus does not use
  kBlank,    // an empty line
  kCorrupt,  // not valid JSON or not an event; see last_error()
};

// Not thread-safe: use one parser per thread.
class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // Decodes `line` and calls at most one method of `sink`.
  LineOutcome Parse(const io::Line& line, EventSink& sink);

  // Why the last kCorrupt line was rejected.
  const std::string& last_error() const { return last_error_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string last_error_;
};

}  // namespace prometheus::events
