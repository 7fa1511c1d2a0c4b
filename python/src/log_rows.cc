// log_rows, table_schema, merge_keys: what the distributed observe
// (prometheus/spark.py) asks of the native library on a Spark executor and
// on the driver.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <Python.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "prometheus/cli/observe_command.h"
#include "prometheus/delta/delta_schema.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/log_rows.h"
#include "prometheus/unity/uc_sql.h"

namespace nb = nanobind;

namespace prometheus::python {
namespace {

// The error as the Python exception a caller expects of it: a missing log
// is FileNotFoundError, a bad argument ValueError, the rest OSError.
[[noreturn]] void Raise(const Error& error) {
  PyObject* type = error.code == ErrorCode::kNotFound          ? PyExc_FileNotFoundError
                   : error.code == ErrorCode::kInvalidArgument ? PyExc_ValueError
                                                               : PyExc_OSError;
  PyErr_SetString(type, error.message.c_str());
  throw nb::python_error();
}

nb::list ToList(const std::vector<std::string>& texts) {
  nb::list out;
  for (const auto& text : texts) out.append(nb::str(text.data(), text.size()));
  return out;
}

nb::dict LogRows(std::vector<std::string> sources, std::optional<std::string> since,
                 std::optional<int64_t> now_ms, std::vector<std::string> rule_folders,
                 std::vector<std::string> disabled, std::vector<std::string> thresholds) {
  pipeline::LogRowsRequest request;
  request.sources.assign(sources.begin(), sources.end());
  if (since) {
    request.since_ms = cli::ParseDurationMs(*since);
    if (!request.since_ms) {
      Raise({ErrorCode::kInvalidArgument,
             "since=" + *since + ": expected a number and a unit, as in 30m, 24h or 7d"});
    }
  }
  request.now_ms = now_ms;
  // With no folder, ./rules is read when it exists, as on the command line:
  // callers on an executor name one.
  request.rules = {rule_folders, disabled, thresholds};
  Result<pipeline::LogRows> rows;
  {
    nb::gil_scoped_release release;
    rows = pipeline::RowsOfLogs(request);
  }
  if (!rows) Raise(rows.error());
  nb::dict out;
  out[lake::kMetricsTable.data()] = ToList(rows->metrics);
  out[lake::kApplicationsTable.data()] = ToList(rows->applications);
  out[lake::kRecommendationsTable.data()] = ToList(rows->recommendations);
  out["warnings"] = ToList(rows->warnings);
  out["applications_read"] = rows->applications_read;
  out["applications_before_since"] = rows->applications_before_since;
  return out;
}

std::string TableSchema(const std::string& table) {
  const parquet::Schema* schema = lake::TableSchema(table);
  if (schema == nullptr) Raise({ErrorCode::kInvalidArgument, "no table named " + table});
  return delta::SchemaString(*schema);
}

}  // namespace

void BindLogRows(nb::module_& m) {
  m.def("log_rows", &LogRows, nb::arg("sources"), nb::kw_only(), nb::arg("since") = nb::none(),
        nb::arg("now_ms") = nb::none(), nb::arg("rule_folders") = std::vector<std::string>{},
        nb::arg("disabled") = std::vector<std::string>{},
        nb::arg("thresholds") = std::vector<std::string>{},
        "The rows the logs under `sources` add to the three tables, as `observe` then "
        "`recommend` store them: {table: [JSON row, ...], 'warnings': [...], "
        "'applications_read': n, 'applications_before_since': n}. The GIL is released "
        "while the logs are read.");
  m.def("table_schema", &TableSchema, nb::arg("table"),
        "The table's schema as Delta's schemaString (Spark's StructType JSON).");
  m.def("merge_keys", [](const std::string& table) { return unity::MergeKeys(table); },
        nb::arg("table"), "The columns that key the table's rows for a MERGE.");
}

}  // namespace prometheus::python
