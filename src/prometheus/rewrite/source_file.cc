#include "prometheus/rewrite/source_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "prometheus/rewrite/fix.h"

namespace prometheus::rewrite {
namespace {

template <typename T, typename Same>
void AppendNew(std::vector<T>& list, const std::vector<T>& more, Same same) {
  for (const auto& item : more) {
    if (std::none_of(list.begin(), list.end(),
                     [&](const T& known) { return same(known, item); })) {
      list.push_back(item);
    }
  }
}

bool SameEdit(const Edit& a, const Edit& b) {
  return a.start == b.start && a.end == b.end && a.text == b.text;
}

bool SameCellEdit(const CellEdit& a, const CellEdit& b) {
  return a.cell == b.cell && SameEdit(a.edit, b.edit);
}

}  // namespace

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

Result<std::unique_ptr<SourceFile>> SourceFile::Load(std::string path,
                                                     std::string text) {
  std::unique_ptr<SourceFile> file(new SourceFile());
  file->path_ = std::move(path);
  file->original_ = std::move(text);
  file->text_ = file->original_;
  const std::string& original = file->original_;
  if (file->path_.ends_with(".ipynb")) {
    file->kind_ = SourceKind::kIpynb;
    auto notebook = IpynbNotebook::Parse(original);
    if (!notebook) return Fail("{}: {}", file->path_, notebook.error().message);
    file->ipynb_.emplace(std::move(*notebook));
    PROM_ASSIGN_OR_RETURN(PythonSource module,
                          PythonSource::Parse(file->ipynb_->virtual_module()));
    file->module_.emplace(std::move(module));
  } else if (file->path_.ends_with(".sql")) {
    file->kind_ = SourceKind::kSql;
  } else {
    if (IsDatabricksNotebookSource(original)) {
      file->kind_ = SourceKind::kDatabricksNotebook;
      auto notebook = DatabricksNotebook::Parse(original);
      if (!notebook)
        return Fail("{}: {}", file->path_, notebook.error().message);
      file->databricks_.emplace(std::move(*notebook));
    }
    auto module = PythonSource::Parse(original);
    if (!module) return Fail("{}: {}", file->path_, module.error().message);
    file->module_.emplace(std::move(*module));
  }
  return file;
}

Status SourceFile::RequireCleanSyntax() const {
  if (!module_) return Ok();
  return rewrite::RequireCleanSyntax(*module_,
                                     kind_ == SourceKind::kIpynb
                                         ? path_ + " (its Python cells joined)"
                                         : path_);
}

Status SourceFile::AddModuleEdits(const std::vector<Edit>& edits) {
  if (!module_) return Fail("{}: not Python", path_);
  std::vector<Edit> all = module_edits_;
  AppendNew(all, edits, SameEdit);
  return Render(std::move(all), cell_edits_, sql_edits_);
}

Status SourceFile::AddCellEdits(const std::vector<CellEdit>& edits) {
  if (!ipynb_) return Fail("{}: not a Jupyter notebook", path_);
  std::vector<CellEdit> all = cell_edits_;
  AppendNew(all, edits, SameCellEdit);
  return Render(module_edits_, std::move(all), sql_edits_);
}

Status SourceFile::AddSqlEdits(const std::vector<Edit>& edits) {
  if (kind_ != SourceKind::kSql) return Fail("{}: not a SQL file", path_);
  std::vector<Edit> all = sql_edits_;
  AppendNew(all, edits, SameEdit);
  return Render(module_edits_, cell_edits_, std::move(all));
}

Status SourceFile::Render(std::vector<Edit> module_edits,
                          std::vector<CellEdit> cell_edits,
                          std::vector<Edit> sql_edits) {
  std::string text;
  if (kind_ == SourceKind::kSql) {
    PROM_ASSIGN_OR_RETURN(text, ApplyEdits(original_, sql_edits));
  } else {
    PROM_ASSIGN_OR_RETURN(std::string module_text,
                          ApplyChecked(*module_, module_edits));
    if (kind_ == SourceKind::kIpynb) {
      PROM_ASSIGN_OR_RETURN(std::vector<CellEdit> routed,
                            ipynb_->ToCellEdits(module_edits));
      routed.insert(routed.end(), cell_edits.begin(), cell_edits.end());
      PROM_ASSIGN_OR_RETURN(text, ipynb_->Apply(routed));
    } else {
      text = std::move(module_text);
    }
  }
  module_edits_ = std::move(module_edits);
  cell_edits_ = std::move(cell_edits);
  sql_edits_ = std::move(sql_edits);
  text_ = std::move(text);
  return Ok();
}

}  // namespace prometheus::rewrite
