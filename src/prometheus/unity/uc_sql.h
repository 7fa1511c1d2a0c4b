// The SQL that keeps Prometheus' tables in Unity Catalog: where they are
// (`uc:CATALOG.SCHEMA`, identifiers checked strictly, for identifiers cannot
// be parameters), their DDL from the lake's schemas, the keyed MERGE that
// loads a staged Parquet file, and the SELECT that reads a table back.
// Values always travel as named parameters, never in the text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/parquet/table.h"

namespace prometheus::unity {

struct UcLocation {
  std::string catalog;
  std::string schema;
  std::string staging_volume;  // /Volumes/<catalog>/<schema>/<volume>[/...]
  bool default_volume = false;  // staging_volume is the default one, created when missing

  // `catalog`.`schema`.`table`
  std::string Table(std::string_view table) const;
};

bool IsUcStore(std::string_view store);

// "uc:CATALOG.SCHEMA" with an optional staging volume path (empty: the
// default /Volumes/CATALOG/SCHEMA/prometheus_staging). Names are letters,
// digits and '_' (not starting with a digit), at most 255 characters; the
// volume path is /Volumes/ and three such names, then folders of letters,
// digits, '_', '-' and '.'. Anything else is kInvalidArgument naming it.
Result<UcLocation> ParseUcStore(std::string_view store, std::string_view staging_volume = "");

// Spark SQL's name for a column type (BIGINT, DOUBLE, STRING...).
std::string SqlType(parquet::ColumnType type);

// CREATE VOLUME IF NOT EXISTS for the default staging volume.
std::string CreateDefaultVolumeSql(const UcLocation& location);

// CREATE TABLE IF NOT EXISTS for one of the lake's tables, its columns and
// nullability as the lake writes them.
Result<std::string> CreateTableSql(const UcLocation& location, std::string_view table);

// The columns a table's rows are keyed by: a batch merged twice updates
// the rows it wrote the first time and inserts nothing.
const std::vector<std::string>& MergeKeys(std::string_view table);

// MERGE INTO the table from the Parquet file named by the parameter
// `:staged` (read_files), matched on MergeKeys (null-safe): matched rows
// are updated, others inserted.
Result<std::string> MergeSql(const UcLocation& location, std::string_view table);

// Every column of the table in schema order, timestamps as microseconds
// since the epoch (unix_micros), ordered by MergeKeys.
Result<std::string> SelectSql(const UcLocation& location, std::string_view table);

}  // namespace prometheus::unity
