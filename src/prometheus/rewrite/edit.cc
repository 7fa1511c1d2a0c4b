#include "prometheus/rewrite/edit.h"

#include <algorithm>

namespace prometheus::rewrite {

Result<std::string> ApplyEdits(std::string_view original, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  for (size_t i = 0; i < edits.size(); ++i) {
    const Edit& edit = edits[i];
    if (edit.start > edit.end || edit.end > original.size()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "edit [{}, {}) lies outside the {}-byte buffer", edit.start, edit.end,
                  original.size());
    }
    if (i > 0 && edit.start < edits[i - 1].end) {
      return Fail(ErrorCode::kInvalidArgument,
                  "edits [{}, {}) and [{}, {}) overlap", edits[i - 1].start, edits[i - 1].end,
                  edit.start, edit.end);
    }
  }
  std::string out;
  out.reserve(original.size());
  uint32_t copied = 0;
  for (const Edit& edit : edits) {
    out.append(original.substr(copied, edit.start - copied));
    out.append(edit.text);
    copied = edit.end;
  }
  out.append(original.substr(copied));
  return out;
}

}  // namespace prometheus::rewrite
