#include "prometheus/loop/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace prometheus::loop {
namespace {

std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (keep) out += lower;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

JobKey DatabricksJob(int64_t job_id) {
  JobKey key;
  key.job_id = job_id;
  key.slug = fmt::format("job-{}", job_id);
  key.label = fmt::format("Databricks job {}", job_id);
  return key;
}

JobKey NamedJob(const std::string& app_name, const std::string& entry_point) {
  JobKey key;
  key.app_name = app_name;
  key.entry_point = entry_point;
  std::string stem = entry_point.empty() ? "" : std::filesystem::path(entry_point).stem().string();
  std::string slug = Slug(app_name);
  if (!stem.empty() && Slug(stem) != slug) slug += (slug.empty() ? "" : "-") + Slug(stem);
  if (slug.size() > 48) slug.resize(48);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  key.slug = slug.empty() ? "app" : slug;
  key.label = entry_point.empty() ? app_name : fmt::format("{} ({})", app_name, entry_point);
  return key;
}

Applications ByAppId(const std::vector<lake::StoredApplication>& rows) {
  Applications out;
  for (const auto& row : rows) out[row.app_id] = &row;
  return out;
}

JobKey JobOf(const lake::StoredRecommendation& recommendation, const Applications& applications) {
  if (recommendation.job_id) return DatabricksJob(*recommendation.job_id);
  auto app = applications.find(recommendation.app_id);
  if (app != applications.end() && app->second->job_id) return DatabricksJob(*app->second->job_id);
  std::string name = app != applications.end() ? app->second->app_name : recommendation.app_id;
  return NamedJob(name, recommendation.entry_point.value_or(""));
}

std::vector<const lake::StoredApplication*> RunsOf(
    const JobKey& job, const std::vector<lake::StoredApplication>& applications,
    const std::map<std::string, std::string>& entry_point_by_app) {
  std::vector<const lake::StoredApplication*> out;
  for (const auto& app : applications) {
    if (app.status != "complete") continue;
    if (job.job_id) {
      if (app.job_id == job.job_id) out.push_back(&app);
      continue;
    }
    if (app.job_id || app.app_name != job.app_name) continue;
    auto entry = entry_point_by_app.find(app.app_id);
    if (entry != entry_point_by_app.end() && !job.entry_point.empty() &&
        entry->second != job.entry_point)
      continue;
    out.push_back(&app);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return a->start_time.value.value_or(0) < b->start_time.value.value_or(0);
  });
  return out;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double RelativeSpread(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  double median = Median(values);
  if (median == 0) return 0;
  std::vector<double> deviations;
  for (double value : values) deviations.push_back(std::abs(value - median));
  return 1.4826 * Median(deviations) / std::abs(median);
}

Figures MedianFigures(const std::vector<const lake::StoredApplication*>& runs) {
  Figures out;
  out.runs = runs.size();
  std::vector<double> duration, task, spill, shuffle, cost;
  for (const auto* run : runs) {
    duration.push_back(run->duration_ms.value_or(0) / 1000.0);
    task.push_back(run->task_time_ms / 1000.0);
    spill.push_back(static_cast<double>(run->disk_bytes_spilled));
    shuffle.push_back(static_cast<double>(run->shuffle_read_bytes + run->shuffle_write_bytes));
    if (run->estimated_list_cost) {
      cost.push_back(*run->estimated_list_cost);
      out.currency = run->cost_currency.value_or("");
    }
  }
  out.duration_s = Median(duration);
  out.task_time_s = Median(task);
  out.spill_bytes = Median(spill);
  out.shuffle_bytes = Median(shuffle);
  if (!cost.empty()) out.cost = Median(cost);
  return out;
}

}  // namespace prometheus::loop
