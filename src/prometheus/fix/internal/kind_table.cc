// The table of fix kinds (internal/kind_table.h). Each kind's JSON is the
// contract of docs/RECOMMENDATIONS.md: parameters in this order, nulls
// written, so that records the rules make read back as they were written.
#include <fmt/format.h>

#include <array>

#include "prometheus/fix/internal/json_fields.h"
#include "prometheus/fix/internal/kind_table.h"

namespace prometheus::fix::internal {
namespace {

// "broadcast_hint dim_country", or the name alone when no data is named.
std::string DataLabel(std::string_view name,
                      const std::optional<std::string>& table,
                      const std::optional<std::string>& path) {
  std::string what = table.value_or(path.value_or(""));
  return what.empty() ? std::string(name) : fmt::format("{} {}", name, what);
}

template <typename T>
Kind Blank() {
  return T{};
}

// The advice kinds: one "advice" string.
template <typename T>
Result<Kind> ReadAdvice(const Json& record) {
  return T{TextOrEmpty(record, "advice")};
}

template <typename T>
void WriteAdvice(const Kind& kind, Json& record) {
  record["advice"] = std::get<T>(kind).advice;
}

// "table" and "path" of a kind that names data (T has both); when
// `required`, one of them must be given.
template <typename T>
Status ReadData(const Json& record, bool required, T& data) {
  PROM_ASSIGN_OR_RETURN(data.table, OptionalString(record, "table"));
  PROM_ASSIGN_OR_RETURN(data.path, OptionalString(record, "path"));
  if (!required || data.table || data.path) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "fix: names neither a table nor a path");
}

template <typename T>
void WriteData(const T& data, Json& record) {
  record["table"] = Nullable(data.table);
  record["path"] = Nullable(data.path);
}

constexpr KindRow kConfRow{
    "conf", Safety::kSafe,
    [](const Json& r) -> Result<Kind> {
      PROM_ASSIGN_OR_RETURN(std::string key, RequiredString(r, "key"));
      PROM_ASSIGN_OR_RETURN(std::string value, RequiredString(r, "value"));
      PROM_ASSIGN_OR_RETURN(std::optional<std::string> applies,
                            OptionalString(r, "applies"));
      // Records written before `applies` existed: classified by the key.
      if (!applies) return Conf{std::move(key), std::move(value)};
      std::optional<Applies> named = AppliesNamed(*applies);
      if (!named) {
        return Fail(ErrorCode::kInvalidArgument,
                    "fix.applies: expected \"runtime\" or \"startup\", "
                    "found \"{}\"",
                    *applies);
      }
      return Conf{std::move(key), std::move(value), *named};
    },
    [](const Kind& k, Json& r) {
      const auto& conf = std::get<Conf>(k);
      r["key"] = conf.key;
      r["value"] = conf.value;
      r["applies"] = std::string(AppliesName(conf.applies));
    },
    [](const Kind& k) {
      const auto& conf = std::get<Conf>(k);
      return fmt::format("conf {}={}", conf.key, conf.value);
    },
    Blank<Conf>, "value"};

constexpr KindRow kBroadcastHintRow{
    "broadcast_hint", Safety::kSafe,
    [](const Json& r) -> Result<Kind> {
      BroadcastHint hint;
      PROM_TRY(ReadData(r, false, hint));
      hint.join_keys = Strings(r, "join_keys");
      PROM_ASSIGN_OR_RETURN(std::optional<std::string> side,
                            OptionalString(r, "side"));
      if (side) {
        hint.side = JoinSideNamed(*side);
        if (!hint.side) {
          return Fail(ErrorCode::kInvalidArgument,
                      "fix.side: expected \"left\" or \"right\", found "
                      "\"{}\"",
                      *side);
        }
      }
      if (!hint.table && !hint.path && !hint.side) {
        return Fail(ErrorCode::kInvalidArgument,
                    "fix: names neither a table, a path nor a side");
      }
      PROM_ASSIGN_OR_RETURN(hint.join_type, OptionalString(r, "join_type"));
      return hint;
    },
    [](const Kind& k, Json& r) {
      const auto& hint = std::get<BroadcastHint>(k);
      WriteData(hint, r);
      r["join_keys"] = hint.join_keys;
      r["side"] = hint.side ? Json(std::string(JoinSideName(*hint.side)))
                            : Json(nullptr);
      if (hint.join_type) r["join_type"] = *hint.join_type;
    },
    [](const Kind& k) {
      const auto& hint = std::get<BroadcastHint>(k);
      if (!hint.table && !hint.path && hint.side)
        return fmt::format("broadcast_hint {} side", JoinSideName(*hint.side));
      return DataLabel("broadcast_hint", hint.table, hint.path);
    },
    Blank<BroadcastHint>, ""};

constexpr KindRow kRepartitionRow{
    "repartition", Safety::kSafe,
    [](const Json& r) -> Result<Kind> {
      Repartition repartition;
      PROM_ASSIGN_OR_RETURN(repartition.partitions,
                            PositiveInteger(r, "partitions", 0));
      if (repartition.partitions == 0) {
        return Fail(ErrorCode::kInvalidArgument, "fix.partitions: missing");
      }
      PROM_ASSIGN_OR_RETURN(repartition.key, OptionalString(r, "key"));
      return repartition;
    },
    [](const Kind& k, Json& r) {
      const auto& repartition = std::get<Repartition>(k);
      r["partitions"] = repartition.partitions;
      r["key"] = Nullable(repartition.key);
    },
    [](const Kind& k) {
      const auto& repartition = std::get<Repartition>(k);
      return repartition.key
                 ? fmt::format("repartition {} by {}", repartition.partitions,
                               *repartition.key)
                 : fmt::format("repartition {}", repartition.partitions);
    },
    Blank<Repartition>, ""};

constexpr KindRow kCacheRow{
    "cache", Safety::kSafe,
    [](const Json& r) -> Result<Kind> {
      Cache cache;
      PROM_TRY(ReadData(r, true, cache));
      return cache;
    },
    [](const Kind& k, Json& r) { WriteData(std::get<Cache>(k), r); },
    [](const Kind& k) {
      const auto& cache = std::get<Cache>(k);
      return DataLabel("cache", cache.table, cache.path);
    },
    Blank<Cache>, ""};

constexpr KindRow kSaltingRow{
    "salting", Safety::kUnsafe,
    [](const Json& r) -> Result<Kind> {
      Salting salting;
      PROM_ASSIGN_OR_RETURN(salting.key, OptionalString(r, "key"));
      PROM_ASSIGN_OR_RETURN(salting.buckets, PositiveInteger(r, "buckets", 16));
      return salting;
    },
    [](const Kind& k, Json& r) {
      const auto& salting = std::get<Salting>(k);
      r["key"] = Nullable(salting.key);
      r["buckets"] = salting.buckets;
    },
    [](const Kind& k) {
      return fmt::format("salting {}",
                         std::get<Salting>(k).key.value_or("(key unknown)"));
    },
    Blank<Salting>, ""};

constexpr KindRow kUdfToBuiltinRow{
    "udf_to_builtin", Safety::kManual,
    [](const Json& r) -> Result<Kind> {
      return UdfToBuiltin{Strings(r, "udf")};
    },
    [](const Kind& k, Json& r) { r["udf"] = std::get<UdfToBuiltin>(k).udfs; },
    nullptr,
    Blank<UdfToBuiltin>, ""};

constexpr KindRow kDriverCodeRow{
    "driver_code", Safety::kManual, ReadAdvice<DriverCode>,
    WriteAdvice<DriverCode>, nullptr, Blank<DriverCode>, ""};

constexpr KindRow kInvestigateRow{
    "investigate", Safety::kManual, ReadAdvice<Investigate>,
    WriteAdvice<Investigate>, nullptr, Blank<Investigate>, ""};

constexpr KindRow kCompactFilesRow{
    "compact_files", Safety::kManual,
    [](const Json& r) -> Result<Kind> {
      CompactFiles compact;
      PROM_TRY(ReadData(r, false, compact));
      auto bytes = r.find("target_file_bytes");
      if (bytes != r.end() && bytes->is_number_integer())
        compact.target_file_bytes = bytes->get<int64_t>();
      return compact;
    },
    [](const Kind& k, Json& r) {
      const auto& compact = std::get<CompactFiles>(k);
      WriteData(compact, r);
      r["target_file_bytes"] = compact.target_file_bytes;
    },
    nullptr,
    Blank<CompactFiles>, ""};

constexpr KindRow kJoinConditionRow{
    "join_condition", Safety::kManual,
    [](const Json& r) -> Result<Kind> {
      return JoinCondition{TextOrEmpty(r, "condition")};
    },
    [](const Kind& k, Json& r) {
      r["condition"] = std::get<JoinCondition>(k).condition;
    },
    nullptr,
    Blank<JoinCondition>, ""};

// In the order of the alternatives of fix::Kind.
constexpr std::array kRows{kConfRow,          kBroadcastHintRow,
                           kRepartitionRow,   kCacheRow,
                           kSaltingRow,       kUdfToBuiltinRow,
                           kDriverCodeRow,    kInvestigateRow,
                           kCompactFilesRow,  kJoinConditionRow};
static_assert(kRows.size() + 1 == std::variant_size_v<Kind>,
              "one row per typed kind; OtherKind has none");

}  // namespace

std::span<const KindRow> KindRows() { return kRows; }

const KindRow* RowNamed(std::string_view name) {
  for (const KindRow& row : kRows) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

}  // namespace prometheus::fix::internal
