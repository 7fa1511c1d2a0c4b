// One source file as the fixes see it, whatever its format: its Python
// module, its SQL places, how a call site maps into it, and how edits go
// back into its bytes. One implementation per format (internal/*_document.cc):
// a Python script, a Databricks notebook source, a Jupyter notebook, a SQL
// file. A fix is written once against this interface; a new format is a new
// implementation and a line in OpenDocument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

enum class SourceKind { kPython, kDatabricksNotebook, kIpynb, kSql };

std::string_view SourceKindName(SourceKind kind);

// An edit of one SQL place of a document, in that place's SQL text: an
// .ipynb's SQL cell (`place` is the cell's index), or a .sql file (0).
struct SqlEdit {
  size_t place = 0;
  Edit edit;
};

// Edits of a document: in its Python module's coordinates (the file's bytes,
// or an .ipynb's virtual module), and in its SQL places.
struct DocumentEdits {
  std::vector<Edit> module;
  std::vector<SqlEdit> sql;

  bool empty() const { return module.empty() && sql.empty(); }
};

// What a fix proposes for one document. No edits means the fix is already
// there; `note` says what was done or found.
struct DocumentPlan {
  DocumentEdits edits;
  std::string note;
};

// A line of the module a call site can mean, and how it was found.
struct ModuleLine {
  uint32_t line = 0;  // 1-based
  std::string how;    // e.g. "command-17:4 as cell 3"
};

class Document {
 public:
  virtual ~Document() = default;

  virtual SourceKind kind() const = 0;
  // The Python the fixes plan on; null when there is none (a .sql file).
  virtual const PythonSource* module() const = 0;
  // The module as messages name it: `path`, or what it is made of.
  virtual std::string ModuleName(const std::string& path) const {
    return path;
  }

  // The module lines that line `line` of the Databricks command `command`
  // (`command-<id>[-<n>]`) can mean; none for a document that is not a
  // Databricks notebook.
  virtual std::vector<ModuleLine> CommandLines(std::string_view command,
                                               uint32_t line) const {
    return {};
  }
  // The module line of line `line` of the cell ipykernel names `file`
  // (".../ipykernel_<pid>/<hash>.py"); nullopt when no cell is so named.
  virtual std::optional<ModuleLine> IpykernelLine(std::string_view file,
                                                  uint32_t line) const {
    return std::nullopt;
  }

  // True for a notebook, which can take a setting when no file creates the
  // SparkSession (the session exists before its first cell).
  virtual bool TakesSessionlessConf() const { return false; }
  // spark.conf.set(key, value) for such a notebook.
  virtual Result<DocumentPlan> PlanSessionlessConf(
      std::string_view key, std::string_view value) const;
  // True when the file runs on a session made before it (a Databricks
  // notebook): a SparkSession builder there returns that session, so
  // startup settings on the builder would be ignored.
  virtual bool SessionIsGiven() const { return false; }
  // Where a startup setting (one Spark takes only when the session starts)
  // goes for a session this file uses but does not create, with `key` and
  // `value` as written there: words for a fix that can only be described.
  // By default JobSparkConfig.
  virtual std::string StartupSettingPlace(std::string_view key,
                                          std::string_view value) const;
  // The broadcast hint in the SQL outside the Python module (%sql cells, a
  // .sql file), for a join of `table`.
  virtual Result<DocumentPlan> PlanSqlBroadcast(std::string_view table) const;

  // The file after `edits`. Fails, with the reason, when edits overlap or
  // fall outside their text, when the module would no longer parse, or when
  // an edit cannot go back into the file; bytes outside the edits stay as
  // they were.
  virtual Result<std::string> Render(const DocumentEdits& edits) const = 0;
};

// Where a startup setting goes for a job whose session no file here
// creates: the job's Spark config (spark-submit --conf, spark-defaults.conf).
std::string JobSparkConfig(std::string_view key, std::string_view value);

// The document of the file at `path` (relative, for messages) holding
// `text`. The format comes from the extension and, for .py, the Databricks
// header. Fails on notebook JSON that does not parse or text tree-sitter
// cannot take.
Result<std::unique_ptr<Document>> OpenDocument(const std::string& path,
                                               std::string text);

}  // namespace prometheus::rewrite
