#include "prometheus/forge/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <thread>

namespace prometheus::forge {

using nlohmann::json;

Pacing Pacing::Real() {
  Pacing pacing;
  pacing.now_unix_seconds = [] { return static_cast<int64_t>(std::time(nullptr)); };
  pacing.sleep = [](std::chrono::seconds wait) { std::this_thread::sleep_for(wait); };
  return pacing;
}

std::string_view ForgeKindName(ForgeKind kind) {
  switch (kind) {
    case ForgeKind::kGitHub: return "GitHub";
    case ForgeKind::kGitLab: return "GitLab";
    case ForgeKind::kAzure: return "Azure DevOps";
  }
  return "forge";
}

namespace {

int64_t ToInt(const std::string& text, int64_t fallback) {
  try {
    return text.empty() ? fallback : std::stoll(text);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

Result<http::Response> Api::Send(const std::string& method, const std::string& url,
                                 const json& body) const {
  http::Request request;
  request.method = method;
  request.url = url;
  request.headers = headers_;
  request.idempotent = method == "GET" || method == "PUT" || method == "PATCH";
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.emplace_back("Content-Type", "application/json");
  }
  int backoffs = 0;  // secondary limits without a retry-after
  for (int attempt = 0;; ++attempt) {
    PROM_ASSIGN_OR_RETURN(http::Response response, client_.Send(request));
    if (response.status != 403 && response.status != 429) return response;
    const std::string retry_after = response.Header("retry-after");
    const std::string remaining = response.Header("x-ratelimit-remaining");
    const bool secondary = response.body.find("secondary rate limit") != std::string::npos ||
                           response.body.find("secondary-rate-limits") != std::string::npos;
    int64_t wait = -1;
    std::string_view which = "primary";
    if (!retry_after.empty()) {
      wait = std::max<int64_t>(1, ToInt(retry_after, 60));
      which = secondary ? "secondary" : "rate";
    } else if (remaining == "0") {
      int64_t reset = ToInt(response.Header("x-ratelimit-reset"), 0);
      wait = std::max<int64_t>(1, reset - pacing_.now_unix_seconds());
    } else if (secondary) {
      wait = int64_t{60} << std::min(backoffs++, 4);  // then exponential backoff
      which = "secondary";
    }
    if (wait < 0) return response;  // a plain 403: permissions, not a limit
    if (attempt >= 4 || std::chrono::seconds(wait) > pacing_.max_wait) {
      return Fail(ErrorCode::kUnavailable, "{}: {} limit reached{}; it resets in {} s",
                  http::EndpointName(request), which,
                  attempt >= 4 ? fmt::format(" {} times", attempt + 1) : "", wait);
    }
    pacing_.sleep(std::chrono::seconds(wait));
  }
}

Result<json> Api::Call(const std::string& method, const std::string& url, const json& body) const {
  PROM_ASSIGN_OR_RETURN(http::Response response, Send(method, url, body));
  http::Request request{method, url};
  if (response.status < 200 || response.status >= 300)
    return std::unexpected(http::StatusError(request, response, ErrorDetail(response.body)));
  if (response.body.empty() || response.status == 204) return json(nullptr);
  json parsed = json::parse(response.body, nullptr, false);
  if (parsed.is_discarded())
    return Fail(ErrorCode::kCorrupt, "{}: the answer is not JSON", http::EndpointName(request));
  return parsed;
}

Result<json> Api::CallPages(const std::string& url) const {
  json all = json::array();
  std::string next = url;
  for (int page = 0; !next.empty() && page < 100; ++page) {
    PROM_ASSIGN_OR_RETURN(http::Response response, Send("GET", next));
    http::Request request{"GET", next};
    if (response.status < 200 || response.status >= 300)
      return std::unexpected(http::StatusError(request, response, ErrorDetail(response.body)));
    json parsed = json::parse(response.body, nullptr, false);
    // Azure wraps lists in {"value": [...], "count": n}.
    if (parsed.is_object() && parsed.contains("value")) parsed = parsed["value"];
    if (!parsed.is_array())
      return Fail(ErrorCode::kCorrupt, "{}: the answer is not a JSON array", http::EndpointName(request));
    for (auto& item : parsed) all.push_back(std::move(item));
    next = NextPageUrl(response.Header("link"));
  }
  return all;
}

std::string ErrorDetail(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  std::vector<std::string> parts;
  auto add = [&](const json& value) {
    if (value.is_string()) parts.push_back(value.get<std::string>());
    if (value.is_array())
      for (const auto& item : value)
        if (item.is_string()) parts.push_back(item.get<std::string>());
  };
  if (parsed.is_object()) {
    if (parsed.contains("message")) add(parsed["message"]);
    if (parsed.contains("errors") && parsed["errors"].is_array()) {
      for (const auto& error : parsed["errors"]) {
        if (error.is_object() && error.contains("message")) add(error["message"]);
        else if (error.is_object())
          parts.push_back(fmt::format("{} {} {}", error.value("resource", ""),
                                      error.value("field", ""), error.value("code", "")));
      }
    }
    if (parsed.contains("error")) add(parsed["error"]);
  }
  if (parts.empty()) return body.substr(0, 200);
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

int64_t ParseIsoMillis(std::string_view text) {
  std::tm tm{};
  int year, month, day, hour, minute;
  double second;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%d-%d-%dT%d:%d:%lf", &year, &month, &day, &hour, &minute,
                  &second) != 6)
    return 0;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = 0;
  int64_t millis = static_cast<int64_t>(timegm(&tm)) * 1000 + static_cast<int64_t>(second * 1000);
  // An offset after the seconds: +hh:mm or -hh:mm.
  size_t t = copy.find('T');
  size_t sign = copy.find_first_of("+-", t);
  if (sign != std::string::npos && sign + 5 < copy.size() + 1) {
    int oh = 0, om = 0;
    if (std::sscanf(copy.c_str() + sign + 1, "%d:%d", &oh, &om) >= 1) {
      int64_t offset = (oh * 60 + om) * 60'000;
      millis += copy[sign] == '+' ? -offset : offset;
    }
  }
  return millis;
}

std::string NextPageUrl(const std::string& link_header) {
  size_t pos = 0;
  while ((pos = link_header.find('<', pos)) != std::string::npos) {
    size_t end = link_header.find('>', pos);
    if (end == std::string::npos) return "";
    size_t next_entry = link_header.find(',', end);
    std::string params = link_header.substr(end + 1, next_entry == std::string::npos
                                                         ? std::string::npos
                                                         : next_entry - end - 1);
    if (params.find("rel=\"next\"") != std::string::npos)
      return link_header.substr(pos + 1, end - pos - 1);
    pos = end;
  }
  return "";
}

}  // namespace prometheus::forge
