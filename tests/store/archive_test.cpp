// The archive: one folder per provider, named safely, files written whole.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "parsing/utf8.hpp"
#include "store/archive.hpp"
#include "store/digest.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TimePoint at(std::string_view text) { return time_from_text(text); }

using test::TempDir;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every entry under `dir`, as paths relative to it.
std::vector<std::string> tree(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    out.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = 0;
    i += utf8::next(s, i, c);
    if (c == 0xFFFD) return false;
  }
  return true;
}

TEST(ProviderFolderName, KeepsOrdinaryNamesAsWritten) {
  EXPECT_EQ(provider_folder_name("Sunrise Care Ltd"), "Sunrise Care Ltd");
  EXPECT_EQ(provider_folder_name("  St John's   Homes  "), "St John's Homes");
  EXPECT_EQ(provider_folder_name("Café Care (North) & Co"), "Café Care (North) & Co");
}

TEST(ProviderFolderName, CannotLeaveTheArchiveOrHideItself) {
  for (const char* name : {"../../etc", "..", ".", "/", "a/b", "..\\..\\windows", "/etc/passwd", "...", ". . ."}) {
    const auto folder = provider_folder_name(name);
    EXPECT_EQ(folder.find('/'), std::string::npos) << name;
    EXPECT_EQ(folder.find('\\'), std::string::npos) << name;
    EXPECT_NE(folder.front(), '.') << name;
    EXPECT_NE(folder, "..");
  }
  EXPECT_EQ(provider_folder_name("../../etc"), "_.._etc");
  EXPECT_EQ(provider_folder_name(".."), "Unknown provider");
  EXPECT_EQ(provider_folder_name(""), "Unknown provider");
  EXPECT_EQ(provider_folder_name("///"), "Unknown provider");
}

TEST(ProviderFolderName, DropsControlCharactersAndWhatWindowsRefuses) {
  EXPECT_EQ(provider_folder_name("Evil\r\nLtd"), "Evil__Ltd");
  EXPECT_EQ(provider_folder_name(std::string("nul\0byte", 8)), "nul_byte");
  EXPECT_EQ(provider_folder_name("a<b>c:d\"e|f?g*h"), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(provider_folder_name("Trailing dots..."), "Trailing dots");
  EXPECT_EQ(provider_folder_name("bad \xff utf8"), "bad _ utf8");
}

// Characters a reader cannot see: the bidi controls (U+202E turns "Acme\u202Egnp.exe" round on screen) and the
// zero-width ones. A folder name drops them all, so no provider's folder can look like another's.
constexpr const char* kInvisible[] = {
    "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",  // embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069",            // isolates
    "\u200E", "\u200F", "\u061C",                      // marks: left-to-right, right-to-left, Arabic letter
    "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF",  // zero width: space, non-joiner, joiner, word joiner, BOM
};

// What may stand around a name and must not be kept at either end of a folder name.
constexpr const char* kEdges[] = {" ", "\t", ".", "\u00A0", "\t.", ". .", ".\t.\t", "\t\t..", "\u202E.", " \u200B"};

constexpr const char* kNames[] = {"Sunrise Care Ltd", "Café Care (North) & Co", "St John's Homes"};

TEST(ProviderFolderName, DropsEveryInvisibleCharacterWhereverItStands) {
  for (const std::string name : kNames) {
    for (const std::string invisible : kInvisible) {
      // Before the name, after it, after each character boundary of its first word and around its spaces.
      std::vector<std::string> variants = {invisible + name, name + invisible, invisible + name + invisible};
      for (std::size_t at = 1; at < name.size(); ++at) {
        if ((static_cast<unsigned char>(name[at]) & 0xC0) == 0x80) continue;  // inside a UTF-8 sequence
        variants.push_back(name.substr(0, at) + invisible + name.substr(at));
      }
      for (const auto& variant : variants) EXPECT_EQ(provider_folder_name(variant), name) << variant;
    }
  }
}

TEST(ProviderFolderName, TrimsSpacesAndDotsFromBothEnds) {
  for (const std::string name : kNames) {
    for (const std::string before : kEdges) {
      for (const std::string after : kEdges) {
        EXPECT_EQ(provider_folder_name(before + name + after), name) << before << name << after;
        // With nothing else, or only what a folder name refuses, there is no name at all.
        EXPECT_EQ(provider_folder_name(before + after), "Unknown provider") << before << after;
        EXPECT_EQ(provider_folder_name(before + "\v" + after), "Unknown provider") << before << after;
        EXPECT_EQ(provider_folder_name(before + "\x01" + after + "\x02"), "Unknown provider") << before << after;
      }
    }
  }
}

TEST(ProviderFolderName, IsBoundedAndCutAtACharacterBoundary) {
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "é";  // two bytes each
  const auto folder = provider_folder_name("x" + long_name);
  EXPECT_LE(folder.size(), kMaxFolderNameBytes);
  EXPECT_GE(folder.size(), kMaxFolderNameBytes - 1);
  EXPECT_TRUE(valid_utf8(folder));
}

TEST(ProviderFolder, ATraversalNameStaysInsideTheArchive) {
  TempDir dir;
  const fs::path archive = dir.path() / "archive";
  const auto folder = provider_folder(archive, "../../etc");
  ASSERT_TRUE(folder) << folder.error().message;
  EXPECT_EQ(folder->parent_path(), archive);
  ASSERT_TRUE(write_file_atomically(*folder, "form.docx", "bytes"));
  EXPECT_EQ(tree(dir.path()), (std::vector<std::string>{"archive", "archive/_.._etc", "archive/_.._etc/form.docx"}));
}

TEST(ProviderFolder, RefusesToWriteThroughASymbolicLink) {
  TempDir dir;
  const fs::path archive = dir.path() / "archive";
  fs::create_directories(archive);
  fs::create_directories(dir.path() / "elsewhere");
  fs::create_directory_symlink(dir.path() / "elsewhere", archive / "Sunrise Care");
  const auto folder = provider_folder(archive, "Sunrise Care");
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("symbolic link"), std::string::npos);
}

