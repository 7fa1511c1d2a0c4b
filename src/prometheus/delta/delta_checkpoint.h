// Reads the actions of a Delta checkpoint (classic or one part of a
// multi-part one): a Parquet file of nested structs, one action per row.
#pragma once

#include <filesystem>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/delta/delta_log.h"

namespace prometheus::delta {

// Applies every action of the checkpoint file to `snapshot`.
Status ApplyCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                       Snapshot& snapshot);

}  // namespace prometheus::delta
