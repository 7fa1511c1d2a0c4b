// One file a fix may edit, whatever its format (a Document), parsed once,
// with every fix's edits kept in one list in the original's coordinates and
// checked as they are added.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/document.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

class SourceFile {
 public:
  // The format comes from the extension and, for .py, the notebook header
  // (OpenDocument). Fails on unreadable notebook JSON or text tree-sitter
  // cannot take.
  static Result<std::unique_ptr<SourceFile>> Load(std::string path,
                                                  std::string text);

  const std::string& path() const { return path_; }
  SourceKind kind() const { return document_->kind(); }
  const std::string& original() const { return original_; }
  const Document& document() const { return *document_; }

  // The Python that fixes plan on: the file itself, or an .ipynb's virtual
  // module of its Python cells; null for a .sql file.
  const PythonSource* module() const { return document_->module(); }

  // Fails naming the first syntax error when the module has one, so that no
  // fix is planned on tree-sitter's error recovery.
  Status RequireCleanSyntax() const;

  // Keeps the edits only when the whole list still applies, the module
  // still parses and the file still renders (Document::Render); else fails
  // and the file stays as it was. An edit already in the list is kept once.
  Status AddEdits(const DocumentEdits& edits);
  Status AddModuleEdits(const std::vector<Edit>& edits) {
    return AddEdits({edits, {}});
  }

  // The text after the edits.
  const std::string& text() const { return text_; }
  bool changed() const { return text_ != original_; }

 private:
  SourceFile() = default;

  std::string path_;
  std::string original_;
  std::unique_ptr<Document> document_;
  DocumentEdits edits_;
  std::string text_;
};

}  // namespace prometheus::rewrite
