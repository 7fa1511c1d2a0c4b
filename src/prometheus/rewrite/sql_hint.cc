#include "prometheus/rewrite/sql_hint.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "prometheus/rewrite/join_type.h"
#include "prometheus/rewrite/sql_tokens.h"

namespace prometheus::rewrite {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Words that end a table reference instead of naming its alias.
bool EndsReference(std::string_view word) {
  static const std::set<std::string> kWords = {
      "ON",      "USING",      "WHERE", "JOIN",   "INNER",   "LEFT",
      "RIGHT",   "FULL",       "OUTER", "CROSS",  "SEMI",    "ANTI",
      "NATURAL", "GROUP",      "ORDER", "HAVING", "LIMIT",   "UNION",
      "EXCEPT",  "INTERSECT",  "MINUS", "WINDOW", "LATERAL", "TABLESAMPLE",
      "CLUSTER", "DISTRIBUTE", "SORT",  "PIVOT",  "UNPIVOT", "QUALIFY",
      "SELECT",  "FROM",       "WITH",  "AS",     "OFFSET"};
  return kWords.contains(Upper(word));
}

std::string Unquoted(std::string_view text) {
  if (text.size() >= 2 && text.front() == '`' && text.back() == '`')
    text = text.substr(1, text.size() - 2);
  return Upper(text);
}

// Dotted components, upper-cased, backticks removed.
std::vector<std::string> Components(std::string_view name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    parts.push_back(Unquoted(name.substr(start, dot - start)));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

}  // namespace

bool SameTableName(std::string_view written, std::string_view target) {
  auto a = Components(written), b = Components(target);
  if (a.size() > b.size()) std::swap(a, b);
  return std::equal(a.rbegin(), a.rend(), b.rbegin());
}

namespace {

struct TableRef {
  size_t block = kNone;  // token index of the block's SELECT
  std::string hint_name;
  // The join the reference is a direct side of: the one after it for the
  // first table of a FROM, else the one whose JOIN names it. Nullopt for
  // join words Spark would reject.
  std::optional<JoinType> type = JoinType::kInner;
  fix::JoinSide side = fix::JoinSide::kLeft;
  size_t past = 0;      // the token after the reference (and its alias)
  std::string written;  // the table as written
};

// Words that spell a join's type before JOIN (NATURAL aside).
bool JoinTypeWord(std::string_view word) {
  static const std::set<std::string> kWords = {
      "INNER", "CROSS", "LEFT", "RIGHT", "FULL", "OUTER", "SEMI", "ANTI"};
  return kWords.contains(Upper(word));
}

class HintPlanner {
 public:
  HintPlanner(std::string_view sql, std::vector<SqlToken> tokens)
      : sql_(sql), tokens_(std::move(tokens)) {}

  bool Symbol(size_t k, char c) const {
    return k < tokens_.size() && tokens_[k].kind == SqlTokenKind::kSymbol &&
           sql_[tokens_[k].start] == c;
  }
  bool NamePart(size_t k) const {
    return k < tokens_.size() &&
           (tokens_[k].kind == SqlTokenKind::kWord ||
            tokens_[k].kind == SqlTokenKind::kQuotedIdentifier);
  }

  // Reads `name [[AS] alias]` at `k`; returns the index past it, or kNone.
  size_t ReadReference(size_t k, size_t block, std::string_view table) {
    if (!NamePart(k) || EndsReference(TokenText(sql_, tokens_[k])))
      return kNone;
    size_t last = k;
    while (Symbol(last + 1, '.') && NamePart(last + 2)) last += 2;
    if (Symbol(last + 1, '(')) return kNone;  // a table-valued function
    std::string_view name =
        sql_.substr(tokens_[k].start, tokens_[last].end - tokens_[k].start);
    size_t next = last + 1;
    std::string_view alias;
    if (next < tokens_.size() && IsKeyword(sql_, tokens_[next], "AS") &&
        NamePart(next + 1)) {
      alias = TokenText(sql_, tokens_[next + 1]);
      next += 2;
    } else if (NamePart(next) &&
               !EndsReference(TokenText(sql_, tokens_[next]))) {
      alias = TokenText(sql_, tokens_[next]);
      next += 1;
    }
    all_names_.emplace_back(name);
    if (record_all_ || SameTableName(name, table)) {
      refs_.push_back(
          TableRef{block, std::string(alias.empty() ? name : alias)});
      refs_.back().past = next;
      refs_.back().written = std::string(name);
    }
    return next;
  }

