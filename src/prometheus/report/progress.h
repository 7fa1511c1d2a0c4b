// A progress bar on stderr for long work. It draws only on a terminal and
// only once the work has taken more than a moment.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "prometheus/pipeline/progress.h"

namespace prometheus::report {

class ProgressBar {
 public:
  // Draws nothing unless `enabled` (stderr is a terminal, say).
  ProgressBar(uint64_t total_bytes, bool enabled);
  // Erases the bar.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Thread-safe.
  void Advance(uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }

 private:
  void Draw(double seconds);

  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread painter_;
};

// The pipeline's loading progress as a ProgressBar on stderr, from Begin to
// End.
class TerminalProgress final : public pipeline::Progress {
 public:
  // Draws nothing unless `enabled` (stderr is a terminal, say).
  explicit TerminalProgress(bool enabled) : enabled_(enabled) {}

  void Begin(uint64_t total_bytes) override;
  void Advance(uint64_t bytes) override;
  void End() override { bar_.reset(); }

 private:
  bool enabled_;
  std::optional<ProgressBar> bar_;
};

}  // namespace prometheus::report
