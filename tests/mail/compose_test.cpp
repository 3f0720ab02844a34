// compose_mail read back through read_mail: what ispd sends must read as it was meant,
// and nothing a form holds may add a header or break a line.

#include "mail/compose.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/mime.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::mail {
namespace {

OutgoingMail notice() {
  OutgoingMail mail;
  mail.from = {"North West ADCS ISP", "isp@nwadcs.test"};
  mail.to = {{"Commissioning Team", "commissioning@bolton.test"}};
  mail.subject = "ISP notification - Brookvale Care Ltd";
  mail.message_id = "3f2a9c0e@nwadcs.test";
  mail.date = "2026-02-13T10:00:00Z";
  mail.text = "A notification has been received.\nIt is attached.\n";
  return mail;
}

std::string compose_ok(const OutgoingMail& mail) {
  auto raw = compose_mail(mail);
  if (!raw) ADD_FAILURE() << raw.error().message;
  return raw ? std::move(raw).value() : std::string();
}

MailMessage read_ok(const std::string& raw) {
  auto mail = read_mail(raw);
  if (!mail) ADD_FAILURE() << mail.error().message;
  return mail ? std::move(mail).value() : MailMessage{};
}

std::vector<std::string_view> lines(std::string_view raw) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < raw.size()) {
    std::size_t end = raw.find('\n', at);
    end = end == std::string_view::npos ? raw.size() : end + 1;
    out.push_back(raw.substr(at, end - at));
    at = end;
  }
  return out;
}

// The header block, unfolded: one entry per header field.
std::vector<std::string> header_fields(std::string_view raw) {
  std::vector<std::string> fields;
  for (std::string_view line : lines(raw)) {
    if (line == "\r\n") break;
    line = line.substr(0, line.find_last_not_of("\r\n") + 1);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back() += line;
    } else {
      fields.emplace_back(line);
    }
  }
  return fields;
}

std::string binary_bytes() {
  std::string bytes;
  for (int round = 0; round < 5; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  }
  return bytes;
}

TEST(Compose, WritesTextOnlyMailAsPlainTextWithItsHeaders) {
  OutgoingMail mail = notice();
  mail.in_reply_to = "DB9PR01MB5FE9@eurprd01.prod.exchangelabs.com";
  const std::string raw = compose_ok(mail);
  const MailMessage read = read_ok(raw);
  EXPECT_EQ(read.content_type, "text/plain");
  EXPECT_EQ(read.from.name, "North West ADCS ISP");
  EXPECT_EQ(read.from.address, "isp@nwadcs.test");
  ASSERT_EQ(read.to.size(), 1u);
  EXPECT_EQ(read.to[0].name, "Commissioning Team");
  EXPECT_EQ(read.to[0].address, "commissioning@bolton.test");
  EXPECT_EQ(read.subject, mail.subject);
  EXPECT_EQ(read.message_id, "3f2a9c0e@nwadcs.test");
  EXPECT_EQ(read.date, "2026-02-13T10:00:00Z");
  EXPECT_EQ(read.in_reply_to, "DB9PR01MB5FE9@eurprd01.prod.exchangelabs.com");
  EXPECT_EQ(read.references, std::vector<std::string>{"DB9PR01MB5FE9@eurprd01.prod.exchangelabs.com"});
  EXPECT_TRUE(read.attachments.empty());
  const auto fields = header_fields(raw);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "MIME-Version: 1.0"), fields.end()) << raw;
  EXPECT_NE(std::find(fields.begin(), fields.end(), "Date: Fri, 13 Feb 2026 10:00:00 +0000"), fields.end()) << raw;
}

TEST(Compose, WritesNoReferencesWhenItAnswersNothing) {
  const std::string raw = compose_ok(notice());
  EXPECT_EQ(raw.find("In-Reply-To:"), std::string::npos);
  EXPECT_EQ(raw.find("References:"), std::string::npos);
  EXPECT_TRUE(read_ok(raw).in_reply_to.empty());
}

TEST(Compose, MarksTheMailAutomaticSoItIsNeverAnswered) {
  const MailMessage generated = read_ok(compose_ok(notice()));
  EXPECT_EQ(generated.auto_submitted, "auto-generated");
  EXPECT_TRUE(generated.automatic);

  OutgoingMail reply = notice();
  reply.auto_submitted = "auto-replied";
  const MailMessage replied = read_ok(compose_ok(reply));
  EXPECT_EQ(replied.auto_submitted, "auto-replied");
  EXPECT_TRUE(replied.automatic);
}