  // The join type the words before the JOIN at `k` spell.
  std::optional<JoinType> TypeBefore(size_t k) const {
    size_t first = k;
    while (first > 0 && tokens_[first - 1].kind == SqlTokenKind::kWord &&
           JoinTypeWord(TokenText(sql_, tokens_[first - 1]))) {
      --first;
    }
    std::string spelled;
    for (size_t w = first; w < k; ++w) spelled += TokenText(sql_, tokens_[w]);
    return JoinTypeNamed(spelled);
  }

  void Scan(std::string_view table) {
    std::vector<size_t> select_at = {
        kNone};  // innermost SELECT per paren depth
    // Per paren depth, the target reference of a FROM awaiting its join.
    std::vector<size_t> awaiting = {kNone};
    for (size_t k = 0; k < tokens_.size(); ++k) {
      if (Symbol(k, '(')) {
        select_at.push_back(kNone);
        awaiting.push_back(kNone);
      } else if (Symbol(k, ')')) {
        if (select_at.size() > 1) select_at.pop_back();
        if (awaiting.size() > 1) awaiting.pop_back();
      } else if (IsKeyword(sql_, tokens_[k], "SELECT")) {
        select_at.back() = k;
      } else if (IsKeyword(sql_, tokens_[k], "JOIN") ||
                 IsKeyword(sql_, tokens_[k], "FROM")) {
        bool from = IsKeyword(sql_, tokens_[k], "FROM");
        std::optional<JoinType> type;
        if (!from) {
          joined_.insert(select_at.back());
          type = TypeBefore(k);
          if (awaiting.back() != kNone) refs_[awaiting.back()].type = type;
        }
        awaiting.back() = kNone;
        size_t refs = refs_.size();
        size_t next = ReadReference(k + 1, select_at.back(), table);
        while (from && next != kNone && Symbol(next, ',')) {  // FROM a, b
          joined_.insert(select_at.back());
          next = ReadReference(next + 1, select_at.back(), table);
        }
        if (refs_.size() == refs) continue;
        if (from) {
          awaiting.back() = refs_.size() - 1;
        } else {
          refs_.back().type = type;
          refs_.back().side = fix::JoinSide::kRight;
        }
      }
    }
  }

  // The names spelled in the condition of the join whose right side ends
  // at token `from`: up to the clause, join or block that follows.
  std::vector<std::string> ConditionNames(size_t from) const {
    static const std::set<std::string> kStops = {
        "JOIN",  "WHERE",     "GROUP",  "ORDER",  "HAVING", "LIMIT",
        "UNION", "EXCEPT",    "INTERSECT", "MINUS", "WINDOW", "QUALIFY",
        "SELECT", "FROM",     "CLUSTER", "DISTRIBUTE", "SORT", "NATURAL"};
    std::vector<std::string> names;
    int depth = 0;
    for (size_t k = from; k < tokens_.size(); ++k) {
      if (Symbol(k, '(')) ++depth;
      if (Symbol(k, ')') && --depth < 0) break;
      if (tokens_[k].kind != SqlTokenKind::kWord &&
          tokens_[k].kind != SqlTokenKind::kQuotedIdentifier)
        continue;
      std::string word = Upper(TokenText(sql_, tokens_[k]));
      if (depth == 0 && (kStops.contains(word) || JoinTypeWord(word))) break;
      names.push_back(Unquoted(TokenText(sql_, tokens_[k])));
    }
    return names;
  }

