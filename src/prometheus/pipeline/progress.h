// How the pipeline tells its caller how far loading has come. The pipeline
// never draws: the command line draws a bar on a terminal, the Python
// package may call back into Python, the distributed mode may do nothing.
#pragma once

#include <cstdint>

namespace prometheus::pipeline {

class Progress {
 public:
  virtual ~Progress() = default;

  // Called once before any Advance, with the bytes of every log to read.
  virtual void Begin(uint64_t total_bytes) = 0;
  // `bytes` more were read. Called from the loading threads at once: must be
  // thread-safe.
  virtual void Advance(uint64_t bytes) = 0;
  // Called once after the last Advance.
  virtual void End() = 0;
};

}  // namespace prometheus::pipeline
