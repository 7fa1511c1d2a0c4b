#include "prometheus/cli/show_command.h"

#include <cstdlib>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/cli/uc_store_access.h"
#include "prometheus/pipeline/lake_table.h"
#include "prometheus/report/table_report.h"

namespace prometheus::cli {
namespace {

struct ShowOptions {
  std::string table;
  std::string store = "prometheus-lake";
  std::vector<std::string> where;
  int64_t limit = 50;
  std::string format = "table";
  UcOptions uc;
};

// The table from a Unity Catalog store, as ReadLakeTable gives a lake's.
Result<pipeline::LakeTable> ReadUcTable(const ShowOptions& options) {
  PROM_ASSIGN_OR_RETURN(UcAccess access, OpenUcStore(options.store, options.uc));
  PROM_ASSIGN_OR_RETURN(parquet::Table table, access.store->ReadTable(options.table));
  const auto rows = static_cast<int64_t>(table.num_rows());
  return pipeline::LakeTable{std::move(table), 0, rows};
}

int RunShow(const ShowOptions& options) {
  // Without --where, the first --limit rows are the table's first: only the
  // files holding them are read, and the total comes from the log.
  const size_t head = options.where.empty() ? static_cast<size_t>(options.limit) : 0;
  auto read = unity::IsUcStore(options.store)
                  ? ReadUcTable(options)
                  : pipeline::ReadLakeTable(options.store, options.table, head);
  if (!read) return ExitWith(read.error());
  const parquet::Table& table = read->table;
  auto rows = report::SelectRows(table, options.where, options.limit, options.table);
  if (!rows) return ExitWith(rows.error());
  if (options.format == "json") {
    Write(Out(), report::RenderTableJson(table, *rows));
  } else if (options.format == "csv") {
    Write(Out(), report::RenderTableCsv(table, *rows));
  } else {
    Write(Out(), report::RenderTableText(table, *rows));
    Write(Err(), report::RenderRowCount(rows->size(), read->total_rows, read->version));
  }
  return kExitOk;
}

}  // namespace

void AddShowCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand("show", "Print a table of the lake.");
  cmd->footer(
      "TABLE is prometheus_metrics, prometheus_applications or "
      "prometheus_recommendations (docs/TABLES.md).\n\nExit codes: 0 done; 1 "
      "the table could not be read; 2 bad arguments or no such table yet.");
  cmd->add_option("table", options->table, "The table to print")->required();
  if (const char* storage = std::getenv("PROMETHEUS_STORAGE"); storage && *storage) {
    options->store = storage;
  }
  cmd->add_option("--store", options->store,
                  "The lake folder, or uc:CATALOG.SCHEMA (default: $PROMETHEUS_STORAGE)")
      ->capture_default_str();
  AddUcOptions(*cmd, options->uc, /*writes=*/false, /*profile=*/true);
  cmd->add_option("--where", options->where,
                  "Keep rows whose COLUMN=VALUE (the value as printed); repeatable");
  cmd->add_option("--limit", options->limit, "At most this many rows (0: all)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("-f,--format", options->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunShow(*options); });
}

}  // namespace prometheus::cli