  bool record_all_ = false;  // every reference in refs_, not the table's
  std::string_view sql_;
  std::vector<SqlToken> tokens_;
  std::vector<TableRef> refs_;
  std::vector<std::string> all_names_;  // every table reference, as written
  std::set<size_t> joined_;
};

// True when the hint text already broadcasts `name`.
Result<bool> HintBroadcasts(std::string_view hint, std::string_view name) {
  PROM_ASSIGN_OR_RETURN(auto tokens, TokenizeSql(hint));
  bool inside = false;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const SqlToken& token = tokens[k];
    if (token.kind == SqlTokenKind::kSymbol && hint[token.start] == ')')
      inside = false;
    if (inside &&
        (token.kind == SqlTokenKind::kWord ||
         token.kind == SqlTokenKind::kQuotedIdentifier) &&
        Unquoted(TokenText(hint, token)) == Unquoted(name)) {
      return true;
    }
    if ((IsKeyword(hint, token, "BROADCAST") ||
         IsKeyword(hint, token, "BROADCASTJOIN") ||
         IsKeyword(hint, token, "MAPJOIN")) &&
        k + 1 < tokens.size() && hint[tokens[k + 1].start] == '(') {
      inside = true;
    }
  }
  return false;
}

// A planner over the tokens of `sql` without its comments.
Result<HintPlanner> PlannerFor(std::string_view sql) {
  PROM_ASSIGN_OR_RETURN(auto all, TokenizeSql(sql));
  std::vector<SqlToken> tokens;
  std::copy_if(
      all.begin(), all.end(), std::back_inserter(tokens),
      [](const SqlToken& t) { return t.kind != SqlTokenKind::kComment; });
  return HintPlanner(sql, std::move(tokens));
}

}  // namespace

Result<SqlHintPlacement> PlaceBroadcastHint(std::string_view sql,
                                            std::string_view table) {
  PROM_ASSIGN_OR_RETURN(HintPlanner planner, PlannerFor(sql));
  planner.Scan(table);
  if (planner.refs_.empty())
    return Fail(ErrorCode::kNotFound,
                "the SQL reads {} in no FROM or JOIN clause", table);
  if (planner.refs_.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "the SQL reads {} in {} FROM/JOIN clauses; ambiguous", table,
                planner.refs_.size());
  }
  const TableRef& ref = planner.refs_[0];
  if (ref.block == kNone)
    return Fail(ErrorCode::kNotFound,
                "no SELECT found for the query block that reads {}", table);
  if (!planner.joined_.contains(ref.block))
    return Fail(ErrorCode::kNotFound,
                "the query block that reads {} has no join", table);
  if (!ref.type) {
    return Fail(ErrorCode::kInvalidArgument,
                "the join of {} has a join type Spark does not read; nothing "
                "changed",
                ref.hint_name);
  }
  if (!CanBroadcast(*ref.type, ref.side)) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} is the {} side of a {} join, which keeps it whole: Spark "
                "cannot broadcast it; nothing changed",
                ref.hint_name, fix::JoinSideName(ref.side),
                JoinTypeName(*ref.type));
  }
  SqlHintPlacement placement{{}, ref.hint_name};
  const std::vector<SqlToken>& t = planner.tokens_;
  std::string hint = fmt::format("BROADCAST({})", ref.hint_name);
  size_t next = ref.block + 1;
  // Every hint comment right after the SELECT is the block's: any of them
  // may already broadcast the name.
  for (size_t h = next; h < t.size() && t[h].kind == SqlTokenKind::kHint;
       ++h) {
    PROM_ASSIGN_OR_RETURN(
        bool present,
        HintBroadcasts(sql.substr(t[h].start + 3, t[h].end - t[h].start - 5),
                       ref.hint_name));
    if (present) return placement;
  }
  if (next < t.size() && t[next].kind == SqlTokenKind::kHint) {
    std::string_view body =
        sql.substr(t[next].start + 3, t[next].end - t[next].start - 5);
    size_t trimmed = body.find_last_not_of(" \t\r\n");
    uint32_t at = t[next].start + 3 +
                  (trimmed == std::string_view::npos ? 0 : trimmed + 1);
    placement.edits.push_back(Edit{
        at, at, trimmed == std::string_view::npos ? " " + hint : ", " + hint});
  } else {
    uint32_t at = t[ref.block].end;
    placement.edits.push_back(Edit{at, at, " /*+ " + hint + " */"});
  }
  return placement;
}

