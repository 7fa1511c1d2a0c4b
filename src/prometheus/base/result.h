// Errors as values: every fallible function returns Result<T>, and only main
// turns an error into an exit code (from its code, in one place).
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace prometheus {

// What kind of failure an error is; the command line maps it to an exit code.
enum class ErrorCode {
  kInvalidArgument,  // the caller asked for something malformed
  kNotFound,         // a file, table, field or id that is not there
  kCorrupt,          // input that is there but cannot be read as its format
  kIo,               // the operating system refused a read or a write
  kConflict,         // another writer won, or the state changed underneath
  kUnavailable,      // a remote service did not answer; trying later may work
  kInternal,         // a broken invariant of our own
};

// "invalid argument", "not found", ...
std::string_view ErrorCodeName(ErrorCode code);

// What went wrong, in words a user can act on: it names the file, line or
// field and what was expected.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// std::expected<T, Error> that must not be ignored.
template <typename T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using Base = std::expected<T, Error>;
  using Base::Base;
  Result(Base base) : Base(std::move(base)) {}
};

using Status = Result<void>;

template <typename... Args>
std::unexpected<Error> Fail(ErrorCode code, fmt::format_string<Args...> format,
                            Args&&... args) {
  return std::unexpected(
      Error{code, fmt::format(format, std::forward<Args>(args)...)});
}

// The same error with `context` and ": " before its message, code kept.
inline std::unexpected<Error> Wrap(std::string_view context, Error error) {
  error.message = fmt::format("{}: {}", context, error.message);
  return std::unexpected(std::move(error));
}

inline Status Ok() { return {}; }

inline std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kIo:
      return "I/O error";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "?";
}

}  // namespace prometheus

// Returns the error of `expr` from the enclosing function when it failed.
#define PROM_TRY(expr)                                             \
  do {                                                             \
    if (auto prom_try_result_ = (expr); !prom_try_result_) {       \
      return std::unexpected(std::move(prom_try_result_).error()); \
    }                                                              \
  } while (false)

#define PROM_CONCAT_INNER(a, b) a##b
#define PROM_CONCAT(a, b) PROM_CONCAT_INNER(a, b)

// Declares `lhs` from the value of `expr`, or returns its error.
#define PROM_ASSIGN_OR_RETURN(lhs, expr) \
  PROM_ASSIGN_OR_RETURN_IMPL(PROM_CONCAT(prom_result_, __LINE__), lhs, expr)
#define PROM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)     \
  auto tmp = (expr);                                   \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
