// A .sql file (internal/documents.h).
#include <fmt/format.h>

#include "prometheus/rewrite/internal/documents.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite::internal {
namespace {

class SqlDocument : public Document {
 public:
  explicit SqlDocument(std::string text) : text_(std::move(text)) {}

  SourceKind kind() const override { return SourceKind::kSql; }
  const PythonSource* module() const override { return nullptr; }

  Result<DocumentPlan> PlanSqlBroadcast(std::string_view table) const override {
    PROM_ASSIGN_OR_RETURN(SqlHintPlacement placement,
                          PlaceBroadcastHint(text_, table));
    DocumentPlan plan;
    for (Edit& edit : placement.edits)
      plan.edits.sql.push_back({0, std::move(edit)});
    plan.note = plan.edits.empty()
                    ? fmt::format("{} is already hinted", table)
                    : fmt::format("/*+ BROADCAST({}) */ added", placement.name);
    return plan;
  }

  Result<std::string> Render(const DocumentEdits& edits) const override {
    if (!edits.module.empty())
      return Fail(ErrorCode::kInternal, "Python edits in a SQL file");
    std::vector<Edit> file_edits;
    for (const SqlEdit& sql : edits.sql) {
      if (sql.place != 0)
        return Fail(ErrorCode::kInternal, "a SQL file has one SQL place");
      file_edits.push_back(sql.edit);
    }
    return ApplyEdits(text_, file_edits);
  }

 private:
  std::string text_;
};

}  // namespace

std::unique_ptr<Document> OpenSql(std::string text) {
  return std::make_unique<SqlDocument>(std::move(text));
}

}  // namespace prometheus::rewrite::internal
