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

// Where a run's cost comes from: the lake's billed figure, its estimate
// (kpi::EstimateCost), or the user's core-hour price.
enum class CostBasis { kNone, kBilled, kEstimated, kCoreHourPrice };

struct RunCost {
  std::optional<double> value;
  CostBasis basis = CostBasis::kNone;
};

RunCost CostOf(const lake::StoredApplication& app, std::optional<double> price) {
  if (app.estimated_list_cost) {
    bool billed = app.cost_basis && app.cost_basis->starts_with("billed");
    return {app.estimated_list_cost, billed ? CostBasis::kBilled : CostBasis::kEstimated};
  }
  if (price) return {CoreHours(app) * *price, CostBasis::kCoreHourPrice};
  return {};
}

// Runs in time order, averaged into at most `points` buckets of equal size.
Json Trend(std::vector<const lake::StoredApplication*> runs, size_t points,
           std::optional<double> price) {
  std::ranges::sort(runs, {}, [](const lake::StoredApplication* run) { return Start(*run); });
  size_t buckets = std::min(points, runs.size());
  Json t = Json::array(), duration = t, task = t, spill = t, shuffle = t, core_hours = t,
       app_ids = t, cost = t;
  for (size_t b = 0; b < buckets; ++b) {
    size_t from = b * runs.size() / buckets;
    size_t to = (b + 1) * runs.size() / buckets;
    double n = static_cast<double>(to - from);
    double sum_t = 0, sum_d = 0, sum_task = 0, sum_spill = 0, sum_shuffle = 0, sum_ch = 0;
    double sum_cost = 0;
    size_t costed = 0;
    for (size_t i = from; i < to; ++i) {
      const auto& run = *runs[i];
      sum_t += static_cast<double>(Start(run));
      sum_d += static_cast<double>(run.duration_ms.value_or(0));
      sum_task += static_cast<double>(run.task_time_ms);
      sum_spill += static_cast<double>(run.disk_bytes_spilled);
      sum_shuffle += static_cast<double>(run.shuffle_read_bytes + run.shuffle_write_bytes);
      sum_ch += CoreHours(run);
      if (auto c = CostOf(run, price).value) {
        sum_cost += *c;
        ++costed;
      }
    }
    t.push_back(static_cast<int64_t>(sum_t / n));
    duration.push_back(static_cast<int64_t>(sum_d / n));
    task.push_back(static_cast<int64_t>(sum_task / n));
    spill.push_back(static_cast<int64_t>(sum_spill / n));
    shuffle.push_back(static_cast<int64_t>(sum_shuffle / n));
    core_hours.push_back(sum_ch / n);
    cost.push_back(costed ? Json(sum_cost / static_cast<double>(costed)) : Json(nullptr));
    app_ids.push_back(to - from == 1 ? Json(runs[from]->app_id) : Json(nullptr));
  }
  return {{"t", t},           {"duration_ms", duration}, {"task_ms", task},
          {"spill_bytes", spill}, {"shuffle_bytes", shuffle}, {"core_hours", core_hours},
          {"cost", cost}, {"app_id", app_ids}, {"bucketed", buckets < runs.size()}};
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

std::optional<double> CoreHourPrice(const lake::StoredApplication& app,
                                    std::optional<double> price, std::string* basis) {
  std::string words;
  std::optional<double> out;
  double core_hours = CoreHours(app);
  if (price) {
    out = price;
    words = "at the given core-hour price";
  } else if (app.estimated_list_cost && core_hours > 0) {
    out = *app.estimated_list_cost / core_hours;
    bool billed = app.cost_basis && app.cost_basis->starts_with("billed");
    words = std::string("at this run's ") + (billed ? "billed" : "estimated") +
            " cost per core-hour (" + (billed ? "billed" : "the Databricks cost model") +
            ": the cluster's price scales with its nodes)";
  }
  if (basis) *basis = words;
  return out;
}

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

  // Jobs, ranked by cost (the lake's billed or estimated cost, else
  // core-hours at --core-hour-price), else by core-hours.
  std::map<std::string, std::vector<const lake::StoredApplication*>> by_job;
  double total_core_hours = 0, total_cost = 0;
  int64_t total_task_ms = 0;
  std::map<CostBasis, size_t> bases;
  std::string currency;
  for (const auto& app : input.applications) {
    by_job[JobKey(app)].push_back(&app);
    total_core_hours += CoreHours(app);
    total_task_ms += app.task_time_ms;
    RunCost cost = CostOf(app, input.core_hour_price);
    ++bases[cost.basis];
    total_cost += cost.value.value_or(0);
    if (cost.basis != CostBasis::kCoreHourPrice && app.cost_currency && currency.empty())
      currency = *app.cost_currency;
  }
  std::map<std::string, std::vector<const LoopPull*>> merged_of_job;
  for (const auto& pull : input.pulls)
    if (pull.state == "merged") merged_of_job[pull.job].push_back(&pull);
  Json jobs = Json::array();
  for (const auto& [key, runs] : by_job) {
    int64_t total_ms = 0;
    double core_hours = 0, cost = 0;
    size_t costed = 0;
    const lake::StoredApplication* last = runs.front();
    for (const auto* run : runs) {
      total_ms += run->duration_ms.value_or(0);
      core_hours += CoreHours(*run);
      if (auto c = CostOf(*run, input.core_hour_price).value) {
        cost += *c;
        ++costed;
      }
      if (Start(*run) > Start(*last)) last = run;
    }
    Json fixes = Json::array();
    for (const auto* pull : merged_of_job[key]) {
      fixes.push_back({{"number", pull->number},
                       {"url", pull->url},
                       {"title", pull->title},
                       {"merged_at", pull->merged_at_ms},
                       {"verdict", pull->verdict}});
    }
    jobs.push_back({{"key", key},
                    {"name", last->app_name},
                    {"runs", runs.size()},
                    {"total_ms", total_ms},
                    {"mean_ms", total_ms / static_cast<int64_t>(runs.size())},
                    {"core_hours", core_hours},
                    {"cost", costed ? Json(cost) : Json(nullptr)},
                    {"costed_runs", costed},
                    {"last_app_id", last->app_id},
                    {"fixes", std::move(fixes)},
                    {"trend", Trend(runs, limits.trend_points, input.core_hour_price)}});
  }
  bool any_cost = bases[CostBasis::kBilled] + bases[CostBasis::kEstimated] +
                      bases[CostBasis::kCoreHourPrice] > 0;
  std::sort(jobs.begin(), jobs.end(), [&](const Json& a, const Json& b) {
    const char* key = any_cost ? "cost" : "core_hours";
    double va = a[key].is_null() ? -1 : a[key].get<double>();
    double vb = b[key].is_null() ? -1 : b[key].get<double>();
    if (va != vb) return va > vb;
    return a["core_hours"].get<double>() > b["core_hours"].get<double>();
  });
  // Which costs these are, in words, for the page to say.
  std::vector<std::string> basis_words;
  auto count = [&](CostBasis b, std::string_view what) {
    if (bases[b]) basis_words.push_back(std::to_string(bases[b]) + " " + std::string(what));
  };
  count(CostBasis::kBilled, "billed (system.billing)");
  count(CostBasis::kEstimated, "estimated from the cluster and the price table");
  if (input.core_hour_price) {
    count(CostBasis::kCoreHourPrice, "core-hours at the given core-hour price");
  }
  count(CostBasis::kNone, "without a cost");
  data["cost"] = {{"known", any_cost},
                  {"currency", currency},
                  {"billed", bases[CostBasis::kBilled]},
                  {"estimated", bases[CostBasis::kEstimated]},
                  {"core_hour_price", bases[CostBasis::kCoreHourPrice]},
                  {"none", bases[CostBasis::kNone]},
                  {"basis", basis_words}};
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
  // The pull request that carries out each recommendation (the newest).
  std::unordered_map<std::string, const LoopPull*> pull_of_rec;
  for (const auto& pull : input.pulls) {
    for (const auto& id : pull.recommendation_ids) pull_of_rec.emplace(id, &pull);
  }
  Json rec_json = Json::array();
  for (size_t i = 0; i < recs.size() && i < limits.recommendations; ++i) {
    const auto& r = *recs[i];
    auto pull = pull_of_rec.find(r.recommendation_id);
    Json pull_json = nullptr;
    if (pull != pull_of_rec.end()) {
      pull_json = {{"number", pull->second->number},
                   {"url", pull->second->url},
                   {"state", pull->second->state},
                   {"verdict", pull->second->verdict},
                   {"diff", pull->second->diff}};
    }
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
                        {"fix", ParseOrText(r.fix)},
                        {"pull", std::move(pull_json)},
                        {"would_fix", input.would_fix.contains(r.recommendation_id)
                                          ? Json(input.would_fix.at(r.recommendation_id))
                                          : Json(nullptr)}});
  }
  data["recommendations"] = std::move(rec_json);
  data["totals"] = {{"runs", input.applications.size()},
                    {"jobs", by_job.size()},
                    {"core_hours", total_core_hours},
                    {"cost", any_cost ? Json(total_cost) : Json(nullptr)},
                    {"task_ms", total_task_ms},
                    {"recommendations", input.recommendations.size()}};

  // The closed loop: every Prometheus pull request, what verify measured.
  Json pulls = Json::array();
  for (const auto& pull : input.pulls) {
    Json changes = Json::array();
    for (const auto& c : pull.changes) {
      changes.push_back({{"name", c.name}, {"before", c.before}, {"after", c.after},
                         {"band", c.band}, {"bytes", c.bytes}});
    }
    pulls.push_back({{"number", pull.number},
                     {"url", pull.url},
                     {"title", pull.title},
                     {"state", pull.state},
                     {"job", pull.job},
                     {"merged_at", pull.merged_at_ms ? Json(pull.merged_at_ms) : Json(nullptr)},
                     {"fixes", pull.recommendation_ids.size()},
                     {"verdict", pull.verdict},
                     {"runs_before", pull.runs_before},
                     {"runs_after", pull.runs_after},
                     {"split", pull.split},
                     {"changes", std::move(changes)},
                     {"revert", pull.revert_number ? Json({{"number", pull.revert_number},
                                                          {"url", pull.revert_url},
                                                          {"state", pull.revert_state}})
                                                   : Json(nullptr)}});
  }
  data["loop"] = {{"note", input.loop_note}, {"pulls", std::move(pulls)}};

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
    std::string price_basis;
    CoreHourPrice(*app, input.core_hour_price, &price_basis);
    RunCost run_cost = CostOf(*app, input.core_hour_price);
    apps.push_back({{"app_id", app->app_id},
                    {"attempt", app->app_attempt_id.value_or("")},
                    {"name", app->app_name},
                    {"job", JobKey(*app)},
                    {"start", Start(*app)},
                    {"duration_ms", app->duration_ms.value_or(0)},
                    {"task_ms", app->task_time_ms},
                    {"executors", app->num_executors},
                    {"core_hours", CoreHours(*app)},
                    {"cost", OrNull(run_cost.value)},
                    {"price_basis", price_basis},
                    {"stages", std::move(stage_json)},
                    {"core_use", std::move(use_json)},
                    {"whatif", sizing == input.sizings.end() ? Json(nullptr)
                                                             : SizingToJson(sizing->second)}});
  }
  data["apps"] = std::move(apps);
  return data;
}

}  // namespace prometheus::report
