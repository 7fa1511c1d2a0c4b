// Which side of a join Spark can broadcast. Spark builds the hash table (or
// the broadcast nested loop) on a side whose rows it need not all keep: an
// outer join preserves its outer side(s), a semi or anti join its left side,
// and a broadcast hint on a preserved side is ignored. A hint there is a
// wrong edit, so the fixes refuse it.
#pragma once

#include <optional>
#include <string_view>

#include "prometheus/fix/fix.h"

namespace prometheus::rewrite {

enum class JoinType {
  kInner,
  kCross,
  kLeftOuter,
  kRightOuter,
  kFullOuter,
  kLeftSemi,
  kLeftAnti
};

// The join type a DataFrame `how=` or the words of a SQL join (`LEFT OUTER`,
// joined without spaces) spell, as Spark reads them: case, `_` and spaces
// aside (`left_outer`, `LEFT OUTER`, `leftouter`, `outer`, `full`, `semi`,
// `left_anti`...). An empty spelling is an inner join. Nullopt for a word
// Spark would reject.
std::optional<JoinType> JoinTypeNamed(std::string_view spelled);

// "inner", "left outer", ... as a reason names it.
std::string_view JoinTypeName(JoinType type);

// True when Spark can broadcast `side` of a join of `type`.
bool CanBroadcast(JoinType type, fix::JoinSide side);

}  // namespace prometheus::rewrite
