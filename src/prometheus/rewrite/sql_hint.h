// The `broadcast_hint` fix for SQL inside Python: `/*+ BROADCAST(x) */`
// after the SELECT of the query block that joins the target table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// Where the hint goes in one SQL text.
struct SqlHintPlacement {
  std::vector<Edit>
      edits;         // offsets into the SQL text; empty when already hinted
  std::string name;  // the alias (or the table as written) named in the hint
};

// Finds `table` (matched whole, or by its last dotted component, ignoring
// case and backticks) among the FROM and JOIN clauses of `sql`. It must be
// read exactly once, in a query block that joins. Inserts the hint right
// after that block's SELECT, or adds `BROADCAST(x)` to a `/*+ ... */`
// already there. Fails with the reason when it cannot place the hint.
Result<SqlHintPlacement> PlaceBroadcastHint(std::string_view sql,
                                            std::string_view table);

// The one insertion two insertions of a new hint comment at the same offset
// make (` /*+ BROADCAST(p) */` and ` /*+ BROADCAST(t) */` give
// ` /*+ BROADCAST(p), BROADCAST(t) */`), as when two fixes of one run hint
// the same query block; the first unchanged when its comment holds the
// second's hint already; nullopt for any other pair of edits.
std::optional<Edit> MergedHintComment(const Edit& first, const Edit& second);

// The tables named in the FROM and JOIN clauses of `sql`, as written
// (`sales.dim`, `` `dim` ``), in order; CTE names included.
Result<std::vector<std::string>> SqlTableReferences(std::string_view sql);

// True when the table names are the same ignoring ASCII case and backticks,
// one being the other or a dotted suffix of it (`dim` ~ `sales.dim`).
bool SameTableName(std::string_view written, std::string_view target);

// The `spark.sql(<literal>)` call whose span holds `line` (1-based), or
// else the one in the statement that spans it (the action chained on it): a
// plain, raw, triple-quoted or f-string literal, not a concatenation. An
// f-string naming the table inside a {} expression is refused. Line 0
// searches the whole file: exactly one literal must take the hint.
Result<FixPlan> PlanSqlBroadcastFix(const PythonSource& source,
                                    std::string_view table, uint32_t line);

// A `.sql(<literal>)` call that can take (or already has) the hint.
struct SqlCandidate {
  uint32_t line = 0;  // where the call starts
  FixPlan plan;
};

// Every `.sql(...)` call in the file whose literal can take the hint for
// `table`, in document order.
std::vector<SqlCandidate> SqlBroadcastCandidates(const PythonSource& source,
                                                 std::string_view table);

// The table as written on `side` of the one join of `sql` whose ON or
// USING condition spells every key (a condition spelling no name fits
// unless `keys_spelled`; no keys fit any join): the second of `FROM a JOIN
// b` or `FROM a, b` is the right side, as in the plan. The left side of a
// later join in a chain is the earlier joins' result and is refused, as
// are several fitting joins.
Result<std::string> SqlJoinSideTable(std::string_view sql, fix::JoinSide side,
                                     const std::vector<std::string>& keys,
                                     bool keys_spelled);

// The `spark.sql(<literal>)` call spanning `line`, hinted on `side` of its
// join (SqlJoinSideTable): for a small side the log cannot name (a
// temporary view over a DataFrame), or names as the code does not.
Result<FixPlan> PlanSqlBroadcastFixBySide(const PythonSource& source,
                                          fix::JoinSide side,
                                          const std::vector<std::string>& keys,
                                          bool keys_spelled, uint32_t line);

// True when a `.sql(...)` call spans `line`, or the statement spanning it
// holds one.
bool HasSqlCall(const PythonSource& source, uint32_t line);

}  // namespace prometheus::rewrite
