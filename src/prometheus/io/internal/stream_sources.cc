#include "prometheus/io/internal/stream_sources.h"

// Lets next_in point at const bytes.
#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "prometheus/base/result.h"
#include "prometheus/io/internal/input_buffer.h"

namespace prometheus::io::internal {
namespace {

// Decompresses straight into the caller's buffer. A subclass runs one step
// of its library; the loop here feeds it input and treats the end of input,
// even mid-frame, as the end of the stream, noting where the unfinished
// frame (or member) began.
class StreamSource : public ByteSource {
 public:
  explicit StreamSource(std::unique_ptr<ByteSource> compressed)
      : in_(std::move(compressed)) {}

  Result<size_t> Read(std::span<char> buffer) final {
    if (buffer.empty()) return 0;
    while (true) {
      if (in_.size() == 0) PROM_TRY(in_.Ensure(1));
      const bool at_end = in_.size() == 0;
      const uint64_t at = in_.offset();
      PROM_ASSIGN_OR_RETURN(StepResult step, Step(buffer));
      in_.Consume(step.consumed);
      if (step.consumed > 0 && !in_frame_) {
        in_frame_ = true;
        frame_start_ = at;
      }
      if (step.frame_done) in_frame_ = false;
      if (step.produced > 0) return step.produced;
      if (step.stalled) {
        // The library cannot move without more bytes than are buffered.
        if (at_end) return End();
        PROM_ASSIGN_OR_RETURN(bool more, in_.Ensure(in_.size() + 1));
        if (!more) return End();
      }
    }
  }

  const std::string& name() const final { return in_.name(); }
  std::optional<uint64_t> cut_at() const final { return cut_at_; }

 protected:
  struct StepResult {
    size_t consumed = 0;
    size_t produced = 0;
    // True when nothing moved: the library needs more input.
    bool stalled = false;
    // True when the step finished a frame (zstd) or member (gzip).
    bool frame_done = false;
  };

  // Decodes what it can of in().data() into `out`.
  virtual Result<StepResult> Step(std::span<char> out) = 0;

  InputBuffer& in() { return in_; }

 private:
  size_t End() {
    if (in_frame_ || in_.size() > 0) cut_at_ = in_frame_ ? frame_start_ : in_.offset();
    return 0;
  }

  InputBuffer in_;
  bool in_frame_ = false;
  uint64_t frame_start_ = 0;
  std::optional<uint64_t> cut_at_;
};

class ZstdSource final : public StreamSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> compressed)
      : StreamSource(std::move(compressed)), stream_(ZSTD_createDStream()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

 private:
  Result<StepResult> Step(std::span<char> out) override {
    if (stream_ == nullptr) {
      return Fail(ErrorCode::kInternal, "{}: out of memory for zstd", name());
    }
    ZSTD_inBuffer input{in().data(), in().size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    size_t status = ZSTD_decompressStream(stream_, &output, &input);
    if (ZSTD_isError(status)) {
      return Fail(ErrorCode::kCorrupt,
                  "{}: corrupt zstd stream near byte {}: {}", name(),
                  in().offset() + input.pos, ZSTD_getErrorName(status));
    }
    // 0: a frame is complete and fully flushed.
    return StepResult{input.pos, output.pos,
                      input.pos == 0 && output.pos == 0, status == 0};
  }

  ZSTD_DStream* stream_;
};

class GzipSource final : public StreamSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> compressed)
      : StreamSource(std::move(compressed)) {
    // 15 + 32: the largest window, with a gzip or zlib header detected.
    ok_ = inflateInit2(&stream_, 15 + 32) == Z_OK;
  }
  ~GzipSource() override {
    if (ok_) inflateEnd(&stream_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

 private:
  Result<StepResult> Step(std::span<char> out) override {
    if (!ok_) {
      return Fail(ErrorCode::kInternal, "{}: cannot initialize zlib", name());
    }
    const uInt in_size = static_cast<uInt>(std::min<size_t>(in().size(), kMax));
    const uInt out_size = static_cast<uInt>(std::min<size_t>(out.size(), kMax));
    stream_.next_in = reinterpret_cast<const Bytef*>(in().data());
    stream_.avail_in = in_size;
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = out_size;
    int status = inflate(&stream_, Z_NO_FLUSH);
    StepResult step{in_size - stream_.avail_in, out_size - stream_.avail_out};
    if (status == Z_STREAM_END) {
      // One member is done; whatever follows must be another member.
      inflateReset(&stream_);
      step.frame_done = true;
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      return Fail(ErrorCode::kCorrupt,
                  "{}: corrupt gzip stream near byte {}: {}", name(),
                  in().offset() + step.consumed,
                  stream_.msg != nullptr ? stream_.msg : zError(status));
    } else {
      step.stalled = step.consumed == 0 && step.produced == 0;
    }
    return step;
  }

  static constexpr size_t kMax = std::numeric_limits<uInt>::max();

  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> NewZstdSource(
    std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<ZstdSource>(std::move(compressed));
}

std::unique_ptr<ByteSource> NewGzipSource(
    std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<GzipSource>(std::move(compressed));
}

}  // namespace prometheus::io::internal
