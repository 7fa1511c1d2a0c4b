#include "prometheus/git/repository.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "prometheus/testing/temp_dir.h"

namespace prometheus::git {
namespace {

using prometheus::testing::TempDir;

// Runs a git command line (the real git, as a peer) and returns its stdout.
std::string Sh(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << command << "\n" << out;
  return out;
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A clone of a bare "remote" holding one commit on main with jobs/etl.py.
struct Fixture {
  TempDir tmp;
  std::string remote = (tmp.path() / "remote.git").string();
  std::string work = (tmp.path() / "work").string();
  Fixture() {
    Sh("git init -q --bare -b main " + remote);
    Sh("git init -q -b main " + work);
    tmp.Write("work/jobs/etl.py", "spark = 1\n");
    tmp.Write("work/README.md", "hello\n");
    Sh("cd " + work + " && git add . && git -c user.name=Ann -c user.email=ann@example.com "
       "commit -q -m init && git remote add origin " + remote + " && git push -q origin main");
  }
};

TEST(Repository, FetchesAndKnowsTheRemoteDefaultBranch) {
  Fixture f;
  auto repo = Repository::Open(f.work);
  ASSERT_TRUE(repo) << repo.error().message;
  auto branch = repo->Fetch("origin", {"+refs/heads/*:refs/remotes/origin/*"}, {});
  ASSERT_TRUE(branch) << branch.error().message;
  EXPECT_EQ(*branch, "main");
  auto tip = repo->Resolve("refs/remotes/origin/main");
  ASSERT_TRUE(tip);
  EXPECT_EQ(*tip + "\n", Sh("git -C " + f.remote + " rev-parse main"));
  EXPECT_EQ(repo->HeadRef(), "refs/heads/main");
  EXPECT_EQ(repo->Resolve("refs/remotes/origin/nope").error().code, ErrorCode::kNotFound);
}

TEST(Repository, CommitsFilesWithoutTouchingTheWorkingTreeAndPushes) {
  Fixture f;
  auto repo = Repository::Open(f.work);
  ASSERT_TRUE(repo);
  std::string base = *repo->Resolve("HEAD");
  auto commit = repo->CommitFiles(base, {{"jobs/etl.py", "spark = 2\n"}}, "Set spark\n\nbody",
                                  Identity{}, 1700000000);
  ASSERT_TRUE(commit) << commit.error().message;
  // Reproducible: the same inputs make the same commit.
  EXPECT_EQ(*commit, *repo->CommitFiles(base, {{"jobs/etl.py", "spark = 2\n"}},
                                        "Set spark\n\nbody", Identity{}, 1700000000));
  EXPECT_EQ(Read(std::filesystem::path(f.work) / "jobs/etl.py"), "spark = 1\n");
  EXPECT_EQ(Sh("git -C " + f.work + " show " + *commit + ":jobs/etl.py"), "spark = 2\n");
  EXPECT_EQ(Sh("git -C " + f.work + " show -s --format=%an/%ae/%s " + *commit),
            "Prometheus/prometheus@users.noreply.github.com/Set spark\n");
  ASSERT_TRUE(repo->SetRef("refs/heads/prometheus/job-1/abc", *commit, "test"));
  auto pushed = repo->Push("origin", {"+refs/heads/prometheus/job-1/abc:refs/heads/prometheus/job-1/abc"}, {});
  ASSERT_TRUE(pushed) << pushed.error().message;
  EXPECT_EQ(Sh("git -C " + f.remote + " rev-parse prometheus/job-1/abc"), *commit + "\n");

  auto log = repo->Log(*commit, base);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].summary, "Set spark");
  EXPECT_EQ((*log)[0].committer_email, "prometheus@users.noreply.github.com");
  EXPECT_EQ((*log)[0].parents, std::vector<std::string>{base});
  EXPECT_TRUE(*repo->Contains(*commit, base));
  EXPECT_FALSE(*repo->Contains(base, *commit));
  EXPECT_EQ(*repo->MergeBase(*commit, base), base);
  EXPECT_FALSE(*repo->SameTree(*commit, base));
  auto diff = repo->Diff(base, *commit);
  ASSERT_TRUE(diff);
  EXPECT_NE(diff->find("-spark = 1\n+spark = 2\n"), std::string::npos) << *diff;
  EXPECT_NE(diff->find("+++ b/jobs/etl.py"), std::string::npos) << *diff;
}

TEST(Repository, MaterialisesACommitAndRevertsOne) {
  Fixture f;
  auto repo = Repository::Open(f.work);
  ASSERT_TRUE(repo);
  std::string base = *repo->Resolve("HEAD");
  std::string fixed = *repo->CommitFiles(base, {{"jobs/etl.py", "spark = 3\n"}, {"new/a.py", "a\n"}},
                                         "fix", Identity{}, 1700000000);
  TempDir out;
  ASSERT_TRUE(repo->Materialise(fixed, out.path() / "tree"));
  EXPECT_EQ(Read(out.path() / "tree/jobs/etl.py"), "spark = 3\n");
  EXPECT_EQ(Read(out.path() / "tree/new/a.py"), "a\n");
  EXPECT_EQ(Read(out.path() / "tree/README.md"), "hello\n");
  auto reverted = repo->Revert(fixed, fixed, "Revert fix", Identity{}, 1700000100);
  ASSERT_TRUE(reverted) << reverted.error().message;
  EXPECT_TRUE(*repo->SameTree(*reverted, base));
}

TEST(Repository, FailsClearly) {
  TempDir tmp;
  auto none = Repository::Open(tmp.path());
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("not a git repository"), std::string::npos);
  Fixture f;
  auto repo = Repository::Open(f.work);
  EXPECT_EQ(repo->RemoteUrl("upstream").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*repo->RemoteUrl("origin"), f.remote);
}

}  // namespace
}  // namespace prometheus::git
