#include "prometheus/cli/uc_store_access.h"

#include <fmt/format.h>

#include <cstdlib>

#include "prometheus/databricks/config.h"
#include "prometheus/http/curl_transport.h"

namespace prometheus::cli {

void AddUcOptions(CLI::App& command, UcOptions& options, bool writes, bool profile) {
  command.add_option("--warehouse-id", options.warehouse_id,
                     "With --store uc:CATALOG.SCHEMA: the SQL warehouse that runs the statements "
                     "(default: $DATABRICKS_WAREHOUSE_ID)");
  if (!writes) {
    if (profile) command.add_option("--profile", options.profile, "The ~/.databrickscfg profile to use");
    return;
  }
  command.add_option("--staging-volume", options.staging_volume,
                     "With --store uc:CATALOG.SCHEMA: where batches are staged as Parquet "
                     "(default: /Volumes/CATALOG/SCHEMA/prometheus_staging)");
  if (profile) command.add_option("--profile", options.profile, "The ~/.databrickscfg profile to use");
}

Result<UcAccess> OpenUcStore(const std::string& store, const UcOptions& options) {
  PROM_ASSIGN_OR_RETURN(unity::UcLocation location,
                        unity::ParseUcStore(store, options.staging_volume));
  std::string warehouse = options.warehouse_id;
  if (warehouse.empty()) {
    if (const char* env = std::getenv("DATABRICKS_WAREHOUSE_ID"); env != nullptr) warehouse = env;
  }
  if (warehouse.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--store {}: a Unity Catalog store needs a SQL warehouse: set "
                "DATABRICKS_WAREHOUSE_ID or give --warehouse-id", store);
  }
  std::optional<std::string> profile;
  if (!options.profile.empty()) profile = options.profile;
  PROM_ASSIGN_OR_RETURN(databricks::Config config,
                        databricks::ResolveConfig(databricks::ProcessEnvironment(), profile));
  UcAccess access;
  access.transport = http::CurlTransport();
  access.workspace = std::make_unique<databricks::Workspace>(std::move(config), *access.transport);
  databricks::StatementOptions statements;
  statements.warehouse_id = warehouse;
  access.store = std::make_unique<unity::UcStore>(*access.workspace, statements, std::move(location));
  return access;
}

}  // namespace prometheus::cli
