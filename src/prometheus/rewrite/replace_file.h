// Replacing a source file's bytes so that a failure leaves the original whole
// and nothing beside it.
#pragma once

#include <filesystem>
#include <string_view>

#include "prometheus/base/result.h"

namespace prometheus::rewrite {

// Writes `text` to a temporary file in `path`'s folder, gives it `path`'s
// permissions and renames it over `path`. On any failure (a read-only folder
// or mount, an immutable file, a full disk) the temporary file is removed,
// `path` is unchanged, and the error (code kIo) names what failed.
Status ReplaceFile(const std::filesystem::path& path, std::string_view text);

}  // namespace prometheus::rewrite