TEST(WriteFileAtomically, WritesEveryByteAndLeavesNoTemporaryFile) {
  TempDir dir;
  const std::string bytes("PK\x03\x04\0binary\r\n", 13);
  const auto path = write_file_atomically(dir.path(), "ISP-2026-0001-2026-03-02-issue.docx", bytes);
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir.path() / "ISP-2026-0001-2026-03-02-issue.docx");
  EXPECT_EQ(read(*path), bytes);
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"ISP-2026-0001-2026-03-02-issue.docx"});
}

TEST(WriteFileAtomically, ReplacesAnOldFileWhole) {
  TempDir dir;
  ASSERT_TRUE(write_file_atomically(dir.path(), "f.docx", std::string(10000, 'a')));
  ASSERT_TRUE(write_file_atomically(dir.path(), "f.docx", "short"));
  EXPECT_EQ(read(dir.path() / "f.docx"), "short");
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"f.docx"});
}

TEST(WriteFileAtomically, RefusesANameThatIsNotAPlainFileName) {
  TempDir dir;
  for (const char* name : {"../escape.docx", "a/b.docx", "", ".", ".."}) {
    EXPECT_FALSE(write_file_atomically(dir.path(), name, "x")) << name;
  }
  EXPECT_TRUE(tree(dir.path()).empty());
  EXPECT_FALSE(fs::exists(dir.path().parent_path() / "escape.docx"));
}

TEST(WriteFileAtomically, FailsCleanlyWhenTheFolderIsMissing) {
  TempDir dir;
  const auto written = write_file_atomically(dir.path() / "missing", "f.docx", "x");
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("cannot create"), std::string::npos);
  EXPECT_TRUE(tree(dir.path()).empty());
}

class ArchiveForm : public testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.archive_dir = dir_.path() / "archive";
    auto opened = Store::open(":memory:", options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(opened).value());
  }
  std::string log(const std::string& provider) {
    Form form;
    form.provider.name = provider;
    return store_->transaction(now_, [&](Tx& tx) {
      return tx.log_notification({form, "Bolton Council", "officer@bolton.gov.uk"}).notification.reference;
    });
  }
  Result<ArchivedFile> archive(const std::string& reference, Stage stage, std::string_view bytes) {
    return store_->transaction(now_, [&](Tx& tx) {
      return tx.archive_form({reference, stage, "ISP form.docx", bytes});
    });
  }

  TempDir dir_;
  std::optional<Store> store_;
  TimePoint now_ = at("2026-03-02T09:00:00Z");
};

TEST_F(ArchiveForm, FilesTheFormUnderItsProviderWithReferenceDateAndStage) {
  const auto reference = log("Sunrise Care Ltd");
  const auto filed = archive(reference, Stage::issue, "docx bytes");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->path, dir_.path() / "archive" / "Sunrise Care Ltd" / "ISP-2026-0001-2026-03-02-issue.docx");
  EXPECT_EQ(read(filed->path), "docx bytes");
  EXPECT_EQ(filed->sha256, sha256_hex("docx bytes"));
  EXPECT_EQ(filed->size, 10);
  EXPECT_EQ(filed->file_name, "ISP form.docx");
}

TEST_F(ArchiveForm, KeepsEveryFormOfTheSameDayAndStage) {
  const auto reference = log("Sunrise Care Ltd");
  const auto first = archive(reference, Stage::provider_response, "first");
  const auto second = archive(reference, Stage::provider_response, "second");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->path.filename(), "ISP-2026-0001-2026-03-02-provider_response-2.docx");
  EXPECT_EQ(read(first->path), "first");
  EXPECT_EQ(read(second->path), "second");
}

