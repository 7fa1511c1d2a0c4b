// A recommendation's structured fix (docs/RECOMMENDATIONS.md, "Fix kinds"):
// one type per kind in a variant, with its call site. The rules make them,
// the rewriter carries them out, and this module is the only place that
// knows a kind's name, safety class, JSON form and label
// (internal/kind_table.cc).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/settings.h"

namespace prometheus::fix {

using Json = nlohmann::ordered_json;

// Safe fixes change how Spark runs a job, never its result, and are
// applied; unsafe ones could change results and are only described, with a
// sketch; manual ones are advice with no code to write.
enum class Safety { kSafe, kUnsafe, kManual };

std::string_view SafetyName(Safety safety);

// `file:line` as Spark reported it: `callSite.short` or a stage name.
struct CallSite {
  std::string file;
  std::optional<int64_t> line;  // 1-based; nullopt when unknown
};

// A Spark setting: a runtime one goes in spark.conf.set (or SQL SET) where
// the session is made, a startup one where the session starts (the
// session builder's .config, or the cluster's or job's Spark config).
struct Conf {
  Conf() = default;
  // When it applies, from the key (ClassifySetting).
  Conf(std::string key, std::string value)
      : Conf(key, std::move(value), ClassifySetting(key)) {}
  Conf(std::string key, std::string value, Applies applies)
      : key(std::move(key)), value(std::move(value)), applies(applies) {}

  std::string key;
  std::string value;  // always a string: Spark reads settings as text
  Applies applies = Applies::kRuntime;
};

// Which child of a join the plan found small, in the order of the code:
// `a.join(b)` puts a left and b right, `FROM a JOIN b` likewise.
enum class JoinSide { kLeft, kRight };

std::string_view JoinSideName(JoinSide side);  // "left", "right"
std::optional<JoinSide> JoinSideNamed(std::string_view name);

// broadcast(...) around the small side of a join, or a SQL hint. The small
// side is named by what it reads (table, path) and by its side; a record
// needs one of the three.
struct BroadcastHint {
  std::optional<std::string> table;  // what the small side reads
  std::optional<std::string> path;
  std::vector<std::string> join_keys;  // the small side's keys
  std::optional<JoinSide> side;
  // The join's type as the plan prints it (`Inner`, `LeftOuter`,
  // `LeftSemi`...): tells otherwise identical joins apart.
  std::optional<std::string> join_type;
};

// .repartition(partitions, key) before a skewed aggregation or write.
struct Repartition {
  int64_t partitions = 0;
  std::optional<std::string> key;  // the column, when known
};

// .cache() on data read several times.
struct Cache {
  std::optional<std::string> table;
  std::optional<std::string> path;
};

// Salting a hot join or aggregation key: unsafe, described with a sketch.
struct Salting {
  std::optional<std::string> key;  // nullopt when the log cannot tell
  int64_t buckets = 16;
};

// Advice: rewrite Python UDFs with built-in functions.
struct UdfToBuiltin {
  std::vector<std::string> udfs;
};

// Advice for the driver's code.
struct DriverCode {
  std::string advice;
};

// Advice: the log shows the symptom, not the cause.
struct Investigate {
  std::string advice;
};

// Advice: compact the many small files of a table or path.
struct CompactFiles {
  std::optional<std::string> table;
  std::optional<std::string> path;
  int64_t target_file_bytes = 0;
};

// Advice: a join without an equality condition.
struct JoinCondition {
  std::string condition;
};

// A kind this version does not know (or, read leniently, a known kind whose
// parameters do not fit its type): kept as its parameters, in order.
struct OtherKind {
  std::string name;
  Json parameters = Json::object();  // everything but "kind" and "call_site"
};

using Kind = std::variant<Conf, BroadcastHint, Repartition, Cache, Salting,
                          UdfToBuiltin, DriverCode, Investigate, CompactFiles,
                          JoinCondition, OtherKind>;

struct Fix {
  Fix() = default;
  Fix(Kind kind, std::optional<CallSite> call_site = std::nullopt,
      Json as_read = nullptr)
      : kind(std::move(kind)),
        call_site(std::move(call_site)),
        as_read(std::move(as_read)) {}

  Kind kind;
  std::optional<CallSite> call_site;
  // The record this fix was read from, when writing `kind` back would not
  // give it byte for byte (parameters not modelled here, another key order,
  // a default left out): ToJson then writes it as read, adding `call_site`
  // when it has none. Null otherwise. Set by Read; whoever changes `kind`
  // afterwards must reset it.
  Json as_read;
};

// "conf", "broadcast_hint", ...: the `kind` of the JSON record.
std::string_view KindName(const Fix& fix);
// True when `name` is the fix's kind (for a user's --kind filter).
bool HasKind(const Fix& fix, std::string_view name);
// A kind this version does not know is manual.
Safety SafetyOf(const Fix& fix);
// "conf spark.sql.adaptive.enabled=true", "broadcast_hint dim_country", ...
std::string Label(const Fix& fix);
// The report's one-line fix: "set key=value" when the record has both, else
// the kind.
std::string Summary(const Fix& fix);
// What a described (manual) fix says: its "advice", the UDFs to rewrite, or
// else its parameters as JSON.
std::string Advice(const Fix& fix);

// {"kind": ..., parameters..., "call_site": {"file", "line"}} in the order
// of docs/RECOMMENDATIONS.md; the call site last, and only when known.
Json ToJson(const Fix& fix);

// Reads a fix record. Fails naming the field that is missing or of the
// wrong type; an absent or null call_site.line reads as unknown. ToJson of
// the result gives `record` back byte for byte.
Result<Fix> Read(const Json& record);
// Like Read, but a record of a known kind whose parameters do not fit it
// is kept as an OtherKind of that name rather than refused: for records
// only passed on, such as a user rule file's. Fails only without a kind.
Result<Fix> ReadOrKeep(const Json& record);
// A record a rule has just made, completed with what the contract derives
// when the rule leaves it out: a conf's `applies`, from its key
// (ClassifySetting), after its other parameters. Other records are
// returned as they are.
Json Completed(Json record);
// The fix of a record that cannot be read: an OtherKind named by its
// "kind" when it is a string, else "?"; for reporting it.
Fix Unreadable(const Json& record);

// True when `parameter` of `kind` stays a string even when its text is a
// number (a conf's value).
bool IsTextParameter(std::string_view kind, std::string_view parameter);

}  // namespace prometheus::fix
