// The joins behind an action. An event log's call site is the line of the
// action that ran the job (`totals.collect()`), often far below the join
// that made the data (`joined = facts.join(products, ...)`): these
// functions follow the DataFrames of that line back to their joins.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The `.join(...)` calls whose results the statement at 1-based `line` uses,
// nearest first: from every name in that statement back through the last
// assignment of the name before the statement that uses it (any scope,
// `x = x.filter(...)` included), and through every call and argument of the
// right-hand sides, so both sides of a join are followed. The statement is
// the innermost one (a child of a block) that spans the line. Empty when the
// line holds no statement or nothing leads to a join.
std::vector<TSNode> JoinsBehind(const PythonSource& source, uint32_t line);

// A join's condition: its second positional argument or `on=`; a null node
// when absent.
TSNode JoinCondition(const PythonSource& source, TSNode join);

// A join's type as written: its third positional argument or `how=`; a null
// node when absent (an inner join).
TSNode JoinHow(const PythonSource& source, TSNode join);

// The column names a join's condition (`on`: its second positional
// argument or `on=`) spells: a string or a list of strings, and in an
// expression the strings of `col("k")`-like calls, `df.k` attributes and
// `df["k"]` subscripts. Empty when the condition is absent or spells none.
std::vector<std::string> JoinConditionNames(const PythonSource& source,
                                            TSNode join);

}  // namespace prometheus::rewrite
