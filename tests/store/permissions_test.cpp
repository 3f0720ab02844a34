// The store's files are owner-only by their own modes, not by the umask: with a umask of 0 the database, its
// write-ahead log and shared memory are 0600, the archive's folders 0700 and filed forms 0600.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "store/archive.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;

class NoUmask : public ::testing::Test {
 protected:
  NoUmask() : saved_(::umask(0)) {}
  ~NoUmask() override { ::umask(saved_); }

  test::TempDir dir;

 private:
  mode_t saved_;
};

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return 07777;  // no such file: no mode a test expects
  return info.st_mode & 07777;
}

TEST_F(NoUmask, ADatabaseAndItsWriteAheadLogAreOwnerOnly) {
  const fs::path database = dir.path() / "ispd.sqlite";
  auto store = Store::open(database);
  ASSERT_TRUE(store) << store.error().message;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    EXPECT_EQ(mode_of(database.string() + suffix), 0600U) << suffix;
  }
}

TEST_F(NoUmask, ADatabaseLeftOpenToOthersIsMadeOwnerOnlyWhenOpened) {
  const fs::path database = dir.path() / "ispd.sqlite";
  ASSERT_TRUE(Store::open(database));
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string path = database.string() + suffix;
    if (!fs::exists(path)) std::ofstream{path};
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0) << suffix;
  }
  auto again = Store::open(database);
  ASSERT_TRUE(again) << again.error().message;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    EXPECT_EQ(mode_of(database.string() + suffix), 0600U) << suffix;
  }
}

TEST_F(NoUmask, ArchiveFoldersAndFiledFormsAreOwnerOnly) {
  const fs::path archive = dir.path() / "state" / "archive";
  const auto folder = provider_folder(archive, "Brookvale Care Ltd");
  ASSERT_TRUE(folder) << folder.error().message;
  const auto filed = write_file_atomically(*folder, "ISP-2026-0001.docx", "bytes");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(mode_of(dir.path() / "state"), 0700U);
  EXPECT_EQ(mode_of(archive), 0700U);
  EXPECT_EQ(mode_of(*folder), 0700U);
  EXPECT_EQ(mode_of(*filed), 0600U);
}

TEST_F(NoUmask, ArchiveFoldersLeftOpenToOthersAreMadeOwnerOnly) {
  const fs::path archive = dir.path() / "archive";
  fs::create_directories(archive / "Brookvale Care Ltd");
  ASSERT_EQ(::chmod(archive.c_str(), 0755), 0);
  ASSERT_EQ(::chmod((archive / "Brookvale Care Ltd").c_str(), 0755), 0);
  const auto folder = provider_folder(archive, "Brookvale Care Ltd");
  ASSERT_TRUE(folder) << folder.error().message;
  EXPECT_EQ(mode_of(archive), 0700U);
  EXPECT_EQ(mode_of(*folder), 0700U);
}

}  // namespace
}  // namespace ispd::store
