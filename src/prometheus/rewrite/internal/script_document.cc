// A Python script (internal/documents.h).
#include "prometheus/rewrite/internal/documents.h"

namespace prometheus::rewrite::internal {
namespace {

class ScriptDocument : public Document {
 public:
  explicit ScriptDocument(PythonSource module) : module_(std::move(module)) {}

  SourceKind kind() const override { return SourceKind::kPython; }
  const PythonSource* module() const override { return &module_; }

  Result<std::string> Render(const DocumentEdits& edits) const override {
    PROM_TRY(RequireNoSqlEdits(edits));
    return ApplyChecked(module_, edits.module);
  }

 private:
  PythonSource module_;
};

}  // namespace

Status RequireNoSqlEdits(const DocumentEdits& edits) {
  if (edits.sql.empty()) return Ok();
  return Fail(ErrorCode::kInternal,
              "SQL edits in a document without SQL places");
}

Result<std::unique_ptr<Document>> OpenScript(const std::string& path,
                                             std::string text) {
  auto module = PythonSource::Parse(std::move(text));
  if (!module) return Wrap(path, module.error());
  return std::make_unique<ScriptDocument>(std::move(*module));
}

}  // namespace prometheus::rewrite::internal
