// A git repository through libgit2: what the closed loop needs of it.
// Branches are built as objects (blobs, trees, commits) without touching
// the working tree or the index; refs are set explicitly; remotes are
// fetched from and pushed to with credentials from a callback, so that a
// token never appears in a URL, a message or the repository's config.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"

struct git_repository;

namespace prometheus::git {

// How to authenticate to a remote: a token over HTTPS (user name and
// token as the password, as GitHub, GitLab and Azure DevOps accept), or
// the user's SSH agent. Never printed.
struct Credentials {
  std::string username;  // "x-access-token" for GitHub, "oauth2" GitLab...
  std::string token;     // "" when there is none: only the SSH agent
};

struct Identity {
  std::string name = "Prometheus";
  std::string email = "prometheus@users.noreply.github.com";
};

struct CommitInfo {
  std::string id;  // 40 hex
  std::string summary;
  std::string message;
  std::string author_email;
  std::string committer_email;
  int64_t time = 0;  // committer time, Unix seconds
  std::vector<std::string> parents;
};

// The libgit2 library initialised once per process.
void InitOnce();

class Repository {
 public:
  // Opens the repository at (or above) `path`. kNotFound when there is none.
  static Result<Repository> Open(const std::filesystem::path& path);
  // Creates a repository (bare or not): for tests and stand-ins.
  static Result<Repository> Init(const std::filesystem::path& path, bool bare);

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  std::filesystem::path path() const;

  // The remote's URL as configured (kNotFound for an unknown remote).
  Result<std::string> RemoteUrl(const std::string& remote) const;

  // Fetches `refspecs` from the remote (e.g.
  // "+refs/heads/*:refs/remotes/origin/*") and returns the remote's default
  // branch name ("main"), from its HEAD as advertised.
  Result<std::string> Fetch(const std::string& remote,
                            const std::vector<std::string>& refspecs,
                            const Credentials& credentials);

  // Pushes `refspecs` ("+refs/heads/a:refs/heads/a"). A rejected update
  // fails with kConflict naming the ref.
  Status Push(const std::string& remote,
              const std::vector<std::string>& refspecs,
              const Credentials& credentials);

  // The commit a ref or revision names (kNotFound when none).
  Result<std::string> Resolve(const std::string& revision) const;
  // Points `ref` (a full name, refs/heads/...) at `commit`, creating it or
  // moving it whatever it pointed at.
  Status SetRef(const std::string& ref, const std::string& commit,
                const std::string& log_message);
  // The current branch's full ref name ("refs/heads/main"); "" when HEAD is
  // detached or unborn.
  std::string HeadRef() const;

  Result<CommitInfo> Commit(const std::string& id) const;
  // The commits reachable from `tip` and not from `hide` (newest first).
  Result<std::vector<CommitInfo>> Log(const std::string& tip,
                                      const std::string& hide) const;
  Result<std::string> MergeBase(const std::string& a,
                                const std::string& b) const;
  // Whether `commit` is `ancestor` or has it among its ancestors.
  Result<bool> Contains(const std::string& commit,
                        const std::string& ancestor) const;

  // Writes every file of `commit`'s tree under `folder` (which must not
  // hold anything else): the sources the fixes are planned on.
  Status Materialise(const std::string& commit,
                     const std::filesystem::path& folder) const;

  // A new commit whose parent is `parent` and whose tree is the parent's
  // with `files` (path relative to the root -> new bytes) replaced. Moves
  // no ref. `time` (Unix seconds) makes the commit reproducible.
  Result<std::string> CommitFiles(const std::string& parent,
                                  const std::map<std::string, std::string>& files,
                                  const std::string& message,
                                  const Identity& identity, int64_t time);

  // A new commit on `onto` undoing `commit` (the first parent's side of a
  // merge). kConflict when it does not apply cleanly.
  Result<std::string> Revert(const std::string& commit, const std::string& onto,
                             const std::string& message,
                             const Identity& identity, int64_t time);

  // Whether two commits have the same tree.
  Result<bool> SameTree(const std::string& a, const std::string& b) const;

  // The unified diff between two commits' trees, `git diff a b` style.
  Result<std::string> Diff(const std::string& from, const std::string& to) const;

 private:
  explicit Repository(git_repository* repo) : repo_(repo) {}
  git_repository* repo_ = nullptr;
};

// A libgit2 failure as an Error: "<what>: <libgit2's last message>", with a
// code from libgit2's (not found, conflict, else kIo).
Error LastError(int code, std::string_view what);

}  // namespace prometheus::git
