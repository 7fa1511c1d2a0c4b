#include "prometheus/testing/paths.h"

namespace prometheus::testing {

const char* SourceDir() { return PROMETHEUS_SOURCE_DIR; }
const char* PrometheusBinary() { return PROMETHEUS_BINARY; }

}  // namespace prometheus::testing
