#include "prometheus/report/json_report.h"

#include "prometheus/report/format.h"

namespace prometheus::report {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json Nullable(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json Time(const std::optional<int64_t>& epoch_ms) {
  return epoch_ms ? Json(FormatTimestamp(*epoch_ms)) : Json(nullptr);
}

Json TotalsToJson(const kpi::WorkTotals& t) {
  return Json{{"num_stages", t.num_stages},
              {"num_tasks", t.num_tasks},
              {"num_failed_tasks", t.num_failed_tasks},
              {"task_time_ms", t.task_time_ms},
              {"cpu_time_ms", t.cpu_time_ms},
              {"gc_time_ms", t.gc_time_ms},
              {"input_bytes", t.input_bytes},
              {"output_bytes", t.output_bytes},
              {"shuffle_read_bytes", t.shuffle_read_bytes},
              {"shuffle_write_bytes", t.shuffle_write_bytes},
              {"memory_bytes_spilled", t.memory_bytes_spilled},
              {"disk_bytes_spilled", t.disk_bytes_spilled}};
}

Json ApplicationToJson(const kpi::Analysis& a) {
  const model::Application& app = a.log.application;
  const kpi::ApplicationKpis& k = a.application;
  Json parts = Json::array();
  for (const auto& part : a.log.input.parts) parts.push_back(part.path.string());
  Json corrupt = Json::array();
  for (const auto& line : a.log.corrupt_lines) {
    corrupt.push_back({{"file", line.file}, {"line", line.line}, {"reason", line.reason}});
  }
  Json jobs = Json::array();
  for (const auto& job : a.jobs) {
    Json row{{"job_id", job.job_id},
             {"sql_execution_id", Nullable(job.sql_execution_id)},
             {"status", job.status},
             {"duration_ms", Nullable(job.duration_ms)},
             {"description", job.description}};
    row.update(TotalsToJson(job.totals));
    jobs.push_back(std::move(row));
  }
  Json stages = Json::array();
  for (const auto& stage : a.stages) stages.push_back(StageKpisToJson(stage));
  bool complete = app.end_time.has_value() && !a.log.input.in_progress;
  Json summary{{"duration_ms", Nullable(k.duration_ms)},
               {"num_jobs", k.num_jobs},
               {"num_failed_jobs", k.num_failed_jobs},
               {"num_executors", k.num_executors},
               {"max_cores", k.max_cores},
               {"core_seconds_available", Nullable(k.core_seconds_available)},
               {"core_seconds_used", k.core_seconds_used},
               {"core_utilization", Nullable(k.core_utilization)}};
  summary.update(TotalsToJson(k.totals));
  return Json{
      {"app_id", app.app_id},
      {"app_attempt_id", app.attempt_id.empty() ? Json(nullptr) : Json(app.attempt_id)},
      {"app_name", app.name},
      {"user", app.user},
      {"spark_version", app.spark_version},
      {"start_time", Time(app.start_time)},
      {"end_time", Time(app.end_time)},
      {"status", complete ? "complete" : "in_progress"},
      {"source",
       {{"path", a.log.input.name},
        {"layout", io::LayoutName(a.log.input.layout)},
        {"parts", parts},
        {"compacted", a.log.input.compacted},
        {"lines", a.log.lines},
        {"events", a.log.events},
        {"ignored_events", a.log.ignored_events},
        {"truncated_last_line", a.log.truncated_tail}}},
      {"corrupt_lines", a.log.corrupt_line_count},
      {"corrupt_line_samples", corrupt},
      {"summary", summary},
      {"jobs", jobs},
      {"stages", stages},
  };
}

}  // namespace

Json StageKpisToJson(const kpi::StageKpis& r) {
  Json row = Json::object();
  kpi::VisitColumns(r, [&](std::string_view name, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, kpi::EpochMillis>) {
      row[std::string(name)] = Time(value.value);
    } else if constexpr (requires { value.has_value(); }) {
      row[std::string(name)] = Nullable(value);
    } else {
      row[std::string(name)] = value;
    }
  });
  return row;
}

std::string RenderJson(
    const std::vector<kpi::Analysis>& analyses,
    const std::vector<std::string>& warnings,
    const std::vector<std::vector<rules::Recommendation>>* recommendations) {
  Json applications = Json::array();
  int64_t corrupt = 0;
  for (size_t i = 0; i < analyses.size(); ++i) {
    const kpi::Analysis& analysis = analyses[i];
    applications.push_back(ApplicationToJson(analysis));
    if (recommendations != nullptr) {
      Json list = Json::array();
      for (const auto& r : (*recommendations)[i]) list.push_back(rules::ToJson(r));
      applications.back()["recommendations"] = std::move(list);
    }
    corrupt += analysis.log.corrupt_line_count;
  }
  Json document{{"applications", std::move(applications)},
                {"corrupt_lines", corrupt},
                {"warnings", warnings}};
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace prometheus::report
