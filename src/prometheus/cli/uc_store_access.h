// `--store uc:CATALOG.SCHEMA` for the commands that read or write the
// store: the workspace from the usual Databricks configuration, the SQL
// warehouse from --warehouse-id or DATABRICKS_WAREHOUSE_ID.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include "prometheus/base/result.h"
#include "prometheus/databricks/workspace.h"
#include "prometheus/http/http.h"
#include "prometheus/unity/uc_store.h"

namespace prometheus::cli {

struct UcOptions {
  std::string warehouse_id;    // empty: $DATABRICKS_WAREHOUSE_ID
  std::string staging_volume;  // empty: /Volumes/CATALOG/SCHEMA/prometheus_staging
  std::string profile;         // empty: the environment, then [DEFAULT]
};

// Adds --warehouse-id, and --staging-volume for a command that writes (and,
// with `profile`, --profile).
void AddUcOptions(CLI::App& command, UcOptions& options, bool writes, bool profile);

// An open Unity Catalog store and the connection it uses.
struct UcAccess {
  std::unique_ptr<http::Transport> transport;
  std::unique_ptr<databricks::Workspace> workspace;
  std::unique_ptr<unity::UcStore> store;
};

// Fails with kInvalidArgument, in one line saying what to set, when the
// store's name, the warehouse or the credentials are missing or malformed.
Result<UcAccess> OpenUcStore(const std::string& store, const UcOptions& options);

}  // namespace prometheus::cli
