// A Databricks notebook source (internal/documents.h).
#include <fmt/format.h>

#include "prometheus/rewrite/databricks_notebook.h"
#include "prometheus/rewrite/internal/documents.h"

namespace prometheus::rewrite::internal {
namespace {

DocumentPlan ModulePlan(FixPlan plan) {
  return DocumentPlan{{std::move(plan.edits), {}}, std::move(plan.note)};
}

class DatabricksDocument : public Document {
 public:
  DatabricksDocument(DatabricksNotebook notebook, PythonSource module)
      : notebook_(std::move(notebook)), module_(std::move(module)) {}

  SourceKind kind() const override { return SourceKind::kDatabricksNotebook; }
  const PythonSource* module() const override { return &module_; }

  // The command id cannot be read from a source export: every Python cell
  // long enough may be the command.
  std::vector<ModuleLine> CommandLines(std::string_view command,
                                       uint32_t line) const override {
    std::vector<ModuleLine> out;
    for (uint32_t file_line : notebook_.CandidateLines(line)) {
      out.push_back({file_line, fmt::format("{}:{} as file line {}", command,
                                            line, file_line)});
    }
    return out;
  }

  bool TakesSessionlessConf() const override { return true; }
  Result<DocumentPlan> PlanSessionlessConf(
      std::string_view key, std::string_view value) const override {
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanNotebookConfFix(notebook_, module_, key, value));
    return ModulePlan(std::move(plan));
  }

  // The session is the cluster's.
  bool SessionIsGiven() const override { return true; }
  std::string StartupSettingPlace(std::string_view key,
                                  std::string_view value) const override {
    return ClusterSparkConfig(key, value);
  }

  // The %sql cells are lines of the file, so their edits are module edits.
  Result<DocumentPlan> PlanSqlBroadcast(std::string_view table) const override {
    PROM_ASSIGN_OR_RETURN(
        FixPlan plan,
        PlanNotebookSqlBroadcastFix(notebook_, notebook_.text(), table));
    return ModulePlan(std::move(plan));
  }

  Result<std::string> Render(const DocumentEdits& edits) const override {
    PROM_TRY(RequireNoSqlEdits(edits));
    return ApplyChecked(module_, edits.module);
  }

 private:
  DatabricksNotebook notebook_;
  PythonSource module_;
};

}  // namespace

std::string ClusterSparkConfig(std::string_view key, std::string_view value) {
  return fmt::format(
      "the cluster's Spark config (Advanced options, Spark config: \"{} {}\"), "
      "or spark_conf of the job's cluster",
      key, value);
}

Result<std::unique_ptr<Document>> OpenDatabricksSource(const std::string& path,
                                                       std::string text) {
  auto notebook = DatabricksNotebook::Parse(text);
  if (!notebook) return Wrap(path, notebook.error());
  auto module = PythonSource::Parse(std::move(text));
  if (!module) return Wrap(path, module.error());
  return std::make_unique<DatabricksDocument>(std::move(*notebook),
                                              std::move(*module));
}

}  // namespace prometheus::rewrite::internal
