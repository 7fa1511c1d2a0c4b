#include "prometheus/rewrite/source_file.h"

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

bool SameSqlEdit(const SqlEdit& a, const SqlEdit& b) {
  return a.place == b.place && SameEdit(a.edit, b.edit);
}

}  // namespace

Result<std::unique_ptr<SourceFile>> SourceFile::Load(std::string path,
                                                     std::string text) {
  std::unique_ptr<SourceFile> file(new SourceFile());
  PROM_ASSIGN_OR_RETURN(file->document_, OpenDocument(path, text));
  file->path_ = std::move(path);
  file->original_ = std::move(text);
  file->text_ = file->original_;
  return file;
}

Status SourceFile::RequireCleanSyntax() const {
  const PythonSource* source = module();
  if (!source) return Ok();
  return rewrite::RequireCleanSyntax(*source, document_->ModuleName(path_));
}

Status SourceFile::AddEdits(const DocumentEdits& edits) {
  DocumentEdits all = edits_;
  AppendNew(all.module, edits.module, SameEdit);
  AppendNew(all.sql, edits.sql, SameSqlEdit);
  PROM_ASSIGN_OR_RETURN(std::string text, document_->Render(all));
  edits_ = std::move(all);
  text_ = std::move(text);
  return Ok();
}

}  // namespace prometheus::rewrite
