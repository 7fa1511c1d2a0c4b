#include "prometheus/rewrite/fix.h"

namespace prometheus::rewrite {

Status RequireCleanSyntax(const PythonSource& source, std::string_view path) {
  if (auto problem = source.Problem()) {
    return Fail(ErrorCode::kCorrupt,
                "{}:{}:{}: {}; the file is left alone", path, problem->line, problem->column,
                problem->what);
  }
  return Ok();
}

Result<std::string> ApplyChecked(const PythonSource& source, const std::vector<Edit>& edits) {
  PROM_ASSIGN_OR_RETURN(std::string text, ApplyEdits(source.text(), edits));
  PROM_ASSIGN_OR_RETURN(PythonSource after, PythonSource::Parse(text));
  if (auto problem = after.Problem()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the edit would break the file ({} at line {}, column {}); refused", problem->what,
                problem->line, problem->column);
  }
  return text;
}

std::string PythonStringLiteral(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace prometheus::rewrite
