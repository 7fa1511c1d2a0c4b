// Calls to one workspace's REST API: the Authorization header (a personal
// access token, or an OAuth machine-to-machine token fetched from
// /oidc/v1/token and refreshed before it expires), retries (http::Client),
// and the workspace's error bodies turned into one-line errors.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "prometheus/base/result.h"
#include "prometheus/databricks/config.h"
#include "prometheus/http/client.h"

namespace prometheus::databricks {

using Query = std::vector<std::pair<std::string, std::string>>;

// "CODE: message" from a Databricks error body: {"error_code": int|string,
// "message"}, the OAuth shape {"error", "error_description"}, legacy
// {"error"}, an HTML <pre> page, or else the first 200 bytes of the text.
std::string ErrorDetail(std::string_view body);

class Workspace {
 public:
  // `transport` must outlive the workspace. Thread-safe.
  Workspace(Config config, http::Transport& transport, http::RetryPolicy policy = {},
            http::Timing timing = http::Timing::Real());

  const Config& config() const { return config_; }

  // GET host+path+query, parsed. A non-2xx answer, or a body that is not
  // JSON, is an error naming the endpoint (a refused credential also names
  // where it came from and what to set).
  Result<nlohmann::json> GetJson(std::string_view path, const Query& query) const;

  // GET host+path (already encoded) with extra headers; 2xx answers only.
  Result<http::Response> Get(std::string_view path,
                             std::vector<std::pair<std::string, std::string>> headers) const;

  // POST host+path with a JSON body; the answer parsed as GetJson's. Only
  // for requests that do no harm when repeated (a retried request may have
  // been processed once already).
  Result<nlohmann::json> PostJson(std::string_view path, const nlohmann::json& body) const;

  // PUT host+path (already encoded) with a raw body; 2xx answers only.
  Result<http::Response> Put(std::string_view path, std::string body,
                             std::vector<std::pair<std::string, std::string>> headers) const;

  // DELETE host+path (already encoded); 2xx answers only.
  Result<http::Response> Delete(std::string_view path) const;

  int64_t retries() const { return client_.retries(); }
  int64_t requests() const { return requests_; }

 private:
  Result<std::string> Authorization() const;
  Result<http::Response> Send(http::Request request) const;
  Result<nlohmann::json> ParseObject(const http::Request& request,
                                     const http::Response& response) const;

  Config config_;
  http::Client client_;
  http::Timing timing_;
  mutable std::mutex token_mutex_;
  mutable std::string oauth_header_;
  mutable std::chrono::steady_clock::time_point oauth_expiry_{};
  mutable std::atomic<int64_t> requests_{0};
};

}  // namespace prometheus::databricks
