#include "prometheus/rewrite/document.h"

#include <fmt/format.h>

#include "prometheus/rewrite/databricks_notebook.h"
#include "prometheus/rewrite/internal/documents.h"

namespace prometheus::rewrite {

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kPython:
      return "python";
    case SourceKind::kDatabricksNotebook:
      return "databricks notebook";
    case SourceKind::kIpynb:
      return "jupyter notebook";
    case SourceKind::kSql:
      return "sql";
  }
  return "?";
}

Result<DocumentPlan> Document::PlanSessionlessConf(
    std::string_view key, std::string_view value) const {
  return Fail(ErrorCode::kInvalidArgument,
              "not a notebook: the setting goes where the session is created");
}

std::string Document::StartupSettingPlace(std::string_view key,
                                          std::string_view value) const {
  return JobSparkConfig(key, value);
}

std::string JobSparkConfig(std::string_view key, std::string_view value) {
  return fmt::format(
      "the job's Spark config: spark-submit --conf {}={}, or "
      "spark-defaults.conf",
      key, value);
}

Result<DocumentPlan> Document::PlanSqlBroadcast(std::string_view table) const {
  return Fail(ErrorCode::kNotFound, "no SQL outside Python here");
}

Result<std::unique_ptr<Document>> OpenDocument(const std::string& path,
                                               std::string text) {
  if (path.ends_with(".ipynb"))
    return internal::OpenIpynb(path, std::move(text));
  if (path.ends_with(".sql")) return internal::OpenSql(std::move(text));
  if (IsDatabricksNotebookSource(text))
    return internal::OpenDatabricksSource(path, std::move(text));
  return internal::OpenScript(path, std::move(text));
}

}  // namespace prometheus::rewrite
