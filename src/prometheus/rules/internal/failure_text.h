// The words and evidence for failed tasks' causes, shared by the failure
// rules of stages and of the application.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "prometheus/model/application.h"

namespace prometheus::rules {

// "generate_events.py:60 (in explode_row)": the file's last component.
std::string LocationText(const model::CodeLocation& location);

// The largest groups in words: "8 raised `Exception: boom` in the code at
// job.py:60; 2 were lost with executor 3 (Executor Process Lost)".
std::string GroupsText(const model::StageFailures& failures);

// One record per group: cause, reason, error, count, location, executors,
// hosts, shuffles, exit code.
nlohmann::ordered_json CausesJson(const model::StageFailures& failures);

// What an executor's removal reason says of its loss, read as a task lost
// with it would be (ExecutorLostFailure).
model::ClassifiedFailure ClassifyRemoval(std::string_view removed_reason);

// Executors the application lost, not released: their removal reasons
// with the exit code's meaning ("0 (Command exited with code 129: ended by
// SIGHUP)"). Dynamic allocation's releases ("Executor killed by driver",
// "explicit termination request") are left out. At most `limit` named.
std::vector<std::string> LostExecutors(const model::Application& app, size_t limit = 5);

// The application's failed attempts by cause across its stages, largest
// first ("53 in 3 stages: ..."); "" when none failed.
std::string ApplicationCausesText(const model::Application& app);

}  // namespace prometheus::rules
