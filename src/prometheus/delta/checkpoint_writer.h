// Writes classic Delta checkpoints (PROTOCOL.md "Checkpoints"): one Parquet
// file N.checkpoint.parquet of a table's reconciled state, one action per
// row, and the _last_checkpoint hint naming it.
#pragma once

#include <cstdint>

#include "prometheus/base/result.h"
#include "prometheus/delta/delta_log.h"
#include "prometheus/delta/delta_table.h"

namespace prometheus::delta {

// Delta's default: a checkpoint after every 10th commit.
inline constexpr int64_t kDefaultCheckpointInterval = 10;
// How long a removed file stays in checkpoints as a tombstone (Delta's
// delta.deletedFileRetentionDuration default, one week).
inline constexpr int64_t kDefaultDeletedFileRetentionMs = 7LL * 24 * 3600 * 1000;

// The table's delta.checkpointInterval, or the default when unset or not a
// positive integer.
int64_t CheckpointInterval(const Metadata& metadata);

// Writes the checkpoint of `snapshot` (its protocol, metadata, txns, live
// files and the tombstones younger than delta.deletedFileRetentionDuration
// at `now_ms`), then replaces _last_checkpoint through a rename, so that
// neither is ever seen torn. A checkpoint already there for that version is
// left as it is.
Status WriteCheckpoint(const DeltaTable& table, const Snapshot& snapshot, int64_t now_ms);

// WriteCheckpoint when `snapshot`'s version is a positive multiple of the
// table's checkpoint interval; otherwise nothing.
Status CheckpointIfDue(const DeltaTable& table, const Snapshot& snapshot, int64_t now_ms);

// After `actions` landed as the commit following `before`: the same for the
// snapshot they make. Writers call it best-effort; the commit stands either
// way and a later one checkpoints.
Status CheckpointAfterCommit(const DeltaTable& table, const Snapshot& before,
                             const std::vector<std::string>& actions, int64_t now_ms);

}  // namespace prometheus::delta
