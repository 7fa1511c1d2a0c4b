// Typed reads of a fix record's fields; errors name the field as
// "fix.<key>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"

namespace prometheus::fix::internal {

// Absent or null gives nullopt; another type than a string fails.
Result<std::optional<std::string>> OptionalString(const Json& record,
                                                  const char* key);
// Fails when absent or null ("fix.<key>: missing") or not a string.
Result<std::string> RequiredString(const Json& record, const char* key);
// A positive integer; absent or null gives `fallback`.
Result<int64_t> PositiveInteger(const Json& record, const char* key,
                                int64_t fallback);
// The string elements of an array; anything else gives none. (Advice
// parameters are only passed on, so they never fail.)
std::vector<std::string> Strings(const Json& record, const char* key);
// The string, or "" when absent or of another type.
std::string TextOrEmpty(const Json& record, const char* key);
// Absent or null gives nullopt; fails on anything but an object with a
// string "file", and on a line that is not a line number.
Result<std::optional<CallSite>> ReadCallSite(const Json& record);

// A string, or null for nullopt.
Json Nullable(const std::optional<std::string>& text);

}  // namespace prometheus::fix::internal
