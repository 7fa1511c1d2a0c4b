// A progress bar on stderr for long work. It draws only on a terminal and
// only once the work has taken more than a moment.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

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

}  // namespace prometheus::report