std::optional<Edit> MergedHintComment(const Edit& first, const Edit& second) {
  constexpr std::string_view kOpen = " /*+ ", kClose = " */";
  auto body = [&](const Edit& edit) -> std::optional<std::string_view> {
    std::string_view text = edit.text;
    if (edit.start != edit.end || !text.starts_with(kOpen) ||
        !text.ends_with(kClose) || text.size() < kOpen.size() + kClose.size())
      return std::nullopt;
    return text.substr(kOpen.size(),
                       text.size() - kOpen.size() - kClose.size());
  };
  auto a = body(first), b = body(second);
  if (!a || !b || first.start != second.start) return std::nullopt;
  // A hint the first comment already holds (merged by an earlier fix).
  for (size_t from = 0; from <= a->size();) {
    size_t comma = a->find(", ", from);
    if (a->substr(from, comma - from) == *b) return first;
    if (comma == std::string_view::npos) break;
    from = comma + 2;
  }
  return Edit{first.start, first.end,
              fmt::format("{}{}, {}{}", kOpen, *a, *b, kClose)};
}

Result<std::vector<std::string>> SqlTableReferences(std::string_view sql) {
  PROM_ASSIGN_OR_RETURN(HintPlanner planner, PlannerFor(sql));
  planner.Scan("");
  return planner.all_names_;
}

Result<std::string> SqlJoinSideTable(std::string_view sql,
                                     fix::JoinSide side,
                                     const std::vector<std::string>& keys,
                                     bool keys_spelled) {
  PROM_ASSIGN_OR_RETURN(HintPlanner planner, PlannerFor(sql));
  planner.record_all_ = true;
  planner.Scan("");
  struct Candidate {
    const TableRef* right;
    const TableRef* left;  // null behind earlier joins of the block
  };
  std::vector<Candidate> fitting;
  size_t joins = 0;
  for (size_t block : planner.joined_) {
    std::vector<const TableRef*> refs;
    for (const TableRef& ref : planner.refs_)
      if (ref.block == block) refs.push_back(&ref);
    for (size_t i = 1; i < refs.size(); ++i) {
      ++joins;
      std::vector<std::string> names = planner.ConditionNames(refs[i]->past);
      bool fits = keys.empty() || (names.empty() && !keys_spelled) ||
                  std::all_of(keys.begin(), keys.end(), [&](const auto& key) {
                    return std::find(names.begin(), names.end(), Upper(key)) !=
                           names.end();
                  });
      if (fits) fitting.push_back({refs[i], i == 1 ? refs[0] : nullptr});
    }
  }
  std::string on = keys.empty() ? std::string()
                                : fmt::format(" on {}", fmt::join(keys, ", "));
  if (joins == 0)
    return Fail(ErrorCode::kNotFound, "the SQL joins no two named tables");
  if (fitting.empty())
    return Fail(ErrorCode::kNotFound, "none of the {} join(s) of the SQL is{}",
                joins, on);
  if (fitting.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} joins of the SQL fit{}; ambiguous, nothing changed",
                fitting.size(), on);
  }
  const TableRef* ref =
      side == fix::JoinSide::kRight ? fitting[0].right : fitting[0].left;
  if (!ref) {
    return Fail(ErrorCode::kInvalidArgument,
                "the left side of the join of {} is the result of earlier "
                "joins, which no hint names; nothing changed",
                fitting[0].right->written);
  }
  if (ref->written.find_first_not_of('_') == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "the {} side of the SQL's join is named inside a {{}} "
                "expression; ambiguous",
                fix::JoinSideName(side));
  }
  return ref->written;
}

