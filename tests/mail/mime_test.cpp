// read_mail on mails as councils, mail servers and old clients send them, and on
// mails built to break it: over every limit, nested, truncated, not mail at all.

#include "mail/mime.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsing/parse.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::mail {
namespace {

using namespace std::string_literals;

Result<MailMessage> read_test_mail(const std::string& name, const MailLimits& limits = {}) {
  return read_mail(test::read_file(test::data_path("mail/" + name)), limits);
}

MailMessage read_ok(const std::string& name) {
  auto mail = read_test_mail(name);
  if (!mail) ADD_FAILURE() << name << ": " << mail.error().message;
  return mail ? std::move(mail).value() : MailMessage{};
}

std::string form_bytes(const std::string& name) { return test::read_file(test::data_path("forms/" + name)); }

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    if (i % 57 == 54) out += "\r\n";
  }
  return out;
}

// True when every multi-byte sequence is complete (the reader's names are cut on character boundaries).
bool whole_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

struct Example {
  std::string mail;
  std::string from;
  std::string from_name;
  std::string subject;
  std::string message_id;
  std::string date;
  std::string form;
};

class ExampleMail : public testing::TestWithParam<Example> {};

TEST_P(ExampleMail, ReadsSenderSubjectIdsAndTheOneFormAttached) {
  const Example& e = GetParam();
  const MailMessage mail = read_ok(e.mail);
  EXPECT_EQ(mail.from.address, e.from);
  EXPECT_EQ(mail.from.name, e.from_name);
  EXPECT_EQ(mail.subject, e.subject);
  EXPECT_EQ(mail.message_id, e.message_id);
  EXPECT_EQ(mail.date, e.date);
  EXPECT_FALSE(mail.automatic) << mail.why;
  EXPECT_FALSE(mail.is_bounce);
  EXPECT_EQ(mail.content_type, "multipart/mixed");
  ASSERT_EQ(mail.attachments.size(), 1u);
  const Attachment& a = mail.attachments[0];
  EXPECT_EQ(a.content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(a.bytes, form_bytes(e.form + ".docx"));
  EXPECT_EQ(a.size, a.bytes.size());
  EXPECT_FALSE(a.from_forwarded);
  EXPECT_FALSE(a.from_tnef);

  const auto form = parse_form(a.bytes);
  ASSERT_TRUE(form.ok()) << form.error().message;
  const auto expected = nlohmann::json::parse(form_bytes(e.form + ".json"));
  EXPECT_EQ(nlohmann::json::parse(to_json(*form).dump()), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Councils, ExampleMail,
    testing::Values(Example{"internal-new-notification.eml", "commissioning.qa@bolton.gov.uk",
                            "Team Manager, Commissioning", "ISP notification - Brookvale Care Ltd",
                            "DB9PR01MB5FE9D0300644D158D91C3B9F@DB9PR01MB5FE9.eurprd01.prod.exchangelabs.com",
                            "2026-02-03T10:14:22Z", "internal-new-notification"},
                    Example{"restricted-criminality.eml", "placements.commissioning@wigan.gov.uk",
                            "Service Manager, Placements and Commissioning",
                            "ISP notification - Kestrel Fold Supported Living Ltd",
                            "DB9PR01MB15D6F31EF55FEE0D02E75BC2@DB9PR01MB15D6.eurprd01.prod.exchangelabs.com",
                            "2026-02-10T16:41:05Z", "restricted-criminality"},
                    // Sent at 09:03:47 +0100: the date is given in UTC.
                    Example{"rescind.eml", "childrens.commissioning@salford.gov.uk",
                            "Quality Assurance Lead, Children's Commissioning",
                            "ISP rescind - Pennine Bridge Residential Services Ltd",
                            "DB9PR01MBE8994726B02C30B6EF94F580@DB9PR01MBE899.eurprd01.prod.exchangelabs.com",
                            "2026-04-08T08:03:47Z", "rescind"}),
    [](const testing::TestParamInfo<Example>& example) {
      std::string name = example.param.form;
      std::erase(name, '-');
      return name;
    });

TEST(ReadMail, DecodesRfc2047AttachmentNameWithEnDash) {
  const MailMessage mail = read_ok("internal-new-notification.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].name, "ISP notification \u2013 Brookvale Care Ltd.docx");
  EXPECT_EQ(mail.attachments[0].sha256, "65b2cabb4b572080bfcf9bcd1fc2de0541f86b0a6d11d65b161e83a4681c8954");
  EXPECT_NE(mail.authentication_results.find("dkim=pass"), std::string::npos);
}

TEST(ReadMail, JoinsRfc2231ContinuationsOfAFileName) {
  const MailMessage mail = read_ok("rescind.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].name,
            "ISP rescind notification \u2013 Pennine Bridge Residential Services Ltd \u2013 Weaver Lane.docx");
}

TEST(ReadMail, PrefersOutlooksRfc2231NameToItsQuestionMarkedName) {
  const MailMessage mail = read_ok("rfc2231-filename.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].name, "Notificaci\u00f3n \u2013 Caf\u00e9 \u00dcn\u00efcode Ltd.docx");
  EXPECT_EQ(mail.attachments[0].bytes, form_bytes("internal-new-notification.docx"));
}

TEST(ReadMail, DecodesRfc2047SubjectAndSenderAcrossCharsetsAndFolds) {
  const MailMessage mail = read_ok("rfc2047-subject.eml");
  EXPECT_EQ(mail.subject, "ISP notification \u2013 Caf\u00e9 Ltd \u2013 review");
  EXPECT_EQ(mail.from.name, "Ren\u00e9e O'Brien");
  EXPECT_EQ(mail.from.address, "renee.obrien@tameside.gov.uk");
  EXPECT_TRUE(mail.attachments.empty());
}

TEST(ReadMail, FindsTheFormInsideAForwardedMail) {
  const MailMessage mail = read_ok("forwarded.eml");
  EXPECT_EQ(mail.from.address, "head.service@bolton.gov.uk");
  EXPECT_EQ(mail.subject, "FW: ISP notification - Brookvale Care Ltd");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_TRUE(mail.attachments[0].from_forwarded);
  EXPECT_FALSE(mail.attachments[0].from_tnef);
  EXPECT_EQ(mail.attachments[0].name, "ISP notification \u2013 Brookvale Care Ltd.docx");
  EXPECT_EQ(mail.attachments[0].bytes, form_bytes("internal-new-notification.docx"));
}

TEST(ReadMail, KeepsTheFirstTextOfTheMailInUtf8) {
  const std::string raw =
      "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
      "--b\r\nContent-Type: multipart/alternative; boundary=\"c\"\r\n\r\n"
      "--c\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      "CLOSE, please. Caf=E9\r\n"
      "--c\r\nContent-Type: text/html\r\n\r\n<p>CLOSE</p>\r\n--c--\r\n"
      "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\n"
      "not the text\r\n--b--\r\n";
  const auto mail = read_mail(raw);
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->text, "CLOSE, please. Caf\u00e9");
  ASSERT_EQ(mail->attachments.size(), 1u);
}

TEST(ReadMail, TheTextOfAForwardedMailIsNotTheMailsOwn) {
  const MailMessage mail = read_ok("forwarded.eml");
  EXPECT_EQ(mail.text.find("ISP notification - Brookvale"), std::string::npos);
  const auto long_text = read_mail("From: a@b.example\r\nSubject: x\r\n\r\n" + std::string(200000, 'x'));
  ASSERT_TRUE(long_text);
  EXPECT_EQ(long_text->text.size(), kMaxTextBytes);
}

TEST(ReadMail, ReadsBothAttachmentsInOrder) {
  const MailMessage mail = read_ok("form-and-pdf.eml");
  ASSERT_EQ(mail.attachments.size(), 2u);
  EXPECT_EQ(mail.attachments[0].name, "ISP notification.docx");
  EXPECT_EQ(mail.attachments[0].bytes, form_bytes("restricted-criminality.docx"));
  EXPECT_EQ(mail.attachments[1].name, "ISP notification.pdf");
  EXPECT_EQ(mail.attachments[1].content_type, "application/pdf");
  EXPECT_TRUE(mail.attachments[1].bytes.starts_with("%PDF-1.4"));
}

TEST(ReadMail, ReadsAMailWithoutAttachments) {
  const MailMessage mail = read_ok("no-attachment.eml");
  EXPECT_EQ(mail.subject, "Question about the ISP form");
  EXPECT_EQ(mail.content_type, "text/plain");
  EXPECT_TRUE(mail.attachments.empty());
  EXPECT_FALSE(mail.automatic);
}

TEST(ReadMail, ReadsAnOldWordDocAsAnAttachment) {
  const MailMessage mail = read_ok("doc-attachment.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].name, "ISP notification.doc");
  EXPECT_EQ(mail.attachments[0].content_type, "application/msword");
  EXPECT_TRUE(mail.attachments[0].bytes.starts_with("\xD0\xCF\x11\xE0"));
}

TEST(ReadMail, SplitsAMultipartWhoseBoundaryHasSpaces) {
  const MailMessage mail = read_ok("boundary-spaces.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].bytes, form_bytes("internal-new-notification.docx"));
}

TEST(ReadMail, UnpacksTheFormFromWinmailDat) {
  const MailMessage mail = read_ok("tnef-winmail.eml");
  ASSERT_EQ(mail.attachments.size(), 2u);
  const Attachment& form = mail.attachments[0];
  EXPECT_EQ(form.name, "ISP notification \u2013 Brookvale Care Ltd.docx");  // the long name, not ISPNOT~1.DOC
  EXPECT_EQ(form.content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_TRUE(form.from_tnef);
  EXPECT_FALSE(form.from_forwarded);
  EXPECT_EQ(form.bytes, form_bytes("internal-new-notification.docx"));
  EXPECT_TRUE(parse_form(form.bytes).ok());
  EXPECT_EQ(mail.attachments[1].name, "NOTES.TXT");  // only a short title
  EXPECT_EQ(mail.attachments[1].content_type, "application/octet-stream");
  EXPECT_EQ(mail.attachments[1].bytes, "Placement notes: see the form.\r\n");
}

TEST(ReadMail, DecodesUuencodeAndQuotedPrintable) {
  const MailMessage mail = read_ok("uuencode-and-qp.eml");
  ASSERT_EQ(mail.attachments.size(), 2u);
  EXPECT_EQ(mail.attachments[0].name, "scan.pdf");
  EXPECT_TRUE(mail.attachments[0].bytes.starts_with("%PDF-1.4\n1 0 obj"));
  EXPECT_TRUE(mail.attachments[0].bytes.ends_with("%%EOF\n"));
  EXPECT_EQ(mail.attachments[1].bytes,
            "Caf\u00e9 notes \u2013 a line that is long enough to be soft-broken by a quoted-printable encoder.\r\n");
}

TEST(ReadMail, TreatsAnOutOfOfficeReplyAsAutomatic) {
  const MailMessage mail = read_ok("out-of-office.eml");
  EXPECT_TRUE(mail.automatic);
  EXPECT_EQ(mail.auto_submitted, "auto-replied");
  EXPECT_NE(mail.why.find("Auto-Submitted: auto-replied"), std::string::npos) << mail.why;
  EXPECT_NE(mail.why.find("out-of-office subject"), std::string::npos) << mail.why;
  EXPECT_FALSE(mail.is_bounce);
  EXPECT_EQ(mail.in_reply_to, "ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk");
  EXPECT_EQ(mail.references, (std::vector<std::string>{"ISP-2026-0007.0@placementsnorthwest.stockport.gov.uk",
                                                       "ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk"}));
}

TEST(ReadMail, TreatsPrecedenceBulkAsAutomatic) {
  const MailMessage mail = read_ok("precedence-bulk.eml");
  EXPECT_TRUE(mail.automatic);
  EXPECT_EQ(mail.precedence, "bulk");
  EXPECT_EQ(mail.why, "Precedence: bulk");
}

TEST(ReadMail, ReadsTheFailedRecipientAndOriginalMessageIdOfABounce) {
  const MailMessage mail = read_ok("dsn-bounce.eml");
  EXPECT_TRUE(mail.is_bounce);
  EXPECT_TRUE(mail.automatic);
  EXPECT_NE(mail.why.find("bounce"), std::string::npos) << mail.why;
  EXPECT_NE(mail.why.find("Return-Path: <>"), std::string::npos) << mail.why;
  EXPECT_NE(mail.why.find("MAILER-DAEMON"), std::string::npos) << mail.why;
  // The delivered recipient is not listed; the address is the one the sender wrote.
  EXPECT_EQ(mail.failed_recipients, std::vector<std::string>{"No.Such.Officer@trafford.gov.uk"});
  EXPECT_EQ(mail.original_message_id, "ISP-2026-0007.1@placementsnorthwest.stockport.gov.uk");
  EXPECT_TRUE(mail.attachments.empty());
  EXPECT_EQ(mail.content_type, "multipart/report");
}

// Small mails written here, for the rules one header at a time.
std::string headers_then_body(const std::string& headers) {
  return "From: Someone <someone@example.org>\r\nSubject: Hello\r\n" + headers +
         "Content-Type: text/plain\r\n\r\nBody\r\n";
}

TEST(ReadMail, AutomaticOnlyForTheSignsRfc3834Names) {
  const auto automatic = [](const std::string& headers) {
    const auto mail = read_mail(headers_then_body(headers));
    EXPECT_TRUE(mail.ok());
    return mail.ok() && mail->automatic;
  };
  EXPECT_FALSE(automatic(""));
  EXPECT_FALSE(automatic("Auto-Submitted: no\r\n"));
  EXPECT_FALSE(automatic("Auto-Submitted: No ; comment\r\n"));
  EXPECT_FALSE(automatic("Precedence: first-class\r\n"));
  EXPECT_FALSE(automatic("Return-Path: <someone@example.org>\r\n"));
  EXPECT_TRUE(automatic("Auto-Submitted: auto-generated\r\n"));
  EXPECT_TRUE(automatic("Precedence: list\r\n"));
  EXPECT_TRUE(automatic("Precedence: JUNK\r\n"));
  EXPECT_TRUE(automatic("Return-Path: <>\r\n"));
  EXPECT_TRUE(automatic("Return-Path: < >\r\n"));
  EXPECT_TRUE(automatic("X-Autoreply: yes\r\n"));
  EXPECT_TRUE(automatic("X-Autorespond: yes\r\n"));
  EXPECT_TRUE(automatic("List-Id: Care news <news.example.org>\r\n"));
  const auto postmaster = read_mail("From: postmaster@example.org\r\nSubject: x\r\n\r\nBody\r\n");
  ASSERT_TRUE(postmaster.ok());
  EXPECT_TRUE(postmaster->automatic);
  for (const char* subject : {"Automatic reply: ISP", "Out of Office: away", "AUTO: away until Monday"}) {
    const auto mail = read_mail(std::string("From: a@example.org\r\nSubject: ") + subject + "\r\n\r\nBody\r\n");
    ASSERT_TRUE(mail.ok());
    EXPECT_TRUE(mail->automatic) << subject;
    EXPECT_EQ(mail->why, "an out-of-office subject");
  }
}

TEST(ReadMail, TreatsAReadReceiptAsAutomaticButNotABounce) {
  const std::string mdn =
      "From: a@example.org\r\nSubject: Read: ISP\r\n"
      "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nRead.\r\n"
      "--b\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: manual-action/MDN-sent-manually; "
      "displayed\r\n--b--\r\n";
  const auto mail = read_mail(mdn);
  ASSERT_TRUE(mail.ok());
  EXPECT_TRUE(mail->automatic);
  EXPECT_FALSE(mail->is_bounce);
}

TEST(ReadMail, GivesTheDateInUtcOrNothing) {
  const auto date_of = [](const std::string& date_header) {
    const auto mail = read_mail(headers_then_body(date_header));
    return mail.ok() ? mail->date : std::string("error");
  };
  EXPECT_EQ(date_of("Date: Tue, 3 Feb 2026 23:30:00 -0100\r\n"), "2026-02-04T00:30:00Z");
  EXPECT_EQ(date_of(""), "");
  EXPECT_EQ(date_of("Date: next Tuesday, probably\r\n"), "");
}

TEST(ReadMail, ReadsReplyToAndRecipients) {
  const auto mail =
      read_mail(headers_then_body("Reply-To: \"ISP Team\" <isp@bolton.gov.uk>, other@bolton.gov.uk\r\n"
                                  "To: a@example.org, Team: b@example.org, c@example.org;\r\nCc: d@example.org\r\n"));
  ASSERT_TRUE(mail.ok());
  ASSERT_EQ(mail->reply_to.size(), 2u);
  EXPECT_EQ(mail->reply_to[0].name, "ISP Team");
  EXPECT_EQ(mail->reply_to[0].address, "isp@bolton.gov.uk");
  ASSERT_EQ(mail->to.size(), 3u);
  EXPECT_EQ(mail->to[2].address, "c@example.org");
  ASSERT_EQ(mail->cc.size(), 1u);
}

TEST(ReadMail, CountsEveryAddressTheFromHeaderNames) {
  for (const auto& [from, count] : std::vector<std::pair<std::string, std::size_t>>{
           {"a@bolton.gov.uk", 1},
           {"\"Bolton, ISP Team\" <a@bolton.gov.uk>", 1},
           {"a@bolton.gov.uk, b@example.com", 2},
           {"\"Last, First\" <a@bolton.gov.uk>,\r\n b@example.com, C <c@example.com>", 3},
           {"Team: a@bolton.gov.uk, b@example.com;", 2}}) {
    const auto mail = read_mail("From: " + from + "\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\nBody\r\n");
    ASSERT_TRUE(mail.ok()) << from;
    EXPECT_EQ(mail->from_count, count) << from;
    EXPECT_EQ(mail->from.address, "a@bolton.gov.uk") << from;
  }
}

TEST(ReadMail, FindsTheFormInABase64EncodedForwardedMail) {
  const std::string inner = test::read_file(test::data_path("mail/internal-new-notification.eml"));
  const std::string mail_text =
      "From: a@example.org\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      base64(inner) + "\r\n--b--\r\n";
  const auto mail = read_mail(mail_text);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  ASSERT_EQ(mail->attachments.size(), 1u);
  EXPECT_TRUE(mail->attachments[0].from_forwarded);
  EXPECT_EQ(mail->attachments[0].bytes, form_bytes("internal-new-notification.docx"));
}

// Limits: every one refused with a sentence, never a crash.

TEST(MailLimits, RefusesAMailLargerThanTheLimit) {
  MailLimits limits;
  limits.max_mail_bytes = 1024;
  const auto mail = read_test_mail("internal-new-notification.eml", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "is larger than 1 KiB");
}

TEST(MailLimits, RefusesA41MiBMailWithTheDefaultLimits) {
  const std::string huge = headers_then_body("") + std::string((std::size_t{41} << 20), 'a');
  const auto mail = read_mail(huge);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "is larger than 40 MiB");
}

TEST(MailLimits, RefusesAnAttachmentLargerThanTheLimit) {
  MailLimits limits;
  limits.max_attachment_bytes = std::size_t{16} * 1024;
  const auto mail = read_test_mail("internal-new-notification.eml", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has an attachment larger than 16 KiB");
}

TEST(MailLimits, RefusesAFileInsideWinmailDatLargerThanTheLimit) {
  MailLimits limits;
  limits.max_attachment_bytes = std::size_t{18} * 1024;  // winmail.dat itself is a little larger than the form
  const auto mail = read_test_mail("tnef-winmail.eml", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has an attachment larger than 18 KiB");
}

TEST(MailLimits, RefusesAttachmentsLargerThanTheTotalLimit) {
  MailLimits limits;
  limits.max_total_bytes = 20000;
  EXPECT_TRUE(read_test_mail("internal-new-notification.eml", limits).ok());
  limits.max_total_bytes = 18600;  // the form (18509 bytes) and the PDF (125) come to 18634
  const auto mail = read_test_mail("form-and-pdf.eml", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has attachments larger than 18600 bytes in all");
}

std::string mail_with_parts(std::size_t parts) {
  std::string text = "From: a@example.org\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (std::size_t i = 0; i < parts; ++i) text += "--b\r\nContent-Type: text/plain\r\n\r\npart\r\n";
  return text + "--b--\r\n";
}

TEST(MailLimits, RefusesMorePartsThanTheLimit) {
  EXPECT_TRUE(read_mail(mail_with_parts(400)).ok());
  const auto mail = read_mail(mail_with_parts(600));
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has more than 500 MIME parts");
}

TEST(MailLimits, CountsTheFilesInsideWinmailDatAsParts) {
  MailLimits limits;
  limits.max_parts = 5;  // the multipart, its text, winmail.dat and its two files
  EXPECT_TRUE(read_test_mail("tnef-winmail.eml", limits).ok());
  limits.max_parts = 4;
  const auto mail = read_test_mail("tnef-winmail.eml", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has more than 4 MIME parts");
}

TEST(MailLimits, RefusesAMillionEmptyPartsBeforeParsingThem) {
  std::string text = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 1'000'000; ++i) text += "--b\r\n\r\n";
  const auto mail = read_mail(text);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has more than 500 MIME parts");
}

std::string nested_multiparts(int depth) {
  std::string text = "From: a@example.org\r\nSubject: deep\r\n";
  for (int i = 0; i < depth; ++i) {
    text +=
        "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  }
  text += "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=deep.pdf\r\n\r\n%PDF\r\n";
  for (int i = depth - 1; i >= 0; --i) text += "--b" + std::to_string(i) + "--\r\n";
  return text;
}

std::string nested_forwards(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += "From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\n";
  return text + "From: a@example.org\r\nContent-Type: application/pdf; name=deep.pdf\r\n\r\n%PDF\r\n";
}

TEST(MailLimits, RefusesPartsNestedDeeperThanTheLimit) {
  const auto shallow = read_mail(nested_multiparts(15));
  ASSERT_TRUE(shallow.ok()) << shallow.error().message;
  ASSERT_EQ(shallow->attachments.size(), 1u);
  EXPECT_EQ(shallow->attachments[0].name, "deep.pdf");
  for (const std::string& deep : {nested_multiparts(25), nested_forwards(25), nested_forwards(5000)}) {
    const auto mail = read_mail(deep);
    ASSERT_FALSE(mail.ok());
    EXPECT_EQ(mail.error().message, "has parts nested more than 20 deep");
  }
  // So many boundaries are refused before GMime builds a part for each.
  const auto very_deep = read_mail(nested_multiparts(5000));
  ASSERT_FALSE(very_deep.ok());
  EXPECT_EQ(very_deep.error().message, "has more than 500 MIME parts");
}

TEST(MailLimits, RefusesTooManyHeaderBytesBeforeGMimeBuildsThem) {
  std::string bomb = "From: a@example.org\r\n";
  for (int i = 0; i < 1'000'000; ++i) bomb += "X-A: b\r\n";
  const auto mail = read_mail(bomb + "\r\nbody\r\n");
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has more than 256 KiB of headers");
}

TEST(MailLimits, RefusesOneHeaderLongerThanTheLimitAnywhereInTheMail) {
  std::string addresses;
  for (int i = 0; i < 100'000; ++i) addresses += "a@b.example,\r\n ";
  const std::string forwarded =
      "From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.org\r\nTo: " + addresses +
      "c@d.example\r\n\r\nbody\r\n";
  const auto mail = read_mail(forwarded);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has a header longer than 256 KiB");
}

TEST(MailLimits, RefusesMoreHeaderFieldsThanTheLimitAcrossPartsAndForwardedMails) {
  MailLimits limits;
  limits.max_header_fields = 100;
  std::string text = "From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.org\r\n";
  for (int i = 0; i < 50; ++i) text += "X-A: b\r\n";
  EXPECT_TRUE(read_mail(text + "\r\nbody\r\n", limits).ok());
  for (int i = 0; i < 60; ++i) text += "X-A: b\r\n";
  const auto mail = read_mail(text + "\r\nbody\r\n", limits);
  ASSERT_FALSE(mail.ok());
  EXPECT_EQ(mail.error().message, "has more than 100 header fields");
}

// Malformed mail is read as far as GMime can.

TEST(MalformedMail, ReadsATruncatedMailAsFarAsItGoes) {
  const std::string whole = test::read_file(test::data_path("mail/internal-new-notification.eml"));
  for (std::size_t cut = 0; cut < whole.size(); cut += 997) {
    const auto mail = read_mail(std::string_view(whole).substr(0, cut));
    if (cut > 1200) {
      ASSERT_TRUE(mail.ok()) << cut;
      EXPECT_EQ(mail->message_id, "DB9PR01MB5FE9D0300644D158D91C3B9F@DB9PR01MB5FE9.eurprd01.prod.exchangelabs.com");
    }
  }
}

TEST(MalformedMail, RefusesBytesWithNoHeaderAsNotAMail) {
  for (const std::string& text : {std::string(), std::string("\r\n\r\n"), std::string("just some words\n")}) {
    const auto mail = read_mail(text);
    if (!mail.ok()) {
      EXPECT_EQ(mail.error().message, "is not a mail: it has no message headers");
    }
  }
}

TEST(MalformedMail, SurvivesBinaryGarbage) {
  std::string noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245 + 12345;
    noise += static_cast<char>(x >> 24);
  }
  (void)read_mail(noise);
  (void)read_mail("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + noise);
}

TEST(MalformedMail, ShowsADamagedWinmailDatAsItIs) {
  const std::string text =
      "From: a@example.org\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\n"
      "Content-Disposition: attachment; filename=winmail.dat\r\n\r\n\x78\x9F\x3E\x22\x01\x00\x02\x10\x80"s;
  const auto mail = read_mail(text);
  ASSERT_TRUE(mail.ok());
  ASSERT_EQ(mail->attachments.size(), 1u);
  EXPECT_EQ(mail->attachments[0].name, "winmail.dat");
  EXPECT_FALSE(mail->attachments[0].from_tnef);
}

TEST(DisplayName, KeepsUnicodeAndDropsFoldersAndControlCharacters) {
  EXPECT_EQ(display_name("ISP notification \u2013 Caf\u00e9.docx"), "ISP notification \u2013 Caf\u00e9.docx");
  EXPECT_EQ(display_name("C:\\Users\\officer\\Desktop\\form.docx"), "form.docx");
  EXPECT_EQ(display_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(display_name("form\x01\x1b[31m.docx"), "form[31m.docx");
  EXPECT_EQ(display_name("line\r\nbreak.docx"), "line  break.docx");
  // A right-to-left override would show "invoice\u202Excod.exe" as "invoiceexe.docx".
  EXPECT_EQ(display_name("invoice\u202Excod.exe"), "invoicexcod.exe");
  EXPECT_EQ(display_name(".."), "_");
  EXPECT_EQ(display_name("  spaced.docx  "), "spaced.docx");
  EXPECT_EQ(display_name("caf\xE9.docx"), "caf\uFFFD.docx");  // not UTF-8
  const std::string long_name = display_name(std::string(300, 'a') + ".docx");
  EXPECT_EQ(long_name.size(), 255u);
  EXPECT_TRUE(long_name.ends_with("a.docx"));
  // The cut falls inside the first "é": it moves back to the character's start.
  const std::string long_unicode = display_name(std::string(249, 'a') + "\u00e9\u00e9\u00e9.docx");
  EXPECT_EQ(long_unicode, std::string(249, 'a') + ".docx");
  EXPECT_TRUE(whole_utf8(long_unicode));
}

}  // namespace
}  // namespace ispd::mail
