// Everything ispd writes is its own user's alone, whatever umask it is started with: the database with its
// write-ahead log and shared memory, the poller's lock, the archive's folders and filed forms, and a spreadsheet
// it exports. Run as the daemon, so that the database's -wal and -shm exist while the files are looked at.

#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/daemon_process.hpp"
#include "tests/integration/site.hpp"

namespace ispd::test {
namespace {

namespace fs = std::filesystem;

// The umask a shell most often has: without ispd's own care, files 0644 and folders 0755.
class LooseUmask {
 public:
  LooseUmask() : saved_(::umask(022)) {}
  ~LooseUmask() { ::umask(saved_); }
  LooseUmask(const LooseUmask&) = delete;
  LooseUmask& operator=(const LooseUmask&) = delete;

 private:
  mode_t saved_;
};

// Every file and folder under `dir` but those the test itself wrote, each checked owner-only; their names.
std::set<std::string> checked_owner_only(const fs::path& dir, const std::set<std::string>& the_tests_own) {
  std::set<std::string> seen;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).string();
    if (the_tests_own.contains(name)) continue;
    struct stat info {};
    EXPECT_EQ(::lstat(entry.path().c_str(), &info), 0) << name;
    const auto mode = info.st_mode & 07777;
    if (S_ISDIR(info.st_mode)) {
      EXPECT_EQ(mode, 0700U) << name << " is a folder of mode 0" << std::oct << mode;
    } else {
      EXPECT_TRUE(S_ISREG(info.st_mode)) << name;
      EXPECT_EQ(mode, 0600U) << name << " is a file of mode 0" << std::oct << mode;
    }
    seen.insert(name);
  }
  return seen;
}

TEST(Permissions, EverythingIspdWritesIsOwnerOnlyUnderAUmaskOf022) {
  const LooseUmask umask;
  Site site;
  site.write_config({{"poll_seconds", "5"}});
  const fs::path dir = site.database().parent_path();
  const std::set<std::string> the_tests_own = {site.config().filename().string(), "imap.secret"};
  site.deliver({council_mail("officer@bolton.gov.uk", "ISP notification", "permissions-1@bolton.gov.uk",
                             example_form_about("Permissions Test Care Ltd", 900))});

  DaemonProcess daemon({"run", "--config", site.config().string()}, {kIspdNow});
  ASSERT_TRUE(daemon.wait_for("mail handled")) << daemon.err();
  ASSERT_TRUE(daemon.wait_for("copy delivered")) << daemon.err();
  const auto running = checked_owner_only(dir, the_tests_own);
  for (const std::string name : {"ispd.sqlite", "ispd.sqlite-wal", "ispd.sqlite-shm", "ispd.sqlite.lock", "archive",
                                 "archive/Permissions Test Care Ltd"}) {
    EXPECT_TRUE(running.contains(name)) << name << " was not written; there were:\n" << testing::PrintToString(running);
  }
  const auto filed = std::count_if(running.begin(), running.end(), [](const std::string& name) {
    return name.starts_with("archive/Permissions Test Care Ltd/") && name.ends_with(".docx");
  });
  EXPECT_EQ(filed, 1) << testing::PrintToString(running);
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_exit(), 0) << daemon.err();

  const auto exported = site.ispd({"export", "--month", "2026-02", "--out", (dir / "isp-2026-02.xlsx").string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(checked_owner_only(dir, the_tests_own).contains("isp-2026-02.xlsx"));
}

}  // namespace
}  // namespace ispd::test
