// `prometheus fix --apply` stays inside its repository and reports each
// file's real outcome: links leading out are named and left alone, and a
// file that cannot be written (immutable, in an immutable folder, on a
// read-only mount) is "not written", its fixes not applied, exit 1, with no
// temporary file left behind. Root ignores permission bits, so the refusals
// use `chattr +i` and a read-only bind mount; where those are not available
// the test says so and skips.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "prometheus/rewrite/rewrite_testing.h"
#include "prometheus/testing/immutable.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using prometheus::rewrite::testing::Corpus;
using prometheus::rewrite::testing::ReadBytes;
using testing::RunPrometheus;
using testing::TempDir;

constexpr const char* kConf = R"({"recommendations": [
  {"id": "11111111aaaaaaaa", "rule": "aqe_disabled", "severity": "high",
   "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true"}}]})";

// Runs a shell command for its lifetime's start, and `undo` at its end, when
// the start succeeded.
class Scoped {
 public:
  Scoped(const std::string& command, std::string undo) : undo_(std::move(undo)) {
    done_ = std::system((command + " 2>/dev/null").c_str()) == 0;
  }
  ~Scoped() {
    if (done_) (void)std::system(undo_.c_str());
  }
  bool done() const { return done_; }

 private:
  std::string undo_;
  bool done_ = false;
};

std::string Quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// Every file name under `folder`, recursively.
std::vector<std::string> AllNames(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FixSafety, ALinkToAFileOutsideIsNeitherReadNorWritten) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kConf);
  fs::path secret = tmp.Write("outside/job.py", Corpus("daily_orders.py"));
  tmp.Write("elsewhere/other.py", Corpus("daily_orders.py"));
  tmp.Write("repo/lib/util.py", "x = 1\n");
  fs::create_symlink("../../outside/job.py", tmp.path() / "repo/lib/job.py");
  fs::create_directory_symlink("../elsewhere", tmp.path() / "repo/shared");
  std::string repo = (tmp.path() / "repo").string();

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(),
                            "--repo", repo, "--apply", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json summary = json::parse(run.out);
  ASSERT_EQ(summary["outside"].size(), 2u) << run.out;
  EXPECT_NE(summary["outside"].dump().find(
                "lib/job.py: leads outside the repository"),
            std::string::npos)
      << run.out;
  EXPECT_NE(summary["outside"].dump().find("shared: leads outside"),
            std::string::npos)
      << run.out;
  // The only SparkSession is outside: the setting has nowhere to go.
  EXPECT_EQ(summary["fixes"][0]["status"], "skipped") << run.out;
  EXPECT_TRUE(summary["files"].empty()) << run.out;
  EXPECT_EQ(ReadBytes(secret.string()), Corpus("daily_orders.py"));
  EXPECT_EQ(ReadBytes((tmp.path() / "elsewhere/other.py").string()),
            Corpus("daily_orders.py"));
  EXPECT_TRUE(fs::is_symlink(tmp.path() / "repo/lib/job.py"));

  auto text = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo});
  EXPECT_NE(text.err.find("outside the repository lib/job.py: leads outside "
                          "the repository (to "),
            std::string::npos)
      << text.err;
}

