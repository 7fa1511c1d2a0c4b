#include "prometheus/http/client.h"

#include <atomic>
#include <ctime>
#include <random>
#include <thread>

namespace prometheus::http {
namespace {

using std::chrono::milliseconds;

}  // namespace

std::string Response::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string EndpointName(const Request& request) {
  std::string_view url = request.url;
  url = url.substr(0, url.find('?'));
  return request.method + " " + std::string(url);
}

Timing Timing::Real() {
  return Timing{
      [] { return std::chrono::steady_clock::now(); },
      [](milliseconds wait) { std::this_thread::sleep_for(wait); },
      [] {
        thread_local std::mt19937_64 random(std::random_device{}());
        return std::uniform_real_distribution<double>(0, 1)(random);
      }};
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, int64_t now_unix_seconds) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (char c : value) digits &= c >= '0' && c <= '9';
  if (digits) {
    if (value.size() > 9) return std::nullopt;
    return milliseconds(std::stoll(std::string(value)) * 1000);
  }
  std::tm tm{};  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  const char* end = strptime(std::string(value).c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr) return std::nullopt;
  int64_t at = timegm(&tm);
  return milliseconds(std::max<int64_t>(0, at - now_unix_seconds) * 1000);
}

bool RetryableStatus(int status) { return status == 429 || status >= 500; }

Client::Client(Transport& transport, RetryPolicy policy, Timing timing)
    : transport_(&transport),
      policy_(policy),
      timing_(std::move(timing)),
      retries_(std::make_shared<std::atomic<int64_t>>(0)) {}

int64_t Client::retries() const { return retries_->load(); }

milliseconds Client::Backoff(int retry) const {
  int64_t base = policy_.first_backoff.count() << std::min(retry, 20);
  base = std::min<int64_t>(base, policy_.max_backoff.count());
  // "Equal jitter": half fixed, half random, so that many clients that
  // failed together do not retry together.
  return milliseconds(base / 2 + static_cast<int64_t>(timing_.random01() * (base / 2 + 1)));
}

Result<Response> Client::Send(const Request& request) const {
  const auto start = timing_.now();
  std::string last;
  for (int attempt = 0;; ++attempt) {
    Result<Response> answer = transport_->Send(request);
    std::optional<milliseconds> wait;
    if (!answer) {
      if (answer.error().code != ErrorCode::kUnavailable) return answer;
      last = answer.error().message;
      wait = Backoff(attempt);
    } else {
      const int status = answer->status;
      bool retry = status == 429 || status == 503 || (status >= 500 && request.idempotent);
      if (!retry) return answer;
      last = fmt::format("HTTP {}", status);
      wait = Backoff(attempt);
      if (status == 429 || status == 503) {
        std::string header = answer->Header("retry-after");
        if (auto asked = ParseRetryAfter(header, std::time(nullptr))) {
          if (*asked > policy_.max_retry_after) {
            return Fail(ErrorCode::kUnavailable,
                        "{}: HTTP {} asking to retry after {} s, more than the {} s this "
                        "client waits",
                        EndpointName(request), status, asked->count() / 1000,
                        policy_.max_retry_after.count() / 1000);
          }
          // The server's wait, plus a little jitter on top.
          wait = *asked + milliseconds(static_cast<int64_t>(timing_.random01() * 250));
        }
      }
    }
    auto elapsed = std::chrono::duration_cast<milliseconds>(timing_.now() - start);
    if (elapsed + *wait > policy_.total_limit) {
      return Fail(ErrorCode::kUnavailable, "{}: gave up after {} attempt(s) in {:.1f} s: {}",
                  EndpointName(request), attempt + 1, elapsed.count() / 1000.0, last);
    }
    timing_.sleep(*wait);
    retries_->fetch_add(1);
  }
}

Error StatusError(const Request& request, const Response& response, std::string_view detail) {
  ErrorCode code = ErrorCode::kInvalidArgument;
  if (response.status == 404) code = ErrorCode::kNotFound;
  if (response.status == 409) code = ErrorCode::kConflict;
  if (response.status >= 500 || response.status == 429) code = ErrorCode::kUnavailable;
  std::string message = fmt::format("{}: HTTP {}", EndpointName(request), response.status);
  if (!detail.empty()) message += fmt::format(": {}", detail);
  return Error{code, std::move(message)};
}

}  // namespace prometheus::http
