// What a job is to the closed loop (WAVE2.md): the Databricks job id when
// the lake knows one; otherwise the application name plus its entry point
// (the script or notebook path), so that the nightly runs of one script are
// one job across their applications. And a job's runs' figures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/lake/stored_records.h"

namespace prometheus::loop {

struct JobKey {
  std::optional<int64_t> job_id;
  std::string app_name;     // when no job id
  std::string entry_point;  // when no job id; "" unknown
  // For branch names: "job-123", or the application name and the entry
  // point's file stem, lower-case, [a-z0-9-] only, at most 48 characters.
  std::string slug;
  // For people: "Databricks job 123", "nightly-etl (jobs/etl.py)".
  std::string label;
};

JobKey DatabricksJob(int64_t job_id);
JobKey NamedJob(const std::string& app_name, const std::string& entry_point);

// The applications of the lake by app id (the last stored attempt).
using Applications = std::map<std::string, const lake::StoredApplication*>;
Applications ByAppId(const std::vector<lake::StoredApplication>& rows);

// The job a recommendation is about: its job id, else its application's
// name (from the applications table) and the scope's entry point.
JobKey JobOf(const lake::StoredRecommendation& recommendation, const Applications& applications);

// The job's complete runs, oldest first: applications of the same Databricks
// job, or, without one, of the same application name (the applications
// table does not hold the entry point; an application whose
// recommendations name another entry point is left out).
std::vector<const lake::StoredApplication*> RunsOf(
    const JobKey& job, const std::vector<lake::StoredApplication>& applications,
    const std::map<std::string, std::string>& entry_point_by_app);

// Medians over runs (APIS-independent, docs/LOOP.md "Before and after").
struct Figures {
  size_t runs = 0;
  double duration_s = 0;
  double task_time_s = 0;
  double spill_bytes = 0;    // disk bytes spilled
  double shuffle_bytes = 0;  // shuffle read + write
  std::optional<double> cost;  // estimated list cost
  std::string currency;
};

Figures MedianFigures(const std::vector<const lake::StoredApplication*>& runs);

double Median(std::vector<double> values);
// Relative run-to-run spread: 1.4826 * median absolute deviation / median
// (a robust standard deviation as a share of the median); 0 for < 2 values.
double RelativeSpread(const std::vector<double>& values);

}  // namespace prometheus::loop