TEST(Compose, ReadsBackNonAsciiAndEmojiSubjects) {
  for (const std::string subject :
       {"Notificación – Café Ltd", "ISP notification 🚸 Brookvale Care Ltd ✅",
        "A long subject that GMime must fold: Notificación de colocación – Residencia Café del Parque, "
        "Bolton, Wigan y Salford 🏠 with more words after it to pass the line length"}) {
    OutgoingMail mail = notice();
    mail.subject = subject;
    const std::string raw = compose_ok(mail);
    EXPECT_EQ(read_ok(raw).subject, subject);
    for (const std::string& field : header_fields(raw)) {
      if (field.starts_with("Subject:")) {
        EXPECT_NE(field.find("=?UTF-8?"), std::string::npos) << field;
      }
    }
  }
}

TEST(Compose, DoesNotLetASubjectAddABccHeader) {
  OutgoingMail mail = notice();
  mail.subject = "ISP notification\r\nBcc: victim@example.com";
  mail.from.name = "Team\r\nBcc: other@example.com";
  mail.to[0].name = "Team\nBcc: third@example.com";
  const std::string raw = compose_ok(mail);
  for (const std::string_view line : lines(raw)) {
    EXPECT_FALSE(line.starts_with("Bcc:")) << raw;
    EXPECT_FALSE(line.starts_with("bcc:")) << raw;
  }
  const MailMessage read = read_ok(raw);
  EXPECT_EQ(read.subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(read.subject, "ISP notification  Bcc: victim@example.com");
  EXPECT_EQ(read.from.address, "isp@nwadcs.test");
  ASSERT_EQ(read.to.size(), 1u);
  EXPECT_EQ(read.to[0].address, "commissioning@bolton.test");
}

TEST(Compose, EndsEveryLineWithCrlf) {
  OutgoingMail mail = notice();
  mail.text =
      "Line one\nLine two\r\nLine three\rLine four with café and a very long line that goes on and on "
      "and on past seventy-eight characters so that it must be wrapped by quoted-printable\n";
  mail.html = "<p>Line one</p>\n<p>Café</p>\n";
  mail.subject = "Notificación – Café Ltd with a subject long enough that GMime folds it onto a second line";
  mail.attachments = {{"Notificación – Café.docx", "application/octet-stream", binary_bytes()}};
  const std::string raw = compose_ok(mail);
  ASSERT_FALSE(raw.empty());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at byte " << i;
    }
    if (raw[i] == '\r') {
      ASSERT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at byte " << i;
    }
  }
  EXPECT_TRUE(raw.ends_with("\r\n"));
  // RFC 5322's limit; GMime folds headers and the encodings wrap bodies well inside it.
  for (const std::string_view line : lines(raw)) EXPECT_LE(line.size(), 998u + 2u);
}

