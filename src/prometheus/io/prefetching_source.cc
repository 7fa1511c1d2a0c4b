#include "prometheus/io/prefetching_source.h"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace prometheus::io {
namespace {

class PrefetchingSource final : public ByteSource {
 public:
  PrefetchingSource(std::unique_ptr<ByteSource> inner, size_t buffer_bytes,
                    size_t buffers)
      : inner_(std::move(inner)), name_(inner_->name()) {
    for (size_t i = 0; i < buffers; ++i) {
      free_.push_back(std::vector<char>(buffer_bytes));
    }
    producer_ = std::thread([this] { Produce(); });
  }

  ~PrefetchingSource() override {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    producer_.join();
  }

  Result<size_t> Read(std::span<char> out) override {
    size_t written = 0;
    while (written < out.size()) {
      if (current_offset_ == current_.size()) {
        if (written > 0) break;  // a short read is fine; don't wait
        std::unique_lock lock(mutex_);
        if (current_.capacity() > 0) {
          free_.push_back(std::move(current_));
          changed_.notify_all();
        }
        current_ = {};
        current_offset_ = 0;
        changed_.wait(lock, [this] { return !ready_.empty() || done_; });
        if (ready_.empty()) {
          if (error_) return std::unexpected(*error_);
          return 0;
        }
        current_ = std::move(ready_.front());
        ready_.pop_front();
        changed_.notify_all();
      }
      size_t n = std::min(out.size() - written, current_.size() - current_offset_);
      std::memcpy(out.data() + written, current_.data() + current_offset_, n);
      written += n;
      current_offset_ += n;
    }
    return written;
  }

  const std::string& name() const override { return name_; }

  // Set by the producer before it marks the end under the mutex, and read
  // only after Read has seen that end.
  std::optional<uint64_t> cut_at() const override { return cut_at_; }

 private:
  void Produce() {
    while (true) {
      std::vector<char> buffer;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !free_.empty() || closing_; });
        if (closing_) return;
        buffer = std::move(free_.front());
        free_.pop_front();
      }
      buffer.resize(buffer.capacity());
      size_t filled = 0;
      std::optional<Error> error;
      while (filled < buffer.size()) {
        auto n = inner_->Read(std::span(buffer.data() + filled, buffer.size() - filled));
        if (!n) {
          error = n.error();
          break;
        }
        if (*n == 0) break;
        filled += *n;
      }
      bool end = error.has_value() || filled < buffer.size();
      buffer.resize(filled);
      {
        std::lock_guard lock(mutex_);
        if (filled > 0) ready_.push_back(std::move(buffer));
        if (end) {
          error_ = std::move(error);
          cut_at_ = inner_->cut_at();
          done_ = true;
        }
      }
      changed_.notify_all();
      if (end) return;
    }
  }

  std::unique_ptr<ByteSource> inner_;
  std::string name_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<char>> free_;
  std::deque<std::vector<char>> ready_;
  std::optional<Error> error_;
  std::optional<uint64_t> cut_at_;
  bool done_ = false;
  bool closing_ = false;
  std::vector<char> current_;
  size_t current_offset_ = 0;
  std::thread producer_;
};

}  // namespace

std::unique_ptr<ByteSource> Prefetch(std::unique_ptr<ByteSource> inner,
                                     size_t buffer_bytes, size_t buffers) {
  return std::make_unique<PrefetchingSource>(std::move(inner), buffer_bytes,
                                             buffers);
}

}  // namespace prometheus::io
