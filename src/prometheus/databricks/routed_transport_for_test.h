// A fake http::Transport for tests: answers by method and URL prefix (the
// longest matching route wins), records every request.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "prometheus/http/http.h"

namespace prometheus::databricks {

class RoutedTransport : public http::Transport {
 public:
  using Handler = std::function<http::Response(const http::Request&)>;
  void Route(std::string method, std::string url_prefix, Handler handler) {
    routes_.push_back({std::move(method), std::move(url_prefix), std::move(handler)});
  }
  Result<http::Response> Send(const http::Request& request) override {
    const Entry* best = nullptr;
    for (const auto& route : routes_) {
      if (route.method == request.method && request.url.starts_with(route.prefix) &&
          (best == nullptr || route.prefix.size() >= best->prefix.size())) {
        best = &route;
      }
    }
    {
      std::lock_guard lock(mutex_);
      sent.push_back(request);
    }
    if (best == nullptr) return http::Response{404, {}, R"({"error_code":"NOT_FOUND","message":"no route"})"};
    return best->handler(request);
  }
  std::vector<http::Request> sent;

 private:
  struct Entry {
    std::string method, prefix;
    Handler handler;
  };
  std::vector<Entry> routes_;
  std::mutex mutex_;
};

}  // namespace prometheus::databricks
