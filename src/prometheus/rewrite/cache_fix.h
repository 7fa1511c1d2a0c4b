// The `cache` fix: `.cache()` on data read several times.
#pragma once

#include <cstdint>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

struct CacheTarget : ReadTarget {
  // 1-based call-site line; 0: anywhere in the file.
  uint32_t line = 0;
};

// Finds exactly one assignment `name = <expression that reads the target>`
// (ReadsTarget) whose name is used at least twice afterwards, in the
// assignment's scope and before the name is bound again. With a line (the
// log names the action that read the data, often on a frame derived from
// the name), only assignments made before it in a function or module that
// spans it are considered.
// Appends `.cache()` to the right-hand side (after the closing parenthesis
// of a parenthesised one; an operator expression is parenthesised first).
// A right-hand side whose chain already holds .cache()/.persist(...), or a
// later `name.cache()`/`name.persist(...)`, gives no edits. The note says
// to call `name.unpersist()` after the last use. Fails with the reason: no
// such assignment, several, or the name used fewer than twice.
Result<FixPlan> PlanCacheFix(const PythonSource& source,
                             const CacheTarget& target);

}  // namespace prometheus::rewrite
