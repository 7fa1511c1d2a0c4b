#include "prometheus/cli/terminal.h"

namespace prometheus::cli {

Streams& CurrentStreams() {
  static Streams streams;
  return streams;
}

}  // namespace prometheus::cli
