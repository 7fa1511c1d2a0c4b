// Reads the actions of a Delta checkpoint (classic, one part of a
// multi-part one, or v2 with its sidecars): a Parquet file of nested
// structs, one action per row.
#pragma once

#include <filesystem>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/delta/delta_log.h"

namespace prometheus::delta {

// What a snapshot is read with beyond its live files, their tags and the
// table's metadata. Readers that neither vacuum nor write checkpoints need no
// tombstones (a checkpoint keeps them for the retention period: often as many
// rows as there are live files); readers that neither count rows nor skip
// files need no add.stats. What a checkpoint holds but is not wanted is not
// decoded.
struct LoadOptions {
  bool tombstones = true;  // false: Snapshot::tombstones is left empty
  bool stats = true;       // false: AddFile::stats may be left empty
};

// Applies every action of the checkpoint file to `snapshot`, and those of
// the sidecar files a v2 checkpoint names (_delta_log/_sidecars/).
// `options` says which actions and fields may be skipped unread.
Status ApplyCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                       Snapshot& snapshot, const LoadOptions& options = {});

// The same for a v2 checkpoint in JSON (N.checkpoint.<uuid>.json): one
// action per line, the add and remove actions usually in its sidecars.
Status ApplyJsonCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                           Snapshot& snapshot, const LoadOptions& options = {});

}  // namespace prometheus::delta
