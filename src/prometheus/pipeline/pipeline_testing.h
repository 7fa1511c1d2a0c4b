// Lakes for the pipeline's tests, filled through the pipeline itself.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "prometheus/pipeline/observe.h"
#include "prometheus/testing/paths.h"

namespace prometheus::pipeline {

// Observes `source` (default: the sample logs) into the lake at `store`.
inline void ObserveInto(const std::filesystem::path& store,
                        const std::filesystem::path& source =
                            prometheus::testing::RepoPath("testdata/eventlogs")) {
  ObserveRequest request;
  request.sources = {source};
  request.store = store;
  auto batch = CollectNewLogs(request, nullptr);
  ASSERT_TRUE(batch) << batch.error().message;
  auto stored = StoreBatch(store, *batch);
  ASSERT_TRUE(stored) << stored.error().message;
}

}  // namespace prometheus::pipeline
