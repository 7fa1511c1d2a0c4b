// The data of the HTML report: what the lake (or one analysis) holds,
// aggregated so that a workspace of 10,000 runs stays a few megabytes: jobs
// ranked with their trends thinned to a few hundred points, the recommendations
// with most impact, and a few applications' drill-downs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/lake/stored_records.h"
#include "prometheus/report/whatif_report.h"
#include "prometheus/whatif/core_use.h"

namespace prometheus::report {

// A pull request of the closed loop (docs/LOOP.md), as its forge holds it,
// with what `verify` measures of it: the report's "fixes merged" markers
// and realised savings. Filled by the command line, which reads the forge.
struct LoopPull {
  int64_t number = 0;
  std::string url;
  std::string title;
  std::string state;         // "open", "merged", "closed"
  std::string job;           // the report's job key (JobKey below)
  int64_t merged_at_ms = 0;  // merged only
  std::vector<std::string> recommendation_ids;
  std::string diff;  // what propose committed, when the repository holds it
  // A merged pull request's runs before and after, as verify compares them.
  std::string verdict;  // improved, within noise, worse, not enough runs yet
  size_t runs_before = 0;
  size_t runs_after = 0;
  std::string split;  // "by commit", "by time"
  struct Change {
    std::string name;  // duration, task time, spill, shuffle
    double before = 0;  // medians: seconds, or bytes
    double after = 0;
    double band = 0;  // the noise band, a share
    bool bytes = false;
  };
  std::vector<Change> changes;
  int64_t revert_number = 0;  // the revert Prometheus proposed, if any
  std::string revert_url;
  std::string revert_state;
};

struct ReportInput {
  std::string title;
  std::string source;  // the store or the logs, as the user named them
  int64_t generated_at_ms = 0;
  std::optional<double> core_hour_price;
  std::vector<lake::StoredApplication> applications;
  std::vector<kpi::StageKpis> stages;
  std::vector<lake::StoredRecommendation> recommendations;
  // What-if sizing by application id, for the applications drilled into.
  std::map<std::string, AppSizing> sizings;
  // Executor use over time by application id, from the same logs.
  std::map<std::string, whatif::CoreUse> core_uses;
  // Every run gets a drill-down (up to the limit), not only each job's
  // latest: a report of a few logs.
  bool drill_every_run = false;
  // The closed loop's pull requests; `loop_note` says why there are none
  // (no --repo, no forge configured, the forge's error).
  std::vector<LoopPull> pulls;
  std::string loop_note;
  // What `prometheus fix` would change for a recommendation, by id ("":
  // nothing), when the report was given the repository.
  std::map<std::string, std::string> would_fix;
};

struct ReportLimits {
  size_t trend_points = 240;     // per job; more runs are averaged in buckets
  size_t recommendations = 300;  // most impact first
  size_t drilldowns = 30;        // applications with a drill-down
  size_t stages_per_app = 300;   // the longest, shown in time order
};

// The price of one core-hour for a run's what-if curve: `price` (the
// user's), else the run's billed or estimated list cost over the
// core-hours it held (the Databricks cost model's own rate for that
// cluster), else none. `basis` says which, in words.
std::optional<double> CoreHourPrice(const lake::StoredApplication& application,
                                    std::optional<double> price, std::string* basis = nullptr);

// A job: the Databricks job id when known, else the application name.
std::string JobKey(const lake::StoredApplication& application);

// The applications that get a drill-down, most core-hours first, at most
// `limit`: the latest run of each job, or with `every_run` every run.
std::vector<const lake::StoredApplication*> DrilldownApplications(
    const std::vector<lake::StoredApplication>& applications, size_t limit,
    bool every_run = false);

// The report's data as one JSON document (the schema is read by
// web/report.js).
nlohmann::ordered_json BuildReportData(const ReportInput& input, const ReportLimits& limits = {});

}  // namespace prometheus::report