namespace {

// The `.sql(...)` calls that span `line` (1-based); when none does, those
// of the statement that spans it: `spark.sql("...") \` then `.show()` on
// the next line, where the run records the action's line.
std::vector<TSNode> SqlCallsAt(const PythonSource& source, uint32_t line) {
  uint32_t row = line - 1;
  std::vector<TSNode> calls;
  TSNode statement{};
  Walk(source.root(), [&](TSNode node) {
    if (ts_node_end_point(node).row < row ||
        ts_node_start_point(node).row > row)
      return false;
    if (MethodName(source, node) == "sql") calls.push_back(node);
    if (IsType(node, "expression_statement") ||
        IsType(node, "return_statement"))
      statement = node;
    return true;
  });
  if (!calls.empty() || ts_node_is_null(statement)) return calls;
  Walk(statement, [&](TSNode node) {
    if (MethodName(source, node) == "sql") calls.push_back(node);
    return true;
  });
  return calls;
}

}  // namespace

bool HasSqlCall(const PythonSource& source, uint32_t line) {
  return !SqlCallsAt(source, line).empty();
}

namespace {

// The SQL text of a `.sql(<literal>)` call, its {} expressions masked
// with `_`, and where it starts in the file.
struct SqlLiteral {
  uint32_t begin = 0;
  std::string sql;
  std::vector<std::string> interpolations;  // upper-cased
};

Result<SqlLiteral> ReadSqlLiteral(const PythonSource& source, TSNode call) {
  uint32_t line = ts_node_start_point(call).row + 1;
  TSNode literal = FirstArgument(call);
  if (!IsType(literal, "string")) {
    return Fail(ErrorCode::kInvalidArgument,
        "the spark.sql(...) argument on line {} is not a single string literal",
        line);
  }
  TSNode start{}, end{};
  std::vector<TSNode> interpolations;
  for (uint32_t i = 0; i < ts_node_child_count(literal); ++i) {
    TSNode child = ts_node_child(literal, i);
    if (IsType(child, "string_start")) start = child;
    if (IsType(child, "string_end")) end = child;
    if (IsType(child, "interpolation")) interpolations.push_back(child);
  }
  if (ts_node_is_null(start) || ts_node_is_null(end))
    return Fail(ErrorCode::kInvalidArgument,
                "unrecognised string literal on line {}", line);
  std::string prefix = Upper(source.Text(start));
  if (prefix.find('B') != std::string::npos)
    return Fail(ErrorCode::kInvalidArgument,
                "the spark.sql(...) argument on line {} is bytes", line);
  SqlLiteral out;
  out.begin = ts_node_end_byte(start);
  out.sql = std::string(
      source.text().substr(out.begin, ts_node_start_byte(end) - out.begin));
  for (TSNode expression : interpolations) {
    out.interpolations.push_back(Upper(source.Text(expression)));
    uint32_t from = ts_node_start_byte(expression) - out.begin;
    std::fill_n(out.sql.begin() + from,
                ts_node_end_byte(expression) - ts_node_start_byte(expression),
                '_');
  }
  return out;
}

// The plan of a placement in the literal that starts at `begin`.
FixPlan PlanOfPlacement(const SqlHintPlacement& placement, uint32_t begin,
                        uint32_t line) {
  FixPlan plan;
  if (placement.edits.empty()) {
    plan.note = fmt::format("line {}: the SQL already broadcasts {}", line,
                            placement.name);
    return plan;
  }
  for (Edit edit : placement.edits) {
    edit.start += begin;
    edit.end += begin;
    plan.edits.push_back(std::move(edit));
  }
  plan.note =
      fmt::format("line {}: BROADCAST({}) hint added to the spark.sql query",
                  line, placement.name);
  return plan;
}

// The hint for the `.sql(<literal>)` call `call`, whose errors name its line.
Result<FixPlan> PlanSqlCall(const PythonSource& source, std::string_view table,
                            TSNode call) {
  uint32_t line = ts_node_start_point(call).row + 1;
  PROM_ASSIGN_OR_RETURN(SqlLiteral literal, ReadSqlLiteral(source, call));
  std::string last = Components(table).back();
  for (const std::string& inside : literal.interpolations) {
    if (inside.find(Upper(table)) != std::string::npos ||
        inside.find(last) != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument,
          "the f-string on line {} names {} inside a {{}} expression; "
          "ambiguous",
          line, table);
    }
  }
  auto placement = PlaceBroadcastHint(literal.sql, table);
  if (!placement) return Wrap(fmt::format("line {}", line), placement.error());
  return PlanOfPlacement(*placement, literal.begin, line);
}

