#include "prometheus/databricks/workspace.h"

#include <fmt/format.h>

#include "prometheus/base/base64.h"
#include "prometheus/http/url.h"

namespace prometheus::databricks {
namespace {

using nlohmann::json;

// Expired this long before the server says, as the SDKs do (Azure refuses
// tokens with 30 s or less left).
constexpr std::chrono::seconds kRefreshEarly{40};

bool Refused(int status) { return status == 401 || status == 403; }

}  // namespace

std::string ErrorDetail(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    auto text = [&](const char* key) -> std::string {
      auto it = parsed.find(key);
      if (it == parsed.end()) return "";
      return it->is_string() ? it->get<std::string>() : it->dump();
    };
    // A numeric error_code (403 for a bad token) only repeats the status.
    std::string code = parsed.contains("error_code") && parsed["error_code"].is_number()
                           ? "" : text("error_code");
    std::string message = text("message");
    if (code.empty() && message.empty()) {
      code = text("error");
      message = text("error_description");
    }
    if (!code.empty() && !message.empty()) return code + ": " + message;
    if (!code.empty() || !message.empty()) return code + message;
  }
  auto pre = body.find("<pre>");
  if (pre != std::string_view::npos) {
    auto end = body.find("</pre>", pre);
    return std::string(body.substr(pre + 5, end == std::string_view::npos ? 200 : end - pre - 5));
  }
  std::string text(body.substr(0, 200));
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

Workspace::Workspace(Config config, http::Transport& transport, http::RetryPolicy policy,
                     http::Timing timing)
    : config_(std::move(config)), client_(transport, policy, timing), timing_(std::move(timing)) {}

Result<std::string> Workspace::Authorization() const {
  if (config_.auth == AuthType::kPat) return "Bearer " + config_.token;
  std::lock_guard lock(token_mutex_);
  if (!oauth_header_.empty() && timing_.now() < oauth_expiry_ - kRefreshEarly) return oauth_header_;
  http::Request request;
  request.method = "POST";
  request.url = config_.host + "/oidc/v1/token";
  request.headers = {
      {"Authorization",
       "Basic " + Base64Encode(config_.client_id + ":" + config_.client_secret)},
      {"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "grant_type=client_credentials&scope=all-apis";
  ++requests_;
  PROM_ASSIGN_OR_RETURN(http::Response response, client_.Send(request));
  if (response.status / 100 != 2) {
    Error error = http::StatusError(request, response, ErrorDetail(response.body));
    if (Refused(response.status) || response.status == 400) {
      error.code = ErrorCode::kInvalidArgument;
      error.message += fmt::format(" (OAuth client from {}; {})", config_.source, config_.fix_hint);
    }
    return std::unexpected(std::move(error));
  }
  json token = json::parse(response.body, nullptr, false);
  if (!token.is_object() || !token.contains("access_token") || !token["access_token"].is_string()) {
    return Fail(ErrorCode::kCorrupt, "{}: the answer has no access_token", http::EndpointName(request));
  }
  std::string type = token.value("token_type", "Bearer");
  int64_t expires_in = token.contains("expires_in") && token["expires_in"].is_number_integer()
                           ? token["expires_in"].get<int64_t>()
                           : 3600;
  oauth_header_ = type + " " + token["access_token"].get<std::string>();
  oauth_expiry_ = timing_.now() + std::chrono::seconds(expires_in);
  return oauth_header_;
}

Result<http::Response> Workspace::Send(http::Request request) const {
  PROM_ASSIGN_OR_RETURN(std::string authorization, Authorization());
  request.headers.emplace_back("Authorization", std::move(authorization));
  ++requests_;
  PROM_ASSIGN_OR_RETURN(http::Response response, client_.Send(request));
  if (response.status / 100 == 2) return response;
  Error error = http::StatusError(request, response, ErrorDetail(response.body));
  if (Refused(response.status)) {
    error.message += fmt::format(" (credentials from {}; {})", config_.source, config_.fix_hint);
  }
  return std::unexpected(std::move(error));
}

Result<nlohmann::json> Workspace::ParseObject(const http::Request& request,
                                              const http::Response& response) const {
  json parsed = json::parse(response.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Fail(ErrorCode::kCorrupt, "{}: the answer is not a JSON object (first bytes: '{}')",
                http::EndpointName(request), response.body.substr(0, 60));
  }
  return parsed;
}

Result<nlohmann::json> Workspace::GetJson(std::string_view path, const Query& query) const {
  http::Request request;
  request.url = config_.host + std::string(path) + http::QueryString(query);
  request.headers = {{"Accept", "application/json"}};
  PROM_ASSIGN_OR_RETURN(http::Response response, Send(request));
  return ParseObject(request, response);
}

Result<nlohmann::json> Workspace::PostJson(std::string_view path, const nlohmann::json& body) const {
  http::Request request;
  request.method = "POST";
  request.url = config_.host + std::string(path);
  request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  request.body = body.dump();
  PROM_ASSIGN_OR_RETURN(http::Response response, Send(request));
  return ParseObject(request, response);
}

Result<http::Response> Workspace::Put(std::string_view path, std::string body,
                                      std::vector<std::pair<std::string, std::string>> headers) const {
  http::Request request;
  request.method = "PUT";
  request.url = config_.host + std::string(path);
  request.headers = std::move(headers);
  request.body = std::move(body);
  return Send(std::move(request));
}

Result<http::Response> Workspace::Get(std::string_view path,
                                      std::vector<std::pair<std::string, std::string>> headers) const {
  http::Request request;
  request.url = config_.host + std::string(path);
  request.headers = std::move(headers);
  return Send(std::move(request));
}

Result<http::Response> Workspace::Delete(std::string_view path) const {
  http::Request request;
  request.method = "DELETE";
  request.url = config_.host + std::string(path);
  return Send(std::move(request));
}

}  // namespace prometheus::databricks
