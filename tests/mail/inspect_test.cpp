// `ispd inspect MAIL.eml`: the JSON it prints for each test mail, and its exit codes.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_data.hpp"

namespace ispd {
namespace {

using namespace std::string_literals;

nlohmann::json inspect(const std::string& mail) {
  const auto result = test::run_ispd({"inspect", test::data_path("mail/" + mail).string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  return nlohmann::json::parse(result.out);
}

TEST(Inspect, PrintsSenderIdsAndTheFormOfAnExampleMail) {
  const auto out = inspect("internal-new-notification.eml");
  EXPECT_EQ(out["from"], "commissioning.qa@bolton.gov.uk");
  EXPECT_EQ(out["from_name"], "Team Manager, Commissioning");
  EXPECT_EQ(out["subject"], "ISP notification - Brookvale Care Ltd");
  EXPECT_EQ(out["message_id"], "DB9PR01MB5FE9D0300644D158D91C3B9F@DB9PR01MB5FE9.eurprd01.prod.exchangelabs.com");
  EXPECT_EQ(out["date"], "2026-02-03T10:14:22Z");
  EXPECT_EQ(out["auto_submitted"], "");
  EXPECT_EQ(out["automatic"], false);
  EXPECT_EQ(out["is_bounce"], false);
  ASSERT_EQ(out["attachments"].size(), 1u);
  const auto& a = out["attachments"][0];
  EXPECT_EQ(a["name"], "ISP notification \u2013 Brookvale Care Ltd.docx");
  EXPECT_EQ(a["content_type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(a["size"], 18506);
  EXPECT_EQ(a["sha256"], "65b2cabb4b572080bfcf9bcd1fc2de0541f86b0a6d11d65b161e83a4681c8954");
  EXPECT_EQ(a["form"], true);
  EXPECT_TRUE(a["form_problem"].is_null());
  EXPECT_EQ(out["forms"], nlohmann::json::array({0}));
}

TEST(Inspect, SaysWhyAPdfOrAnOldDocIsNotAForm) {
  const auto two = inspect("form-and-pdf.eml");
  EXPECT_EQ(two["forms"], nlohmann::json::array({0}));
  EXPECT_EQ(two["attachments"][1]["form"], false);
  EXPECT_EQ(two["attachments"][1]["form_problem"], "is a PDF, not the Word form; please send the Word form (.docx)");
  const auto doc = inspect("doc-attachment.eml");
  EXPECT_EQ(doc["forms"], nlohmann::json::array());
  EXPECT_EQ(doc["attachments"][0]["form_problem"],
            "is an old Word 97-2003 .doc file; please save it as .docx (Word Document) and send it again");
}

TEST(Inspect, LeavesFilesThatAreNoDocumentWithoutAProblem) {
  const auto out = inspect("tnef-winmail.eml");
  EXPECT_EQ(out["forms"], nlohmann::json::array({0}));
  EXPECT_EQ(out["attachments"][0]["from_tnef"], true);
  EXPECT_EQ(out["attachments"][1]["name"], "NOTES.TXT");
  EXPECT_EQ(out["attachments"][1]["form"], false);
  EXPECT_TRUE(out["attachments"][1]["form_problem"].is_null());
}

TEST(Inspect, FindsFormsInForwardedMailsAndEncodedNames) {
  const auto forwarded = inspect("forwarded.eml");
  EXPECT_EQ(forwarded["forms"], nlohmann::json::array({0}));
  EXPECT_EQ(forwarded["attachments"][0]["from_forwarded"], true);
  const auto rfc2231 = inspect("rfc2231-filename.eml");
  EXPECT_EQ(rfc2231["attachments"][0]["name"], "Notificaci\u00f3n \u2013 Caf\u00e9 \u00dcn\u00efcode Ltd.docx");
  EXPECT_EQ(rfc2231["forms"], nlohmann::json::array({0}));
}

TEST(Inspect, ShowsAutomaticMailAndBounces) {
  const auto oof = inspect("out-of-office.eml");
  EXPECT_EQ(oof["automatic"], true);
  EXPECT_EQ(oof["auto_submitted"], "auto-replied");
  EXPECT_EQ(oof["in_reply_to"], "ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk");
  const auto bulk = inspect("precedence-bulk.eml");
  EXPECT_EQ(bulk["automatic"], true);
  EXPECT_EQ(bulk["precedence"], "bulk");
  EXPECT_EQ(bulk["automatic_why"], "Precedence: bulk");
  const auto bounce = inspect("dsn-bounce.eml");
  EXPECT_EQ(bounce["is_bounce"], true);
  EXPECT_EQ(bounce["failed_recipients"], nlohmann::json::array({"No.Such.Officer@trafford.gov.uk"}));
  EXPECT_EQ(bounce["original_message_id"], "ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk");
  const auto none = inspect("no-attachment.eml");
  EXPECT_EQ(none["attachments"], nlohmann::json::array());
  EXPECT_EQ(none["forms"], nlohmann::json::array());
}

using test::TempDir;

TEST(Inspect, ExitsTwoNamingTheFileWhenTheMailCannotBeRead) {
  const auto missing = test::run_ispd({"inspect", "/nonexistent/mail.eml"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "/nonexistent/mail.eml: cannot be opened (no such file, or no permission to read it)\n");

  const TempDir dir;
  const auto huge = dir.path() / "huge.eml";
  {
    std::ofstream out(huge, std::ios::binary);
    out << "From: a@example.org\r\nSubject: big\r\n\r\n";
    const std::string line(1023, 'a');
    for (int i = 0; i < 41 * 1024; ++i) out << line << '\n';
  }
  const auto too_big = test::run_ispd({"inspect", huge.string()});
  EXPECT_EQ(too_big.exit_code, 2);
  EXPECT_EQ(too_big.out, "");
  EXPECT_EQ(too_big.err, huge.string() + ": is larger than 40 MiB; a mail to the ISP mailbox is far smaller\n");

  const auto empty = dir.path() / "empty.eml";
  std::ofstream(empty, std::ios::binary).close();
  const auto not_mail = test::run_ispd({"inspect", empty.string()});
  EXPECT_EQ(not_mail.exit_code, 2);
  EXPECT_EQ(not_mail.err, empty.string() + ": is not a mail: it has no message headers\n");
}

TEST(Inspect, PrintsValidJsonForADamagedWinmailDatAndInvalidUtf8) {
  const TempDir dir;
  const auto path = dir.path() / "damaged.eml";
  std::ofstream(path, std::ios::binary)
      << "From: a@example.org\r\nSubject: caf\xE9 \xFF\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\n"
         "Content-Disposition: attachment; filename=\"winmail\xFF.dat\"\r\n\r\n\x78\x9F\x3E\x22\x01\x00\x02\x10\x80"s;
  const auto result = test::run_ispd({"inspect", path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto out = nlohmann::json::parse(result.out);
  ASSERT_EQ(out["attachments"].size(), 1u);
  EXPECT_EQ(out["attachments"][0]["form"], false);
}

}  // namespace
}  // namespace ispd
