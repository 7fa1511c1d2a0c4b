// HTTP requests and answers as values, and the one interface that sends
// them (libcurl in production, a scripted fake in tests). Knows nothing of
// any service: no Spark, no Databricks.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::http {

struct Request {
  std::string method = "GET";  // GET, POST, PUT, HEAD, DELETE
  std::string url;             // absolute, query included, already encoded
  // Sent as given. A header whose name is "Authorization" is a secret: it is
  // never part of an error message.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Whether sending it twice does no harm: a POST that is not idempotent is
  // retried only when it certainly was not processed (429, 503).
  bool idempotent = true;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The value of header `name` (lower-case), or "".
  std::string Header(const std::string& name) const;
};

// Sends one request, once. A failure to get any answer (refused, reset,
// timed out) is kUnavailable; any HTTP status is an answer, not an error.
// Implementations must be safe to call from several threads at once.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<Response> Send(const Request& request) = 0;
};

// "GET https://host/api/2.2/jobs/runs/list": how errors name an endpoint;
// the query string is left out (it is long, and may name paths that are not
// the point of the message).
std::string EndpointName(const Request& request);

}  // namespace prometheus::http
