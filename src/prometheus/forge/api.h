// What the three forge clients share: JSON requests through http::Client,
// waits on rate limits (GitHub's primary and secondary limits answer 403 or
// 429 with x-ratelimit-* or retry-after; GitLab and Azure 429 with
// Retry-After), error messages naming the endpoint and the forge's own
// words, and ISO 8601 times.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/forge/forge.h"
#include "prometheus/http/client.h"

namespace prometheus::forge {

class Api {
 public:
  Api(http::Transport& transport, Pacing pacing,
      std::vector<std::pair<std::string, std::string>> headers)
      : client_(transport), pacing_(std::move(pacing)), headers_(std::move(headers)) {}

  // Sends a request with the forge's headers (and a JSON body when `body`
  // is not null); waits out rate limits. Any status is returned.
  Result<http::Response> Send(const std::string& method, const std::string& url,
                              const nlohmann::json& body = nullptr) const;
  // Send, then: a 2xx body parsed as JSON, or an error naming the endpoint
  // and the forge's message (http::StatusError's codes).
  Result<nlohmann::json> Call(const std::string& method, const std::string& url,
                              const nlohmann::json& body = nullptr) const;
  // Every page of a GET array, following Link: rel="next".
  Result<nlohmann::json> CallPages(const std::string& url) const;

 private:
  http::Client client_;
  Pacing pacing_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// The forge's own words in an error body: message, errors[].message, and
// the like; the body cut short otherwise.
std::string ErrorDetail(const std::string& body);

// "2026-12-07T15:04:05Z" (fraction and offset allowed) as Unix
// milliseconds; 0 when it does not read.
int64_t ParseIsoMillis(std::string_view text);

// The URL of Link's rel="next", or "".
std::string NextPageUrl(const std::string& link_header);

}  // namespace prometheus::forge
