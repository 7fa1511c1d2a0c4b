// Reads the actions of a Delta checkpoint (classic, one part of a
// multi-part one, or v2 with its sidecars): a Parquet file of nested
// structs, one action per row.
#pragma once

#include <filesystem>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/delta/delta_log.h"

namespace prometheus::delta {

// Applies every action of the checkpoint file to `snapshot`, and those of
// the sidecar files a v2 checkpoint names (_delta_log/_sidecars/).
Status ApplyCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                       Snapshot& snapshot);

// The same for a v2 checkpoint in JSON (N.checkpoint.<uuid>.json): one
// action per line, the add and remove actions usually in its sidecars.
Status ApplyJsonCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                           Snapshot& snapshot);

}  // namespace prometheus::delta