TEST(FixSafety, AnImmutableFileIsReportedNotAppliedWithNothingLeft) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kConf);
  fs::path job = tmp.Write("repo/jobs/job.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  testing::Immutable immutable(job);
  if (!immutable.set()) GTEST_SKIP() << "chattr +i is not available here";

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(),
                            "--repo", repo, "--apply", "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  json summary = json::parse(run.out);
  EXPECT_EQ(summary["applied"], false);
  ASSERT_EQ(summary["files"].size(), 1u) << run.out;
  EXPECT_EQ(summary["files"][0]["applied"], false);
  EXPECT_NE(summary["files"][0]["error"].get<std::string>().find(
                "job.py: cannot replace"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(summary["fixes"][0]["status"], "skipped");
  EXPECT_EQ(summary["counts"]["applied"], 0);
  EXPECT_EQ(ReadBytes(job.string()), Corpus("daily_orders.py"));
  EXPECT_EQ(AllNames(tmp.path() / "repo"),
            (std::vector<std::string>{"job.py", "jobs"}));

  auto text = RunPrometheus(
      {"fix", "--recommendations", recs.string(), "--repo", repo, "--apply"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.err.find("not written jobs/job.py: "), std::string::npos)
      << text.err;
  EXPECT_NE(text.err.find("fix: 0 applied, 0 already present, 0 described, "
                          "1 skipped"),
            std::string::npos)
      << text.err;
}

TEST(FixSafety, AnImmutableFolderTakesNoTemporaryFile) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kConf);
  fs::path job = tmp.Write("repo/jobs/job.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  fs::path folder = tmp.path() / "repo/jobs";
  testing::Immutable immutable(folder);
  if (!immutable.set()) GTEST_SKIP() << "chattr +i is not available here";

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(),
                            "--repo", repo, "--apply", "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  json summary = json::parse(run.out);
  EXPECT_EQ(summary["files"][0]["applied"], false) << run.out;
  EXPECT_EQ(summary["fixes"][0]["status"], "skipped");
  EXPECT_EQ(ReadBytes(job.string()), Corpus("daily_orders.py"));
  EXPECT_EQ(AllNames(folder), std::vector<std::string>{"job.py"});
}

TEST(FixSafety, AReadOnlyMountIsReportedNotApplied) {
  TempDir tmp;
  auto recs = tmp.Write("recs.json", kConf);
  fs::path job = tmp.Write("repo/jobs/job.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  fs::path folder = tmp.path() / "repo/jobs";
  Scoped bound("mount --bind " + Quoted(folder) + " " + Quoted(folder),
               "umount " + Quoted(folder));
  Scoped read_only("mount -o remount,ro,bind " + Quoted(folder), "true");
  if (!bound.done() || !read_only.done())
    GTEST_SKIP() << "a read-only bind mount is not permitted here";

  auto run = RunPrometheus({"fix", "--recommendations", recs.string(),
                            "--repo", repo, "--apply", "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  json summary = json::parse(run.out);
  EXPECT_EQ(summary["files"][0]["applied"], false) << run.out;
  EXPECT_NE(summary["files"][0]["error"].get<std::string>().find(
                "Read-only file system"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(ReadBytes(job.string()), Corpus("daily_orders.py"));
  EXPECT_EQ(AllNames(folder), std::vector<std::string>{"job.py"});
}

// A lake with many applications: the same fix once, with its count; two
// values for one setting explained in words; the sketch printed once.
TEST(FixSafety, ManyRecommendationsOfOneFixAreOneLine) {
  TempDir tmp;
  json recs = {{"recommendations", json::array()}};
  for (int app = 0; app < 5; ++app) {
    recs["recommendations"].push_back(
        {{"id", fmt::format("aaaa000{}", app)},
         {"fix", {{"kind", "conf"}, {"key", "spark.sql.adaptive.enabled"},
                  {"value", "true"}}}});
    recs["recommendations"].push_back(
        {{"id", fmt::format("bbbb000{}", app)},
         {"fix", {{"kind", "salting"}, {"key", "country_id"}, {"buckets", 16}}}});
  }
  for (const char* value : {"400", "800"}) {
    recs["recommendations"].push_back(
        {{"id", fmt::format("cccc0{}", value)},
         {"fix", {{"kind", "conf"}, {"key", "spark.sql.shuffle.partitions"},
                  {"value", value}}}});
  }
  auto path = tmp.Write("recs.json", recs.dump());
  tmp.Write("repo/jobs/job.py", Corpus("daily_orders.py"));
  std::string repo = (tmp.path() / "repo").string();
  auto run = RunPrometheus(
      {"fix", "--recommendations", path.string(), "--repo", repo});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("applied aaaa0000 conf spark.sql.adaptive.enabled=true "
                         "(for 5 recommendations): "),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("skipped cccc0800 conf spark.sql.shuffle.partitions=800: "
                         "two recommendations set spark.sql.shuffle.partitions "
                         "to 400 and 800: kept 400 (cccc0400, the smaller "
                         "id), skipped this one"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("overlap"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("fix: 2 applied, 0 already present, 1 described, "
                         "1 skipped"),
            std::string::npos)
      << run.err;
  size_t sketches = 0;
  for (size_t at = run.err.find("# Salting"); at != std::string::npos;
       at = run.err.find("# Salting", at + 1)) {
    ++sketches;
  }
  EXPECT_EQ(sketches, 1u) << run.err;
}

}  // namespace
}  // namespace prometheus::cli
