// A Jupyter notebook (internal/documents.h).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/internal/documents.h"
#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite::internal {
namespace {

uint32_t LineCount(std::string_view text) {
  if (text.empty()) return 0;
  uint32_t lines =
      static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n'));
  return text.back() == '\n' ? lines : lines + 1;
}

class IpynbDocument : public Document {
 public:
  IpynbDocument(IpynbNotebook notebook, PythonSource module)
      : notebook_(std::move(notebook)), module_(std::move(module)) {}

  SourceKind kind() const override { return SourceKind::kIpynb; }
  const PythonSource* module() const override { return &module_; }
  std::string ModuleName(const std::string& path) const override {
    return path + " (its Python cells joined)";
  }

  // Only an export from Databricks has command ids for call sites; each
  // Python cell long enough may be the command.
  std::vector<ModuleLine> CommandLines(std::string_view command,
                                       uint32_t line) const override {
    std::vector<ModuleLine> out;
    if (!IsDatabricksExport()) return out;
    for (const NotebookCell& cell : notebook_.cells()) {
      if (!cell.python || LineCount(cell.source) < line) continue;
      out.push_back({cell.first_line + line - 1,
                     fmt::format("{}:{} as cell {}", command, line,
                                 cell.index + 1)});
    }
    return out;
  }

  std::optional<ModuleLine> IpykernelLine(std::string_view file,
                                          uint32_t line) const override {
    auto cell = notebook_.CellForIpykernelFile(file);
    if (!cell) return std::nullopt;
    std::string name = std::filesystem::path(file).filename().string();
    return ModuleLine{notebook_.cells()[*cell].first_line + line - 1,
                      fmt::format("{}:{} as cell {}", name, line, *cell + 1)};
  }

  // At the top of the first Python cell.
  bool TakesSessionlessConf() const override { return true; }
  Result<DocumentPlan> PlanSessionlessConf(
      std::string_view key, std::string_view value) const override {
    const auto& cells = notebook_.cells();
    auto first = std::find_if(cells.begin(), cells.end(),
                              [](const NotebookCell& c) { return c.python; });
    if (first == cells.end()) {
      return Fail(ErrorCode::kNotFound, "the notebook has no Python cell");
    }
    uint32_t start = first->virtual_start;
    uint32_t end = start + static_cast<uint32_t>(first->source.size());
    PROM_ASSIGN_OR_RETURN(FixPlan plan, PlanConfFixInCell(module_, key, value,
                                                          start, end));
    return DocumentPlan{{std::move(plan.edits), {}}, std::move(plan.note)};
  }

  // A Databricks export runs on a cluster; else the kernel starts Spark.
  bool SessionIsGiven() const override { return IsDatabricksExport(); }
  std::string StartupSettingPlace(std::string_view key,
                                  std::string_view value) const override {
    if (IsDatabricksExport()) return ClusterSparkConfig(key, value);
    return fmt::format(
        "the Spark config the kernel's session starts with: --conf {}={} in "
        "PYSPARK_SUBMIT_ARGS, or spark-defaults.conf",
        key, value);
  }

  // Exactly one SQL cell must take the hint.
  Result<DocumentPlan> PlanSqlBroadcast(std::string_view table) const override {
    std::vector<DocumentPlan> found;
    for (const NotebookCell& cell : notebook_.cells()) {
      if (!cell.sql) continue;
      auto placement = PlaceBroadcastHint(*cell.sql, table);
      if (!placement) continue;
      DocumentPlan plan;
      for (Edit& edit : placement->edits)
        plan.edits.sql.push_back({cell.index, std::move(edit)});
      plan.note = plan.edits.empty()
                      ? fmt::format("cell {}: {} is already hinted",
                                    cell.index + 1, table)
                      : fmt::format("cell {}: /*+ BROADCAST({}) */ added",
                                    cell.index + 1, placement->name);
      found.push_back(std::move(plan));
    }
    if (found.size() != 1) {
      return Fail(ErrorCode::kNotFound, "{} SQL cells read {}", found.size(),
                  table);
    }
    return std::move(found[0]);
  }

  // Module edits are checked on the module, then routed to the cells they
  // fall in; SQL edits move by their cell's SQL offset.
  Result<std::string> Render(const DocumentEdits& edits) const override {
    PROM_TRY(ApplyChecked(module_, edits.module));
    PROM_ASSIGN_OR_RETURN(std::vector<CellEdit> cell_edits,
                          notebook_.ToCellEdits(edits.module));
    for (const SqlEdit& sql : edits.sql) {
      if (sql.place >= notebook_.cells().size() ||
          !notebook_.cells()[sql.place].sql) {
        return Fail(ErrorCode::kInternal, "cell {} holds no SQL",
                    sql.place + 1);
      }
      Edit edit = sql.edit;
      edit.start += notebook_.cells()[sql.place].sql_offset;
      edit.end += notebook_.cells()[sql.place].sql_offset;
      cell_edits.push_back({sql.place, std::move(edit)});
    }
    return notebook_.Apply(cell_edits);
  }

 private:
  bool IsDatabricksExport() const {
    return notebook_.text().find(
               "\"application/vnd.databricks.v1+notebook\"") !=
           std::string::npos;
  }

  IpynbNotebook notebook_;
  PythonSource module_;
};

}  // namespace

Result<std::unique_ptr<Document>> OpenIpynb(const std::string& path,
                                            std::string text) {
  auto notebook = IpynbNotebook::Parse(std::move(text));
  if (!notebook) return Wrap(path, notebook.error());
  PROM_ASSIGN_OR_RETURN(PythonSource module,
                        PythonSource::Parse(notebook->virtual_module()));
  return std::make_unique<IpynbDocument>(std::move(*notebook),
                                         std::move(module));
}

}  // namespace prometheus::rewrite::internal
