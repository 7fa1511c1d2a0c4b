// A lake table as `show` prints it: aligned columns (one record a block for
// wide tables), JSON records or CSV.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/parquet/table.h"

namespace prometheus::report {

// A cell as printed: timestamps in ISO 8601 UTC with milliseconds, nulls as
// "".
std::string CellText(const parquet::Table& table, size_t column, size_t row);

// The rows whose cells print as each COLUMN=VALUE of `where` says, at most
// `limit` of them (0: all). Fails with kInvalidArgument on a condition that
// is not COLUMN=VALUE with a column of the table named `table_name`.
Result<std::vector<size_t>> SelectRows(const parquet::Table& table,
                                       const std::vector<std::string>& where, int64_t limit,
                                       std::string_view table_name);

// Columns aligned under their names, cells cut at 40 characters; a table of
// more than 8 columns is printed one record at a time, like psql's \x.
std::string RenderTableText(const parquet::Table& table, const std::vector<size_t>& rows);

// An array of one object per row; timestamps as text, nulls as null.
std::string RenderTableJson(const parquet::Table& table, const std::vector<size_t>& rows);

// A header line, then one RFC 4180 line per row.
std::string RenderTableCsv(const parquet::Table& table, const std::vector<size_t>& rows);

// "(N row(s) of M, version V)".
std::string RenderRowCount(size_t shown, size_t total, int64_t version);

}  // namespace prometheus::report
