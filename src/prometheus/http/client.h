// Sends requests through a Transport, retrying what may succeed later:
// 429 and 503 (honouring Retry-After), other 5xx, and no answer at all
// (refused, reset, timed out), with exponential backoff, jitter and a bound
// on the total time. Other answers, 4xx included, are returned at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <atomic>
#include <memory>
#include <string>

#include "prometheus/http/http.h"

namespace prometheus::http {

struct RetryPolicy {
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_backoff{10'000};
  // No retry starts after this much time since the first attempt, and no
  // wait is begun that would end past it.
  std::chrono::milliseconds total_limit{300'000};
  // A Retry-After longer than this is not waited for: the request fails.
  std::chrono::milliseconds max_retry_after{120'000};
};

// The clock and the sleep the client uses, so tests need not wait.
struct Timing {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random01;  // uniform in [0, 1), for jitter
  static Timing Real();
};

// Delay asked for by a Retry-After value: whole seconds, or an HTTP date
// (relative to `now_unix_seconds`). nullopt when it is neither.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         int64_t now_unix_seconds);

// Whether an answer with this status may be retried.
bool RetryableStatus(int status);

class Client {
 public:
  // `transport` must outlive the client. Thread-safe when the transport is.
  Client(Transport& transport, RetryPolicy policy = {}, Timing timing = Timing::Real());

  // The first answer that is not to be retried (any status), or, when
  // retries ran out or the time bound was reached, an error that names the
  // endpoint, the number of attempts and the last status or failure
  // (kUnavailable). The request's headers are never part of a message.
  Result<Response> Send(const Request& request) const;

  // How many attempts were retries, over the client's life (all threads).
  int64_t retries() const;

 private:
  std::chrono::milliseconds Backoff(int retry) const;

  Transport* transport_;
  RetryPolicy policy_;
  Timing timing_;
  std::shared_ptr<std::atomic<int64_t>> retries_;  // shared: Client is copyable
};

// An error for a final answer that is not 2xx: "GET https://h/p: HTTP 404:
// <detail>", code from the status (400 and other 4xx kInvalidArgument,
// 401/403 kInvalidArgument, 404 kNotFound, 409 kConflict, 5xx kUnavailable).
Error StatusError(const Request& request, const Response& response, std::string_view detail);

}  // namespace prometheus::http
