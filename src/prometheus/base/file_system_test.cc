#include "prometheus/base/file_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "prometheus/testing/fake_file_system.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;

std::vector<std::string> Names(FileSystem& file_system, const fs::path& folder) {
  auto entries = file_system.List(folder);
  EXPECT_TRUE(entries.has_value()) << entries.error().message;
  std::vector<std::string> names;
  if (entries) {
    for (const auto& entry : *entries) names.push_back(entry.name + (entry.is_folder ? "/" : ""));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> WriteNew(FileSystem& file_system, const fs::path& path, std::string_view bytes) {
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> file, file_system.Create(path));
  PROM_TRY(file->Append(bytes));
  return file->Commit();
}

TEST(LocalFileSystem, ANewFileAppearsOnlyWhenCommittedAndNeverReplacesOne) {
  TempDir dir;
  FileSystem& local = LocalFileSystem();
  const fs::path path = dir.path() / "a.json";
  {
    auto file = local.Create(path);
    ASSERT_TRUE(file.has_value()) << file.error().message;
    ASSERT_TRUE((*file)->Append("first"));
    EXPECT_FALSE(fs::exists(path));
    auto published = (*file)->Commit();
    ASSERT_TRUE(published.has_value()) << published.error().message;
    EXPECT_TRUE(*published);
    EXPECT_EQ((*file)->size(), 5u);
  }
  auto second = WriteNew(local, path, "second");
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_FALSE(*second);
  EXPECT_EQ(*local.Read(path), "first");
  {
    auto abandoned = local.Create(dir.path() / "b.json");
    ASSERT_TRUE(abandoned.has_value());
    ASSERT_TRUE((*abandoned)->Append("never committed"));
  }
  EXPECT_EQ(Names(local, dir.path()), std::vector<std::string>{"a.json"});  // no temporaries
}

TEST(LocalFileSystem, ListsFoldersAndSaysWhatIsNotThere) {
  TempDir dir;
  FileSystem& local = LocalFileSystem();
  ASSERT_TRUE(local.CreateFolders(dir.path() / "x" / "y"));
  ASSERT_TRUE(WriteNew(local, dir.path() / "f", "bytes").has_value());
  EXPECT_EQ(Names(local, dir.path()), (std::vector<std::string>{"f", "x/"}));

  auto missing = local.List(dir.path() / "nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto unread = local.Read(dir.path() / "nope.json");
  ASSERT_FALSE(unread.has_value());
  EXPECT_EQ(unread.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(unread.error().message, HasSubstr("nope.json: cannot open"));
  auto orphan = local.Create(dir.path() / "no" / "such.json");
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(orphan.error().message, HasSubstr("such.json"));
}

TEST(LocalFileSystem, ListsEachFilesSizeAndModificationTime) {
  TempDir dir;
  FileSystem& local = LocalFileSystem();
  ASSERT_TRUE(WriteNew(local, dir.path() / "a.parquet", "PAR1....PAR1").value_or(false));
  const auto now = std::chrono::system_clock::now();
  fs::last_write_time(dir.path() / "a.parquet",
                      std::chrono::file_clock::from_sys(now - std::chrono::hours(2)));
  auto entries = local.List(dir.path());
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].size_bytes, 12u);
  const int64_t two_hours_ago =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (now - std::chrono::hours(2)).time_since_epoch())
          .count();
  EXPECT_NEAR(static_cast<double>((*entries)[0].modified_ms), static_cast<double>(two_hours_ago),
              1000.0);
}

TEST(LocalFileSystem, ReadsARangeAndStopsAtTheEnd) {
  TempDir dir;
  FileSystem& local = LocalFileSystem();
  ASSERT_TRUE(WriteNew(local, dir.path() / "f", "0123456789").value_or(false));
  EXPECT_EQ(local.ReadRange(dir.path() / "f", 2, 3).value_or("?"), "234");
  EXPECT_EQ(local.ReadRange(dir.path() / "f", 8, 10).value_or("?"), "89");
  EXPECT_EQ(local.ReadRange(dir.path() / "f", 20, 4).value_or("?"), "");
  auto missing = local.ReadRange(dir.path() / "g", 0, 4);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr((dir.path() / "g").string()));
}

TEST(LocalFileSystem, RenamesAndDeletes) {
  TempDir dir;
  FileSystem& local = LocalFileSystem();
  ASSERT_TRUE(WriteNew(local, dir.path() / "a", "A").has_value());
  ASSERT_TRUE(WriteNew(local, dir.path() / "b", "B").has_value());
  ASSERT_TRUE(local.Rename(dir.path() / "a", dir.path() / "b"));
  EXPECT_EQ(*local.Read(dir.path() / "b"), "A");
  ASSERT_TRUE(local.Delete(dir.path() / "b"));
  EXPECT_TRUE(local.Delete(dir.path() / "b"));  // already gone: fine
  EXPECT_TRUE(Names(local, dir.path()).empty());
  auto renamed = local.Rename(dir.path() / "a", dir.path() / "c");
  ASSERT_FALSE(renamed.has_value());
  EXPECT_EQ(renamed.error().code, ErrorCode::kIo);
}

TEST(FakeFileSystem, InjectsEachFaultIntoTheChosenFile) {
  using Fault = testing::FakeFileSystem::Fault;
  TempDir dir;
  testing::FakeFileSystem fake;
  fake.FailNewFile(0, Fault::kNoSpace);
  fake.FailNewFile(1, Fault::kShortWrite);
  fake.FailNewFile(2, Fault::kIoError);
  fake.FailNewFile(3, Fault::kLostRace);
  for (const char* name : {"0", "1", "2"}) {
    auto written = WriteNew(fake, dir.path() / name, "some bytes");
    ASSERT_FALSE(written.has_value()) << name;
    EXPECT_EQ(written.error().code, ErrorCode::kIo);
    EXPECT_THAT(written.error().message, HasSubstr((dir.path() / name).string()));
  }
  auto lost = WriteNew(fake, dir.path() / "3", "some bytes");
  ASSERT_TRUE(lost.has_value());
  EXPECT_FALSE(*lost);
  auto fine = WriteNew(fake, dir.path() / "4", "some bytes");
  ASSERT_TRUE(fine.has_value() && *fine);
  EXPECT_EQ(Names(fake, dir.path()), std::vector<std::string>{"4"});
  EXPECT_EQ(fake.created().size(), 5u);
}

}  // namespace
}  // namespace prometheus
