// read_mail on every mail of the public corpus (../shared/corpora/mime, real mail from other
// projects' test suites, read in place): no crash, bounded work, and the subject and
// attachments (name, size) that Python's email package reads, except where
// corpus-expected.json records why GMime's reading differs.

#include "mail/mime.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "tests/support/test_data.hpp"

namespace ispd::mail {
namespace {

std::string collapse_whitespace(const std::string& s) {
  std::istringstream words(s);
  std::string word;
  std::string out;
  while (words >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

nlohmann::json attachments_of(const MailMessage& mail) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : mail.attachments) out.push_back({{"name", a.name}, {"size", a.size}});
  return out;
}

TEST(Corpus, ReadsEveryMailAsPythonDoesOrAsRecorded) {
  const std::filesystem::path corpus = ISPD_CORPUS_DIR;
  if (!std::filesystem::is_directory(corpus)) GTEST_SKIP() << "no corpus at " << corpus;
  const auto expected = nlohmann::json::parse(test::read_file(test::data_path("mail/corpus-expected.json")));

  std::size_t read = 0;
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".eml" && ext != ".txt") continue;
    const std::string relative = entry.path().lexically_relative(corpus).generic_string();
    SCOPED_TRACE(relative);
    const auto mail = read_mail(test::read_file(entry.path()));
    ++read;
    if (mail) {
      // An encoded-word left in a subject is a decoding failure, whatever the reference says.
      const bool python_left_one = expected.contains(relative) &&
                                   expected[relative]["subject"].get<std::string>().find("=?") != std::string::npos;
      if (!python_left_one) {
        EXPECT_EQ(mail->subject.find("=?"), std::string::npos) << mail->subject;
      }
    }
    if (!expected.contains(relative)) continue;  // new in the corpus: run corpus-expected.py
    const auto& want = expected[relative];
    const auto differs = want.value("differs", nlohmann::json::object());
    if (!mail) {
      EXPECT_TRUE(differs.contains("mail")) << mail.error().message;
      continue;
    }
    ++compared;
    if (!differs.contains("subject")) {
      EXPECT_EQ(collapse_whitespace(mail->subject), want["subject"].get<std::string>());
    }
    if (!differs.contains("attachments")) {
      EXPECT_EQ(attachments_of(*mail), want["attachments"]);
    }
  }
  EXPECT_GE(read, expected.size());
  std::cout << "corpus: " << read << " mails read, " << compared << " compared with Python's email package\n";
}

}  // namespace
}  // namespace ispd::mail