TEST(Compose, WritesTextAndHtmlAsMultipartAlternative) {
  OutgoingMail mail = notice();
  mail.html = "<p>A notification has been received.</p>";
  const std::string raw = compose_ok(mail);
  EXPECT_EQ(read_ok(raw).content_type, "multipart/alternative");
  EXPECT_NE(raw.find("Content-Type: text/plain; charset=utf-8"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << raw;
  EXPECT_LT(raw.find("text/plain"), raw.find("text/html"));
  EXPECT_NE(raw.find("A notification has been received."), std::string::npos);
}

TEST(Compose, CarriesAttachmentsByteForByteWithTheirNames) {
  OutgoingMail mail = notice();
  mail.html = "<p>A notification has been received.</p>";
  const std::string form = test::read_file(test::data_path("forms/rescind.docx"));
  mail.attachments = {
      {"rescind.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", form},
      {"Notificación – Café.docx", "application/octet-stream", binary_bytes()},
  };
  const std::string raw = compose_ok(mail);
  const MailMessage read = read_ok(raw);
  EXPECT_EQ(read.content_type, "multipart/mixed");
  ASSERT_EQ(read.attachments.size(), 2u);
  EXPECT_EQ(read.attachments[0].name, "rescind.docx");
  EXPECT_EQ(read.attachments[0].content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(read.attachments[0].bytes, form);
  EXPECT_EQ(read.attachments[0].sha256, "37a95b540f7f61720bbbf43b8cdaf48cb7672129dfb76853ea8286e4bc7241c9");
  EXPECT_EQ(read.attachments[1].name, "Notificación – Café.docx");
  EXPECT_EQ(read.attachments[1].bytes, binary_bytes());
  EXPECT_EQ(read.attachments[1].sha256, "d414b085826eb06778483ba35564dc849e643359f69ed9747878ba6e54985bed");
  // The body comes first, as the alternative of text and HTML.
  EXPECT_LT(raw.find("multipart/alternative"), raw.find("rescind.docx"));
  EXPECT_NE(raw.find("filename*=UTF-8''Notificaci%C3%B3n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-Transfer-Encoding: base64"), std::string::npos);
}

TEST(Compose, SplitsALongNonAsciiFileNameAndItReadsBackWhole) {
  std::string name;
  for (int i = 0; i < 60; ++i) name += "Café ";
  name += "Notificación.docx";
  OutgoingMail mail = notice();
  mail.attachments = {{R"(C:\Users\isp\)" + name, "application/octet-stream", "bytes"}};
  const std::string raw = compose_ok(mail);
  EXPECT_NE(raw.find("filename*0*=UTF-8''"), std::string::npos) << raw;
  const MailMessage read = read_ok(raw);
  ASSERT_EQ(read.attachments.size(), 1u);
  EXPECT_EQ(read.attachments[0].name, display_name(name));
  EXPECT_EQ(read.attachments[0].bytes, "bytes");
}

TEST(Compose, ReadsBackDisplayNamesWithQuotesAndCommas) {
  OutgoingMail mail = notice();
  mail.from.name = R"(Smith, Jane "JJ" (ISP))";
  mail.to = {{"O'Brien, Seán", "sean@wigan.test"}, {"", "plain@salford.test"}, {"Team; Two", "two@bolton.test"}};
  const MailMessage read = read_ok(compose_ok(mail));
  EXPECT_EQ(read.from.name, R"(Smith, Jane "JJ" (ISP))");
  EXPECT_EQ(read.from.address, "isp@nwadcs.test");
  ASSERT_EQ(read.to.size(), 3u);
  EXPECT_EQ(read.to[0].name, "O'Brien, Seán");
  EXPECT_EQ(read.to[0].address, "sean@wigan.test");
  EXPECT_EQ(read.to[1].name, "");
  EXPECT_EQ(read.to[1].address, "plain@salford.test");
  EXPECT_EQ(read.to[2].name, "Team; Two");
  EXPECT_EQ(read.to[2].address, "two@bolton.test");
}

TEST(Compose, WritesUndisclosedRecipientsWhenThereIsNoTo) {
  OutgoingMail mail = notice();
  mail.to.clear();
  const std::string raw = compose_ok(mail);
  auto fields = header_fields(raw);
  for (std::string& field : fields) std::erase(field, ' ');
  EXPECT_NE(std::find(fields.begin(), fields.end(), "To:undisclosed-recipients:;"), fields.end()) << raw;
  EXPECT_TRUE(read_ok(raw).to.empty());
}

TEST(Compose, RefusesAnAddressThatCouldInjectAHeader) {
  for (const std::string address : {"isp@nwadcs.test\r\nBcc: victim@example.com", "isp@nwadcs.test\n",
                                    "isp@nwadcs.test>, <victim@example.com", "isp nwadcs@test", "", "nwadcs.test"}) {
    OutgoingMail from = notice();
    from.from.address = address;
    EXPECT_FALSE(compose_mail(from).ok()) << address;
    OutgoingMail to = notice();
    to.to.push_back({"Victim", address});
    EXPECT_FALSE(compose_mail(to).ok()) << address;
  }
}

TEST(Compose, RefusesAMailWithNoFromAddress) {
  OutgoingMail mail = notice();
  mail.from = {};
  const auto raw = compose_mail(mail);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().message, "has no from address");
}

TEST(Compose, RefusesMessageIdsWithSpacesOrBrackets) {
  for (const std::string id : {"", "<3f2a@nwadcs.test>", "3f2a @nwadcs.test", "3f2a@nwadcs.test\r\nBcc: x@y.z"}) {
    OutgoingMail mail = notice();
    mail.message_id = id;
    EXPECT_FALSE(compose_mail(mail).ok()) << id;
    OutgoingMail reply = notice();
    if (id.empty()) continue;
    reply.in_reply_to = id;
    EXPECT_FALSE(compose_mail(reply).ok()) << id;
  }
}

TEST(Compose, RefusesAnUnreadableDateOrAutoSubmittedValue) {
  OutgoingMail mail = notice();
  mail.date = "13/02/2026";
  EXPECT_FALSE(compose_mail(mail).ok());
  mail = notice();
  mail.auto_submitted = "no";
  EXPECT_FALSE(compose_mail(mail).ok());
}

TEST(Compose, GivesTheDateInUtcWhateverTheOffsetGiven) {
  OutgoingMail mail = notice();
  mail.date = "2026-06-13T11:00:00+01:00";
  EXPECT_EQ(read_ok(compose_ok(mail)).date, "2026-06-13T10:00:00Z");
}

}  // namespace
}  // namespace ispd::mail