// The one `.sql(...)` call of SqlCallsAt.
Result<TSNode> SqlCallAt(const PythonSource& source, uint32_t line) {
  std::vector<TSNode> calls = SqlCallsAt(source, line);
  if (calls.empty()) return Fail(ErrorCode::kNotFound,
                                 "no spark.sql(...) call on line {}", line);
  if (calls.size() > 1)
    return Fail(ErrorCode::kInvalidArgument,
                "{} spark.sql(...) calls span line {}; ambiguous", calls.size(),
                line);
  return calls[0];
}

}  // namespace

std::vector<SqlCandidate> SqlBroadcastCandidates(const PythonSource& source,
                                                 std::string_view table) {
  std::vector<SqlCandidate> candidates;
  Walk(source.root(), [&](TSNode node) {
    if (MethodName(source, node) != "sql") return true;
    if (auto plan = PlanSqlCall(source, table, node)) {
      candidates.push_back(
          SqlCandidate{ts_node_start_point(node).row + 1, std::move(*plan)});
    }
    return true;
  });
  return candidates;
}

Result<FixPlan> PlanSqlBroadcastFix(const PythonSource& source,
                                    std::string_view table, uint32_t line) {
  if (line == 0) {
    std::vector<SqlCandidate> candidates =
        SqlBroadcastCandidates(source, table);
    if (candidates.empty())
      return Fail(ErrorCode::kNotFound,
                  "no spark.sql(...) literal in the file joins {}", table);
    if (candidates.size() > 1) {
      std::vector<uint32_t> lines;
      for (const SqlCandidate& candidate : candidates)
        lines.push_back(candidate.line);
      return Fail(ErrorCode::kInvalidArgument,
                  "spark.sql(...) literals on lines {} join {}; ambiguous",
                  fmt::join(lines, ", "), table);
    }
    return std::move(candidates[0].plan);
  }
  PROM_ASSIGN_OR_RETURN(TSNode call, SqlCallAt(source, line));
  return PlanSqlCall(source, table, call);
}

Result<FixPlan> PlanSqlBroadcastFixBySide(const PythonSource& source,
                                          fix::JoinSide side,
                                          const std::vector<std::string>& keys,
                                          bool keys_spelled, uint32_t line) {
  PROM_ASSIGN_OR_RETURN(TSNode call, SqlCallAt(source, line));
  uint32_t first = ts_node_start_point(call).row + 1;
  PROM_ASSIGN_OR_RETURN(SqlLiteral literal, ReadSqlLiteral(source, call));
  auto table = SqlJoinSideTable(literal.sql, side, keys, keys_spelled);
  if (!table) return Wrap(fmt::format("line {}", first), table.error());
  auto placement = PlaceBroadcastHint(literal.sql, *table);
  if (!placement) return Wrap(fmt::format("line {}", first), placement.error());
  FixPlan plan = PlanOfPlacement(*placement, literal.begin, first);
  plan.note += fmt::format(" (the {} side of its join)", fix::JoinSideName(side));
  return plan;
}

}  // namespace prometheus::rewrite