TEST_F(ArchiveForm, AHostileProviderNameStaysInsideTheArchive) {
  const auto reference = log("../../etc");
  const auto filed = archive(reference, Stage::issue, "x");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->path.parent_path().parent_path(), dir_.path() / "archive");
  EXPECT_EQ(tree(dir_.path()), (std::vector<std::string>{"archive", "archive/_.._etc",
                                                         "archive/_.._etc/ISP-2026-0001-2026-03-02-issue.docx"}));
}

TEST_F(ArchiveForm, AFileLeftByARolledBackTransactionIsReplacedNotKeptBeside) {
  const auto reference = log("Sunrise Care Ltd");
  EXPECT_THROW(store_->transaction(now_,
                                   [&](Tx& tx) {
                                     ASSERT_TRUE(tx.archive_form({reference, Stage::issue, "f.docx", "old"}));
                                     throw std::runtime_error("crash after filing");
                                   }),
               std::runtime_error);
  const auto filed = archive(reference, Stage::issue, "new");
  ASSERT_TRUE(filed);
  EXPECT_EQ(filed->path.filename(), "ISP-2026-0001-2026-03-02-issue.docx");
  EXPECT_EQ(read(filed->path), "new");
}

TEST_F(ArchiveForm, TravelsWithTheCirculationThatAttachesIt) {
  const auto reference = log("Sunrise Care Ltd");
  const auto outbox_id = store_->transaction(now_, [&](Tx& tx) {
    const auto filed = tx.archive_form({reference, Stage::issue, "form.docx", "docx"});
    EXPECT_TRUE(filed);
    const auto decided = tx.append_event({EventKind::updated, reference, "ispd", {}});
    OutboxMail mail;
    mail.kind = OutboxKind::circulation;
    mail.reference = reference;
    mail.recipients = {"isp@manchester.gov.uk"};
    mail.subject = "OFFICIAL [" + reference + "]";
    mail.attachments = {filed->id};
    return tx.queue_mail(decided, mail);
  });
  const auto mail = store_->find_outbox(outbox_id);
  ASSERT_EQ(mail->attachments.size(), 1u);
  EXPECT_EQ(read(mail->attachments[0].path), "docx");
  EXPECT_EQ(mail->attachments[0].file_name, "form.docx");
}

TEST(ArchiveFormWithoutAFolder, SaysNoArchiveFolderIsConfigured) {
  auto opened = Store::open(":memory:");
  ASSERT_TRUE(opened);
  auto& store = opened.value();
  const auto result = store.transaction(at("2026-03-02T09:00:00Z"), [&](Tx& tx) {
    const auto ref = tx.log_notification({Form{}, "Bolton Council", ""}).notification.reference;
    return tx.archive_form({ref, Stage::issue, "f.docx", "x"});
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "no archive folder is configured");
}

// A batch's commits and files are made durable at once by sync(); until then
// they are as visible as any commit, and after it they survive reopening.
TEST(GroupCommit, KeepsEveryCommitAndFiledFormOnceSynced) {
  TempDir dir;
  StoreOptions options;
  options.archive_dir = dir.path() / "archive";
  options.group_commit = true;
  const auto database = dir.path() / "ispd.sqlite";
  std::string reference;
  {
    auto opened = Store::open(database, options);
    ASSERT_TRUE(opened) << opened.error().message;
    auto& store = opened.value();
    Form form;
    form.provider.name = "Sunrise Care Ltd";
    const auto filed = store.transaction(at("2026-03-02T09:00:00Z"), [&](Tx& tx) {
      reference = tx.log_notification({form, "Bolton Council", "officer@bolton.gov.uk"}).notification.reference;
      return tx.archive_form({reference, Stage::issue, "ISP form.docx", "the form"});
    });
    ASSERT_TRUE(filed) << filed.error().message;
    store.sync(at("2026-03-02T09:00:01Z"));
    store.sync(at("2026-03-02T09:00:02Z"));  // again: nothing new, still fine
  }
  auto reopened = Store::open(database);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_TRUE(reopened.value().find_notification(reference));
  EXPECT_EQ(tree(dir.path() / "archive"),
            (std::vector<std::string>{"Sunrise Care Ltd", "Sunrise Care Ltd/ISP-2026-0001-2026-03-02-issue.docx"}));
}

TEST(GroupCommit, SyncWithoutGroupCommitIsHarmless) {
  auto opened = Store::open(":memory:");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_NO_THROW(opened.value().sync(at("2026-03-02T09:00:00Z")));
}

}  // namespace
}  // namespace ispd::store
