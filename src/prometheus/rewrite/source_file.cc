#include "prometheus/rewrite/source_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

template <typename T, typename Same>
void AppendNew(std::vector<T>& list, std::vector<std::string>& owners,
               const std::vector<T>& more, const std::string& owner,
               Same same) {
  for (const auto& item : more) {
    if (std::none_of(list.begin(), list.end(),
                     [&](const T& known) { return same(known, item); })) {
      list.push_back(item);
      owners.push_back(owner);
    }
  }
}

// As ApplyEdits judges: ranges that share bytes, or an insertion strictly
// inside a replaced range.
bool Overlap(const Edit& a, const Edit& b) {
  if (std::max(a.start, b.start) < std::min(a.end, b.end)) return true;
  auto inside = [](const Edit& insertion, const Edit& range) {
    return insertion.start == insertion.end && range.start < insertion.start &&
           insertion.start < range.end;
  };
  return inside(a, b) || inside(b, a);
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

Status SourceFile::RequireNoConflict(const DocumentEdits& edits) const {
  auto conflict = [&](const std::string& owner, uint32_t at,
                      std::string_view where) {
    std::string line =
        where.empty()
            ? ""
            : fmt::format(" at line {}",
                          1 + std::count(where.begin(),
                                         where.begin() + std::min<size_t>(
                                                             at, where.size()),
                                         '\n'));
    return Fail(ErrorCode::kConflict,
                "it changes the same code as {}{}, applied first: kept the "
                "first, skipped this one",
                owner.empty() ? "another fix" : owner, line);
  };
  // Not `module() ? module()->text() : ""`: that conditional is a temporary
  // std::string, which a view would outlive.
  std::string_view module_text;
  if (const PythonSource* source = module()) module_text = source->text();
  for (const Edit& edit : edits.module) {
    for (size_t i = 0; i < edits_.module.size(); ++i) {
      if (!SameEdit(edit, edits_.module[i]) && Overlap(edit, edits_.module[i]))
        return conflict(module_owners_[i], edit.start, module_text);
    }
  }
  for (const SqlEdit& edit : edits.sql) {
    for (size_t i = 0; i < edits_.sql.size(); ++i) {
      const SqlEdit& known = edits_.sql[i];
      if (known.place == edit.place && !SameSqlEdit(edit, known) &&
          Overlap(edit.edit, known.edit)) {
        return conflict(sql_owners_[i], 0, "");
      }
    }
  }
  return Ok();
}

Status SourceFile::AddEdits(const DocumentEdits& edits, std::string owner) {
  PROM_TRY(RequireNoConflict(edits));
  DocumentEdits all = edits_;
  std::vector<std::string> module_owners = module_owners_;
  std::vector<std::string> sql_owners = sql_owners_;
  DocumentEdits added = edits;
  // Two broadcast fixes of one query each insert a hint comment after its
  // SELECT: the query gets one comment naming both.
  std::erase_if(added.module, [&](const Edit& edit) {
    for (Edit& known : all.module) {
      if (SameEdit(known, edit)) return false;
      if (auto merged = MergedHintComment(known, edit)) {
        known = *merged;
        return true;
      }
    }
    return false;
  });
  std::erase_if(added.sql, [&](const SqlEdit& edit) {
    for (SqlEdit& known : all.sql) {
      if (known.place != edit.place) continue;
      if (SameSqlEdit(known, edit)) return false;
      if (auto merged = MergedHintComment(known.edit, edit.edit)) {
        known.edit = *merged;
        return true;
      }
    }
    return false;
  });
  AppendNew(all.module, module_owners, added.module, owner, SameEdit);
  AppendNew(all.sql, sql_owners, added.sql, owner, SameSqlEdit);
  PROM_ASSIGN_OR_RETURN(std::string text, document_->Render(all));
  edits_ = std::move(all);
  module_owners_ = std::move(module_owners);
  sql_owners_ = std::move(sql_owners);
  text_ = std::move(text);
  return Ok();
}

}  // namespace prometheus::rewrite
