#include "prometheus/report/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "prometheus/report/format.h"

namespace prometheus::report {

ProgressBar::ProgressBar(uint64_t total_bytes, bool enabled)
    : total_(std::max<uint64_t>(total_bytes, 1)) {
  if (!enabled) return;
  painter_ = std::thread([this] {
    auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    // Quick work finishes before the first frame and shows no bar.
    while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(200),
                                  [this] { return stopping_; })) {
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      if (seconds >= 0.5) Draw(seconds);
    }
  });
}

ProgressBar::~ProgressBar() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (painter_.joinable()) painter_.join();
  if (drawn_) std::fputs("\r\033[2K", stderr);
}

void ProgressBar::Draw(double seconds) {
  uint64_t done = std::min(done_.load(std::memory_order_relaxed), total_);
  double fraction = static_cast<double>(done) / static_cast<double>(total_);
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  std::string line = fmt::format(
      "\r[{}] {:3.0f}%  {} of {}  {}/s", bar, fraction * 100,
      FormatBytes(static_cast<double>(done)), FormatBytes(static_cast<double>(total_)),
      FormatBytes(static_cast<double>(done) / std::max(seconds, 1e-3)));
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void TerminalProgress::Begin(uint64_t total_bytes) {
  bar_.reset();
  bar_.emplace(total_bytes, enabled_);
}

void TerminalProgress::Advance(uint64_t bytes) {
  if (bar_) bar_->Advance(bytes);
}

}  // namespace prometheus::report
