// How a Python file can call a function of a module at one place, reusing
// its imports or adding one (after ruff's get_or_import_symbol).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

struct ImportedSymbol {
  std::string callee;        // "F.broadcast", "broadcast", "b"
  std::optional<Edit> edit;  // the import to add or extend, if any
};

// How to call `module`.`name` (e.g. "pyspark.sql.functions", "broadcast")
// at byte `use_offset`. Reuses, in this order, an import of the name itself
// (`from m import name [as b]`), an import of the module (`import m as F`,
// `from pyspark.sql import functions as fn`, `import m`), or a star import;
// else extends an existing `from m import a, b`, else adds
// `from m import name` after the last top-level import. Usable imports are
// the module-level ones before the use site and those in the functions
// enclosing it; imports under `if TYPE_CHECKING:` or other blocks are not.
// Fails when the bare name is bound to something else in scope and no
// module alias is available.
Result<ImportedSymbol> ImportSymbol(const PythonSource& source,
                                    std::string_view module,
                                    std::string_view name, uint32_t use_offset);

// Every spelling by which the file, anywhere, calls `module`.`name` through
// its imports ("b", "F.broadcast", "pyspark.sql.functions.broadcast"), plus
// the bare name and "<module leaf>.<name>".
std::vector<std::string> SymbolSpellings(const PythonSource& source,
                                         std::string_view module,
                                         std::string_view name);

}  // namespace prometheus::rewrite
