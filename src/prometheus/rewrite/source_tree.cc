#include "prometheus/rewrite/source_tree.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

namespace prometheus::rewrite {
namespace {

namespace fs = std::filesystem;

bool Editable(const fs::path& path) {
  std::string extension = path.extension().string();
  return extension == ".py" || extension == ".ipynb" || extension == ".sql";
}

// A path's components, last first, for suffix matching.
std::vector<std::string> ReversedParts(const fs::path& path) {
  std::vector<std::string> parts;
  for (const auto& part : path) {
    if (part != "/" && !part.empty()) parts.push_back(part.string());
  }
  std::reverse(parts.begin(), parts.end());
  return parts;
}

size_t SharedSuffix(const std::vector<std::string>& a,
                    const std::vector<std::string>& b) {
  size_t shared = 0;
  while (shared < a.size() && shared < b.size() && a[shared] == b[shared])
    ++shared;
  return shared;
}

// Hidden folders, virtualenvs and installed packages hold other people's
// code (pyspark itself creates SparkSessions), never the job's.
bool NotTheJobsCode(const fs::path& folder) {
  std::string name = folder.filename().string();
  std::error_code error;
  return name.starts_with(".") || name == "__pycache__" ||
         name == "site-packages" || name == "node_modules" ||
         fs::exists(folder / "pyvenv.cfg", error);
}

bool IsDatabricksCommand(const std::string& name) {
  static const std::regex kCommand(R"(command-\d+(-\d+)?)");
  return std::regex_match(name, kCommand);
}

}  // namespace

SourceTree::SourceTree(fs::path repo) : repo_(std::move(repo)) {
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(
           repo_, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (it->is_directory() && NotTheJobsCode(it->path())) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file() && Editable(it->path())) {
      files_.push_back(fs::relative(it->path(), repo_).generic_string());
    }
  }
  std::sort(files_.begin(), files_.end());
  for (const auto& file : files_)
    reversed_parts_.push_back(ReversedParts(file));
}

Result<SourceFile*> SourceTree::File(const std::string& relative) {
  if (auto it = loaded_.find(relative); it != loaded_.end())
    return it->second.get();
  if (auto it = failed_.find(relative); it != failed_.end())
    return std::unexpected(it->second);
  std::ifstream in(repo_ / relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  Result<std::unique_ptr<SourceFile>> file =
      in ? SourceFile::Load(relative, text.str())
         : Fail(ErrorCode::kIo, "{}: cannot read", relative);
  if (!file) {
    unreadable_.push_back(file.error().message);
    failed_.emplace(relative, file.error());
    return std::unexpected(file.error());
  }
  return loaded_.emplace(relative, std::move(*file)).first->second.get();
}

Result<std::vector<Location>> SourceTree::Locate(const fix::CallSite& site) {
  if (site.line && *site.line <= 0)
    return Fail(ErrorCode::kInvalidArgument,
                "call_site.line is not a line number");
  fs::path reported(site.file);
  std::string name = reported.filename().string();
  std::vector<Location> found;
  bool in_a_cell = IsDatabricksCommand(name) ||
                   (site.file.find("ipykernel") != std::string::npos &&
                    name.ends_with(".py"));
  if (in_a_cell && !site.line) {
    return Fail(ErrorCode::kNotFound,
                "{}: the call site names no line of the cell", site.file);
  }
  uint32_t line = static_cast<uint32_t>(site.line.value_or(0));
  if (IsDatabricksCommand(name)) {
    for (const auto& path : files_) {
      if (path.ends_with(".sql")) continue;
      auto file = File(path);
      if (!file) continue;
      for (ModuleLine& at : (*file)->document().CommandLines(name, line))
        found.push_back({*file, at.line, std::move(at.how)});
    }
    if (found.empty()) {
      return Fail(ErrorCode::kNotFound,
                  "{}: no Databricks notebook in the repository has a Python "
                  "cell of {} lines",
                  site.file, line);
    }
    return found;
  }
  if (in_a_cell) {
    for (const auto& path : files_) {
      if (!path.ends_with(".ipynb")) continue;
      auto file = File(path);
      if (!file) continue;
      if (auto at = (*file)->document().IpykernelLine(site.file, line))
        found.push_back({*file, at->line, std::move(at->how)});
    }
    if (found.empty()) {
      return Fail(ErrorCode::kNotFound,
                  "{}: no notebook cell in the repository has this source "
                  "(edited since it ran?)",
                  site.file);
    }
    return found;
  }
  size_t best = 0;
  std::vector<std::string> matches;
  std::vector<std::string> reported_parts = ReversedParts(reported);
  for (size_t i = 0; i < files_.size(); ++i) {
    const std::string& path = files_[i];
    if (!path.ends_with(".py")) continue;
    size_t shared = SharedSuffix(reversed_parts_[i], reported_parts);
    if (shared == 0 || shared < best) continue;
    if (shared > best) matches.clear();
    best = shared;
    matches.push_back(path);
  }
  if (matches.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no .py file under the repository is named {}", name);
  }
  if (matches.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} .py files under the repository match {} equally well",
                matches.size(), site.file);
  }
  PROM_ASSIGN_OR_RETURN(SourceFile * file, File(matches[0]));
  found.push_back({file, line, ""});
  return found;
}

std::vector<const SourceFile*> SourceTree::Changed() const {
  std::vector<const SourceFile*> out;
  for (const auto& [path, file] : loaded_) {
    if (file->changed()) out.push_back(file.get());
  }
  return out;
}

}  // namespace prometheus::rewrite
