// The SQL Statement Execution API (POST /api/2.0/sql/statements): a
// statement with named parameters run on a SQL warehouse, polled until it
// ends, its JSON_ARRAY result read inline chunk by chunk.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/workspace.h"

namespace prometheus::databricks {

// A named parameter marker `:name`; a value of nullopt is SQL NULL. `type`
// is a Databricks type name (BIGINT, DOUBLE, TIMESTAMP...); empty: STRING.
struct StatementParameter {
  std::string name;
  std::optional<std::string> value;
  std::string type;
};

struct StatementResult {
  std::string statement_id;
  std::vector<std::string> columns;
  // Every row of every chunk; each value as the API renders it (a string),
  // nullopt for NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
};

struct StatementOptions {
  std::string warehouse_id;
  // How long to wait between polls: the first wait, growing by half each
  // poll up to the second.
  std::chrono::milliseconds first_poll{50};
  std::chrono::milliseconds max_poll{2000};
  // A statement still running after this long is cancelled and fails.
  std::chrono::milliseconds time_limit{std::chrono::minutes(30)};
};

// Runs one statement to its end. A statement that ends FAILED (the service
// answers HTTP 200 with status.state FAILED), CANCELED or CLOSED is an error
// with the service's code and message and the statement's first words;
// requests that fail are errors naming the endpoint. Statements must be
// safe to repeat: a POST that got no answer is sent again.
Result<StatementResult> ExecuteStatement(const Workspace& workspace, const StatementOptions& options,
                                         const std::string& statement,
                                         const std::vector<StatementParameter>& parameters);

}  // namespace prometheus::databricks
