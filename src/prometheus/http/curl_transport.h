// The Transport over libcurl (Debian's libcurl4-openssl-dev).
#pragma once

#include <chrono>
#include <memory>

#include "prometheus/http/http.h"

namespace prometheus::http {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // The whole exchange, from connecting to the last byte of the body.
  std::chrono::milliseconds request_timeout{60'000};
  std::string user_agent = "prometheus";
};

// A transport whose every Send uses its own easy handle on the calling
// thread; connections are reused per thread.
std::unique_ptr<Transport> CurlTransport(CurlOptions options = {});

}  // namespace prometheus::http
