#include "prometheus/report/html_data.h"

#include <algorithm>
#include <unordered_map>

namespace prometheus::report {
namespace {

using Json = nlohmann::ordered_json;

// The value, or null.
template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

double CoreHours(const lake::StoredApplication& app) {
  double seconds = app.core_seconds_available.value_or(app.core_seconds_used);
  return seconds / 3600;
}

int64_t Start(const lake::StoredApplication& app) { return app.start_time.value.value_or(0); }

std::string AppKeyOf(std::string_view app_id, const std::optional<std::string>& attempt) {
  return std::string(app_id) + "#" + attempt.value_or("");
}

Json Cost(double core_hours, std::optional<double> price) {
  return price ? Json(core_hours * *price) : Json(nullptr);
}

// Runs in time order, averaged into at most `points` buckets of equal size.
Json Trend(std::vector<const lake::StoredApplication*> runs, size_t points) {
  std::ranges::sort(runs, {}, [](const lake::StoredApplication* run) { return Start(*run); });
  size_t buckets = std::min(points, runs.size());
  Json t = Json::array(), duration = t, task = t, spill = t, shuffle = t, core_hours = t,
       app_ids = t;
  for (size_t b = 0; b < buckets; ++b) {
    size_t from = b * runs.size() / buckets;
    size_t to = (b + 1) * runs.size() / buckets;
    double n = static_cast<double>(to - from);
    double sum_t = 0, sum_d = 0, sum_task = 0, sum_spill = 0, sum_shuffle = 0, sum_ch = 0;
    for (size_t i = from; i < to; ++i) {
      const auto& run = *runs[i];
      sum_t += static_cast<double>(Start(run));
      sum_d += static_cast<double>(run.duration_ms.value_or(0));
      sum_task += static_cast<double>(run.task_time_ms);
      sum_spill += static_cast<double>(run.disk_bytes_spilled);
      sum_shuffle += static_cast<double>(run.shuffle_read_bytes + run.shuffle_write_bytes);
      sum_ch += CoreHours(run);
    }
    t.push_back(static_cast<int64_t>(sum_t / n));
    duration.push_back(static_cast<int64_t>(sum_d / n));
    task.push_back(static_cast<int64_t>(sum_task / n));
    spill.push_back(static_cast<int64_t>(sum_spill / n));
    shuffle.push_back(static_cast<int64_t>(sum_shuffle / n));
    core_hours.push_back(sum_ch / n);
    app_ids.push_back(to - from == 1 ? Json(runs[from]->app_id) : Json(nullptr));
  }
  return {{"t", t},           {"duration_ms", duration}, {"task_ms", task},
          {"spill_bytes", spill}, {"shuffle_bytes", shuffle}, {"core_hours", core_hours},
          {"app_id", app_ids}, {"bucketed", buckets < runs.size()}};
}

Json StageJson(const kpi::StageKpis& s) {
  return {{"id", s.stage_id},
          {"attempt", s.stage_attempt_id},
          {"name", s.stage_name},
          {"status", s.status},
          {"start", OrNull(s.submission_time)},
          {"end", OrNull(s.completion_time)},
          {"tasks", s.num_tasks},
          {"task_ms", s.executor_run_time_ms},
          {"q", {OrNull(s.task_duration_ms_min), OrNull(s.task_duration_ms_p25),
                 OrNull(s.task_duration_ms_p50), OrNull(s.task_duration_ms_p75),
                 OrNull(s.task_duration_ms_p95), OrNull(s.task_duration_ms_max)}},
          {"skew", OrNull(s.max_task_skew_ratio)},
          {"spill_bytes", s.disk_bytes_spilled}};
}

Json ParseOrText(const std::string& text) {
  auto json = Json::parse(text, nullptr, false);
  return json.is_discarded() ? Json(text) : json;
}

}  // namespace

std::string JobKey(const lake::StoredApplication& app) {
  if (app.job_id) return "job " + std::to_string(*app.job_id);
  return app.app_name.empty() ? app.app_id : app.app_name;
}

std::vector<const lake::StoredApplication*> DrilldownApplications(
    const std::vector<lake::StoredApplication>& applications, size_t limit, bool every_run) {
  if (every_run) {
    std::vector<const lake::StoredApplication*> chosen;
    for (const auto& app : applications) chosen.push_back(&app);
    std::ranges::stable_sort(chosen, std::greater<>{},
                             [](const lake::StoredApplication* app) { return CoreHours(*app); });
    if (chosen.size() > limit) chosen.resize(limit);
    return chosen;
  }
  std::unordered_map<std::string, const lake::StoredApplication*> latest;
  std::unordered_map<std::string, double> job_core_hours;
  for (const auto& app : applications) {
    std::string key = JobKey(app);
    job_core_hours[key] += CoreHours(app);
    auto& slot = latest[key];
    if (!slot || Start(app) > Start(*slot)) slot = &app;
  }
  std::vector<const lake::StoredApplication*> chosen;
  for (const auto& [key, app] : latest) chosen.push_back(app);
  std::ranges::sort(chosen, [&](const auto* a, const auto* b) {
    double ca = job_core_hours[JobKey(*a)], cb = job_core_hours[JobKey(*b)];
    return ca != cb ? ca > cb : a->app_id < b->app_id;
  });
  if (chosen.size() > limit) chosen.resize(limit);
  return chosen;
}

Json BuildReportData(const ReportInput& input, const ReportLimits& limits) {
  Json data;
  data["title"] = input.title;
  data["source"] = input.source;
  data["generated_at"] = input.generated_at_ms;
  data["price"] = OrNull(input.core_hour_price);

  // Jobs, ranked by core-hours.
  std::map<std::string, std::vector<const lake::StoredApplication*>> by_job;
  double total_core_hours = 0;
  int64_t total_task_ms = 0;
  for (const auto& app : input.applications) {
    by_job[JobKey(app)].push_back(&app);
    total_core_hours += CoreHours(app);
    total_task_ms += app.task_time_ms;
  }
  Json jobs = Json::array();
  for (const auto& [key, runs] : by_job) {
    int64_t total_ms = 0;
    double core_hours = 0;
    const lake::StoredApplication* last = runs.front();
    for (const auto* run : runs) {
      total_ms += run->duration_ms.value_or(0);
      core_hours += CoreHours(*run);
      if (Start(*run) > Start(*last)) last = run;
    }
    jobs.push_back({{"key", key},
                    {"name", last->app_name},
                    {"runs", runs.size()},
                    {"total_ms", total_ms},
                    {"mean_ms", total_ms / static_cast<int64_t>(runs.size())},
                    {"core_hours", core_hours},
                    {"cost", Cost(core_hours, input.core_hour_price)},
                    {"last_app_id", last->app_id},
                    {"trend", Trend(runs, limits.trend_points)}});
  }
  std::sort(jobs.begin(), jobs.end(), [](const Json& a, const Json& b) {
    return a["core_hours"].get<double>() > b["core_hours"].get<double>();
  });
  data["jobs"] = std::move(jobs);

  // Recommendations, most impact first.
  std::vector<const lake::StoredRecommendation*> recs;
  for (const auto& r : input.recommendations) recs.push_back(&r);
  auto impact = [](const lake::StoredRecommendation* r) {
    return std::max(r->impact_task_seconds, r->impact_wall_seconds);
  };
  std::ranges::sort(recs, [&](const auto* a, const auto* b) {
    if (impact(a) != impact(b)) return impact(a) > impact(b);
    return a->recommendation_id < b->recommendation_id;
  });
  std::unordered_map<std::string, std::string> job_of_app;
  for (const auto& app : input.applications) job_of_app[app.app_id] = JobKey(app);
  Json rec_json = Json::array();
  for (size_t i = 0; i < recs.size() && i < limits.recommendations; ++i) {
    const auto& r = *recs[i];
    rec_json.push_back({{"id", r.recommendation_id},
                        {"rule", r.rule},
                        {"severity", r.severity},
                        {"app_id", r.app_id},
                        {"job", job_of_app.contains(r.app_id) ? job_of_app[r.app_id] : r.app_id},
                        {"message", r.message},
                        {"impact_task_s", r.impact_task_seconds},
                        {"impact_wall_s", r.impact_wall_seconds},
                        {"basis", r.impact_basis},
                        {"evidence", ParseOrText(r.evidence)},
                        {"fix", ParseOrText(r.fix)}});
  }
  data["recommendations"] = std::move(rec_json);
  data["totals"] = {{"runs", input.applications.size()},
                    {"jobs", by_job.size()},
                    {"core_hours", total_core_hours},
                    {"cost", Cost(total_core_hours, input.core_hour_price)},
                    {"task_ms", total_task_ms},
                    {"recommendations", input.recommendations.size()}};

  // Drill-downs.
  std::unordered_map<std::string, std::vector<const kpi::StageKpis*>> stages_of;
  for (const auto& s : input.stages) stages_of[AppKeyOf(s.app_id, s.app_attempt_id)].push_back(&s);
  Json apps = Json::array();
  data["drilldown_note"] = input.drill_every_run
                               ? "Every run, most core-hours first."
                               : "The latest run of each job, jobs with most core-hours first.";
  for (const auto* app :
       DrilldownApplications(input.applications, limits.drilldowns, input.drill_every_run)) {
    std::vector<const kpi::StageKpis*> stages =
        stages_of[AppKeyOf(app->app_id, app->app_attempt_id)];
    if (stages.size() > limits.stages_per_app) {
      std::ranges::sort(stages, std::greater<>{},
                        [](const auto* s) { return s->duration_ms.value_or(0); });
      stages.resize(limits.stages_per_app);
    }
    std::ranges::sort(stages, [](const auto* a, const auto* b) {
      return std::pair(a->submission_time.value_or(0), a->stage_id) <
             std::pair(b->submission_time.value_or(0), b->stage_id);
    });
    Json stage_json = Json::array();
    for (const auto* s : stages) stage_json.push_back(StageJson(*s));
    auto sizing = input.sizings.find(app->app_id);
    auto use = input.core_uses.find(app->app_id);
    Json use_json = nullptr;
    if (use != input.core_uses.end() && !use->second.t_ms.empty()) {
      use_json = {{"t", use->second.t_ms},
                  {"alive", use->second.cores_alive},
                  {"busy", use->second.cores_busy}};
    }
    apps.push_back({{"app_id", app->app_id},
                    {"attempt", app->app_attempt_id.value_or("")},
                    {"name", app->app_name},
                    {"job", JobKey(*app)},
                    {"start", Start(*app)},
                    {"duration_ms", app->duration_ms.value_or(0)},
                    {"task_ms", app->task_time_ms},
                    {"executors", app->num_executors},
                    {"core_hours", CoreHours(*app)},
                    {"stages", std::move(stage_json)},
                    {"core_use", std::move(use_json)},
                    {"whatif", sizing == input.sizings.end() ? Json(nullptr)
                                                             : SizingToJson(sizing->second)}});
  }
  data["apps"] = std::move(apps);
  return data;
}

}  // namespace prometheus::report
