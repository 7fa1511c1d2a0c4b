// A fix run never reads or writes outside its repository: a symbolic link
// to a file elsewhere, a linked folder leading out, a path with `..`.
#include <gtest/gtest.h>

#include <filesystem>

#include "prometheus/rewrite/source_tree.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

namespace fs = std::filesystem;
using prometheus::testing::Slurp;
using prometheus::testing::TempDir;

bool Mentions(const std::vector<std::string>& messages,
              std::string_view text) {
  return std::any_of(messages.begin(), messages.end(), [&](const auto& m) {
    return m.find(text) != std::string::npos;
  });
}

TEST(SourceTreeOutside, LinksLeadingOutAreNamedAndNeverListed) {
  TempDir tmp;
  tmp.Write("repo/jobs/a.py", "x = 1\n");
  tmp.Write("outside/secret.py", "x = 2\n");
  tmp.Write("elsewhere/b.py", "x = 3\n");
  fs::create_symlink("../../outside/secret.py",
                     tmp.path() / "repo/jobs/link.py");
  fs::create_directory_symlink(tmp.path() / "elsewhere",
                               tmp.path() / "repo/shared");
  // A link that stays inside is an ordinary file of the repository.
  fs::create_symlink("a.py", tmp.path() / "repo/jobs/alias.py");
  SourceTree tree(tmp.path() / "repo");
  EXPECT_EQ(tree.files(),
            (std::vector<std::string>{"jobs/a.py", "jobs/alias.py"}));
  ASSERT_EQ(tree.outside().size(), 2u);
  EXPECT_TRUE(Mentions(tree.outside(),
                       "jobs/link.py: leads outside the repository"));
  EXPECT_TRUE(
      Mentions(tree.outside(), "shared: leads outside the repository"));
  auto alias = tree.File("jobs/alias.py");
  ASSERT_TRUE(alias.has_value()) << alias.error().message;
  EXPECT_EQ((*alias)->original(), "x = 1\n");
}

TEST(SourceTreeOutside, ARelativePathWithDotDotIsRefusedUnread) {
  TempDir tmp;
  tmp.Write("repo/jobs/a.py", "x = 1\n");
  tmp.Write("outside/secret.py", "x = 2\n");
  SourceTree tree(tmp.path() / "repo");
  auto escaped = tree.File("../outside/secret.py");
  ASSERT_FALSE(escaped.has_value());
  EXPECT_NE(escaped.error().message.find("leads outside the repository"),
            std::string::npos)
      << escaped.error().message;
  EXPECT_TRUE(tree.unreadable().empty());
  EXPECT_TRUE(Mentions(tree.outside(), "../outside/secret.py"));
}

TEST(SourceTreeOutside, AFileReplacedByALinkAfterListingIsNeitherReadNorWritten) {
  TempDir tmp;
  tmp.Write("repo/jobs/a.py", "x = 1\n");
  tmp.Write("repo/jobs/b.py", "y = 1\n");
  fs::path secret = tmp.Write("outside/secret.py", "x = 2\n");
  SourceTree tree(tmp.path() / "repo");
  auto a = tree.File("jobs/a.py");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE((*a)->AddModuleEdits({{0, 1, "z"}}));
  // The folder is swapped for a link out between reading and writing.
  fs::rename(tmp.path() / "repo/jobs", tmp.path() / "repo_jobs_moved");
  fs::create_directory_symlink(tmp.path() / "outside",
                               tmp.path() / "repo/jobs");
  fs::copy_file(secret, tmp.path() / "outside/a.py");
  Status written = tree.Write(**a);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("leads outside the repository"),
            std::string::npos)
      << written.error().message;
  EXPECT_EQ(Slurp(tmp.path() / "outside/a.py"), "x = 2\n");
  EXPECT_FALSE(tree.File("jobs/b.py").has_value());
}

}  // namespace
}  // namespace prometheus::rewrite
