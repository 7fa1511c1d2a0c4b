// Errors as values: every fallible function returns Result<T>, and only main
// turns an error into an exit code.
#pragma once

#include <expected>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace prometheus {

// What went wrong, in words a user can act on: it names the file, line or
// field and what was expected.
struct Error {
  std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

template <typename... Args>
std::unexpected<Error> Fail(fmt::format_string<Args...> format,
                            Args&&... args) {
  return std::unexpected(
      Error{fmt::format(format, std::forward<Args>(args)...)});
}

inline Status Ok() { return {}; }

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
