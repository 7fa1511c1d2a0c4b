// One file a fix may edit: a Python script, a Databricks notebook source, a
// Jupyter notebook or a SQL file, parsed once, with every fix's edits kept
// in one list in the original's coordinates and checked as they are added.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/databricks_notebook.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

enum class SourceKind { kPython, kDatabricksNotebook, kIpynb, kSql };

std::string_view SourceKindName(SourceKind kind);

class SourceFile {
 public:
  // The kind comes from the extension and, for .py, the notebook header.
  // Fails on unreadable notebook JSON or text tree-sitter cannot take.
  static Result<std::unique_ptr<SourceFile>> Load(std::string path,
                                                  std::string text);

  const std::string& path() const { return path_; }
  SourceKind kind() const { return kind_; }
  const std::string& original() const { return original_; }

  // The Python that fixes plan on: the file itself, or an .ipynb's virtual
  // module of its Python cells; null for a .sql file.
  const PythonSource* module() const { return module_ ? &*module_ : nullptr; }
  const DatabricksNotebook* databricks() const {
    return databricks_ ? &*databricks_ : nullptr;
  }
  const IpynbNotebook* ipynb() const { return ipynb_ ? &*ipynb_ : nullptr; }

  // Fails naming the first syntax error when the module has one, so that no
  // fix is planned on tree-sitter's error recovery.
  Status RequireCleanSyntax() const;

  // Each Add* keeps its edits only when the whole list still applies, the
  // module still parses and the file still renders; else it fails and the
  // file stays as it was. An edit already in the list is kept once.
  // Module coordinates: the file's bytes, or an .ipynb's virtual module.
  Status AddModuleEdits(const std::vector<Edit>& edits);
  // Cell-source edits of an .ipynb (its SQL cells).
  Status AddCellEdits(const std::vector<CellEdit>& edits);
  // Byte edits of a .sql file.
  Status AddSqlEdits(const std::vector<Edit>& edits);

  // The text after the edits.
  const std::string& text() const { return text_; }
  bool changed() const { return text_ != original_; }

 private:
  SourceFile() = default;
  Status Render(std::vector<Edit> module_edits,
                std::vector<CellEdit> cell_edits, std::vector<Edit> sql_edits);

  std::string path_;
  SourceKind kind_ = SourceKind::kPython;
  std::string original_;
  std::optional<PythonSource> module_;
  std::optional<DatabricksNotebook> databricks_;
  std::optional<IpynbNotebook> ipynb_;
  std::optional<SyntaxProblem>
      problem_;  // of the original module, found once at load
  std::vector<Edit> module_edits_;
  std::vector<CellEdit> cell_edits_;
  std::vector<Edit> sql_edits_;
  std::string text_;
};

}  // namespace prometheus::rewrite
