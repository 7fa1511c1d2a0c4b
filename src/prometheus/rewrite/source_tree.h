// The repository a fix run edits: its .py, .ipynb and .sql files, each
// loaded once, and where an event log's call site points among them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"
#include "prometheus/rewrite/source_file.h"

namespace prometheus::rewrite {

// A place a call site can mean: a file of the tree and a 1-based line of
// its module (an .ipynb's virtual module), with how it was found.
struct Location {
  SourceFile* file = nullptr;
  uint32_t line = 0;
  std::string how;  // "", or e.g. "command-17:4 as cell 3"
};

class SourceTree {
 public:
  // Lists the candidate files; hidden folders (.git, .venv...), virtualenvs
  // (a pyvenv.cfg inside), site-packages, node_modules and __pycache__ are
  // skipped.
  explicit SourceTree(std::filesystem::path repo);

  const std::filesystem::path& repo() const { return repo_; }
  // Paths relative to the repository, sorted.
  const std::vector<std::string>& files() const { return files_; }

  // The file, loaded and parsed on first use.
  Result<SourceFile*> File(const std::string& relative);

  // The places `site` can mean:
  //  - `command-<id>[-<n>]` (a Databricks notebook cell): that line of every
  //    Python cell of every Databricks notebook (source or .ipynb export)
  //    long enough to have it;
  //  - `.../ipykernel_<pid>/<hash>.py`: the .ipynb cell ipykernel named so;
  //  - a path: the file whose path shares the longest suffix with it (the
  //    repository may be checked out anywhere), when exactly one does; the
  //    whole file (line 0) when the site's line is unknown.
  // Fails, with the reason, when nothing matches.
  Result<std::vector<Location>> Locate(const fix::CallSite& site);

  // Files whose text changed, in path order.
  std::vector<const SourceFile*> Changed() const;

  // Why files could not be loaded (unreadable, notebook JSON that does not
  // parse...), one message per file, in the order they were met.
  const std::vector<std::string>& unreadable() const { return unreadable_; }

 private:
  std::filesystem::path repo_;
  std::vector<std::string> files_;
  std::vector<std::vector<std::string>>
      reversed_parts_;  // of files_, last component first
  std::map<std::string, std::unique_ptr<SourceFile>> loaded_;
  std::map<std::string, Error> failed_;  // by path: a file fails to load once
  std::vector<std::string> unreadable_;
};

}  // namespace prometheus::rewrite
