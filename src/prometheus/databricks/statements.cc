#include "prometheus/databricks/statements.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace prometheus::databricks {
namespace {

using nlohmann::json;

constexpr std::string_view kEndpoint = "/api/2.0/sql/statements";

// The statement's first words, for messages (never its parameters' values).
std::string Lead(const std::string& statement) {
  std::string lead;
  for (char c : statement.substr(0, 60)) lead += (c == '\n' ? ' ' : c);
  return statement.size() > 60 ? lead + "..." : lead;
}

std::string State(const json& answer) {
  auto status = answer.find("status");
  if (status == answer.end() || !status->is_object()) return "";
  return status->value("state", "");
}

// Appends a ResultData's data_array to `rows`; returns its next_chunk_index.
Result<std::optional<int64_t>> TakeRows(const json& data, const std::string& where,
                                        std::vector<std::vector<std::optional<std::string>>>& rows) {
  if (auto array = data.find("data_array"); array != data.end()) {
    if (!array->is_array()) return Fail(ErrorCode::kCorrupt, "{}: data_array is not an array", where);
    for (const auto& row : *array) {
      if (!row.is_array()) return Fail(ErrorCode::kCorrupt, "{}: a row is not an array", where);
      auto& out = rows.emplace_back();
      for (const auto& value : row) {
        if (value.is_null()) {
          out.emplace_back();
        } else if (value.is_string()) {
          out.emplace_back(value.get<std::string>());
        } else {
          return Fail(ErrorCode::kCorrupt, "{}: a value is not a string or null: {}", where,
                      value.dump().substr(0, 40));
        }
      }
    }
  }
  if (auto next = data.find("next_chunk_index"); next != data.end() && next->is_number_integer()) {
    return std::optional<int64_t>(next->get<int64_t>());
  }
  return std::optional<int64_t>();
}

}  // namespace

Result<StatementResult> ExecuteStatement(const Workspace& workspace, const StatementOptions& options,
                                         const std::string& statement,
                                         const std::vector<StatementParameter>& parameters) {
  json body{{"warehouse_id", options.warehouse_id},
            {"statement", statement},
            {"wait_timeout", "10s"},
            {"on_wait_timeout", "CONTINUE"},
            {"disposition", "INLINE"},
            {"format", "JSON_ARRAY"}};
  json params = json::array();
  for (const auto& p : parameters) {
    json one{{"name", p.name}};
    if (p.value) one["value"] = *p.value;
    if (!p.type.empty()) one["type"] = p.type;
    params.push_back(std::move(one));
  }
  body["parameters"] = std::move(params);
  PROM_ASSIGN_OR_RETURN(json answer, workspace.PostJson(kEndpoint, body));
  std::string id = answer.value("statement_id", "");
  if (id.empty()) return Fail(ErrorCode::kCorrupt, "POST {}: the answer has no statement_id", kEndpoint);
  const std::string path = fmt::format("{}/{}", kEndpoint, id);
  const auto start = std::chrono::steady_clock::now();
  auto wait = options.first_poll;
  for (std::string state = State(answer); state == "PENDING" || state == "RUNNING";
       state = State(answer)) {
    if (std::chrono::steady_clock::now() - start > options.time_limit) {
      (void)workspace.PostJson(path + "/cancel", json::object());
      return Fail(ErrorCode::kUnavailable, "statement {} ({}) still {} after {} s: cancelled", id,
                  Lead(statement), state,
                  std::chrono::duration_cast<std::chrono::seconds>(options.time_limit).count());
    }
    std::this_thread::sleep_for(wait);
    wait = std::min(options.max_poll, wait + wait / 2);
    PROM_ASSIGN_OR_RETURN(answer, workspace.GetJson(path, {}));
  }
  const std::string state = State(answer);
  if (state != "SUCCEEDED") {
    const json& status = answer["status"];
    std::string detail = "no error given";
    if (auto error = status.find("error"); error != status.end() && error->is_object()) {
      detail = fmt::format("{}: {}", error->value("error_code", "UNKNOWN"), error->value("message", ""));
    }
    std::replace(detail.begin(), detail.end(), '\n', ' ');  // one line
    return Fail(state == "FAILED" ? ErrorCode::kInvalidArgument : ErrorCode::kUnavailable,
                "statement {} ({}) ended {}: {}", id, Lead(statement),
                state.empty() ? "without a state" : state, detail);
  }
  StatementResult result;
  result.statement_id = id;
  if (auto manifest = answer.find("manifest"); manifest != answer.end() && manifest->is_object()) {
    if (std::string format = manifest->value("format", "JSON_ARRAY"); format != "JSON_ARRAY") {
      return Fail(ErrorCode::kCorrupt, "{}: result format {}, JSON_ARRAY was asked for", path, format);
    }
    if (manifest->value("truncated", false)) {
      return Fail(ErrorCode::kCorrupt, "{}: the result was truncated", path);
    }
    if (auto schema = manifest->find("schema"); schema != manifest->end() && schema->is_object()) {
      for (const auto& column : schema->value("columns", json::array())) {
        result.columns.push_back(column.value("name", ""));
      }
    }
  }
  std::optional<int64_t> next;
  if (auto data = answer.find("result"); data != answer.end() && data->is_object()) {
    PROM_ASSIGN_OR_RETURN(next, TakeRows(*data, path, result.rows));
  }
  while (next) {
    std::string chunk_path = fmt::format("{}/result/chunks/{}", path, *next);
    PROM_ASSIGN_OR_RETURN(json chunk, workspace.GetJson(chunk_path, {}));
    PROM_ASSIGN_OR_RETURN(next, TakeRows(chunk, chunk_path, result.rows));
  }
  for (const auto& row : result.rows) {
    if (row.size() != result.columns.size()) {
      return Fail(ErrorCode::kCorrupt, "{}: a row of {} values for {} columns", path, row.size(),
                  result.columns.size());
    }
  }
  return result;
}

}  // namespace prometheus::databricks
