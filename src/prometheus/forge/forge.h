// A code forge's pull requests, as the closed loop uses them: GitHub, GitLab
// (merge requests) and Azure DevOps, behind one interface. Knows nothing of
// Spark or of what the pull requests propose.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/http/http.h"

namespace prometheus::forge {

enum class ForgeKind { kGitHub, kGitLab, kAzure };
std::string_view ForgeKindName(ForgeKind kind);

// Where a repository's API is and how to sign requests to it.
struct ForgeConfig {
  ForgeKind kind = ForgeKind::kGitHub;
  std::string api_base;  // https://api.github.com, https://h/api/v4, ...
  // GitHub "owner/name"; GitLab the project path "group/project"; Azure
  // "organization/project/repository".
  std::string repository;
  std::string token;         // a secret: never printed
  std::string git_username;  // the user name a token goes with over HTTPS
  std::string token_source;  // the variable it came from, for messages
};

struct PullRequest {
  int64_t number = 0;  // GitHub number, GitLab iid, Azure pullRequestId
  bool open = false;
  bool merged = false;
  std::string head;  // source branch, without refs/heads/
  std::string base;  // target branch
  std::string head_sha;
  std::string merge_commit;  // when merged
  int64_t merged_at_ms = 0;  // when merged, Unix milliseconds
  std::string title;
  std::string body;
  std::string url;  // for people
  std::vector<std::string> labels;
};

struct Comment {
  int64_t id = 0;
  std::string body;
};

struct NewPullRequest {
  std::string head;
  std::string base;
  std::string title;
  std::string body;
};

// The clock and the sleep rate-limit waits use, so tests need not wait.
struct Pacing {
  std::function<int64_t()> now_unix_seconds;
  std::function<void(std::chrono::seconds)> sleep;
  // A wait longer than this fails instead (the job can run again later).
  std::chrono::seconds max_wait{900};
  static Pacing Real();
};

class Forge {
 public:
  virtual ~Forge() = default;
  virtual Result<std::string> DefaultBranch() = 0;
  // The pull requests (every state) whose source branch starts with
  // `head_prefix`, newest first.
  virtual Result<std::vector<PullRequest>> PullRequests(std::string_view head_prefix) = 0;
  // Opens one. kConflict when one is already open for the branch (GitHub's
  // 422, GitLab's and Azure's 409).
  virtual Result<PullRequest> Create(const NewPullRequest& request) = 0;
  virtual Status Update(int64_t number, const std::string& title, const std::string& body) = 0;
  virtual Status AddLabels(int64_t number, const std::vector<std::string>& labels) = 0;
  virtual Result<std::vector<Comment>> Comments(int64_t number) = 0;
  virtual Status AddComment(int64_t number, const std::string& body) = 0;
  // Closes it without merging (Azure: abandons it).
  virtual Status Close(int64_t number) = 0;
};

// The forge's client. `transport` must outlive it.
std::unique_ptr<Forge> Connect(const ForgeConfig& config, http::Transport& transport,
                               Pacing pacing = Pacing::Real());

}  // namespace prometheus::forge
