// Byte-range edits on a buffer. Every edit is relative to the original
// buffer, so edits from several fixes can be collected in one list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rewrite {

// Replaces bytes [start, end) with `text`; start == end inserts.
struct Edit {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;
};

// Applies `edits` to `original`. Bytes outside the edited ranges are copied
// unchanged. Insertions at one offset keep their order and go before a
// replacement starting there. Fails, changing nothing, when two edits
// overlap or one lies outside the buffer.
Result<std::string> ApplyEdits(std::string_view original, std::vector<Edit> edits);

}  // namespace prometheus::rewrite
