// read_tnef on winmail.dat streams built here from MS-OXTNEF, whole and damaged.

#include "mail/tnef.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ispd::mail {
namespace {

void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

std::string attribute(std::uint8_t level, std::uint32_t id, const std::string& data) {
  std::string out(1, static_cast<char>(level));
  put32(out, id);
  put32(out, static_cast<std::uint32_t>(data.size()));
  out += data;
  std::uint16_t sum = 0;
  for (const char c : data) sum = static_cast<std::uint16_t>(sum + static_cast<unsigned char>(c));
  put16(out, sum);
  return out;
}

std::string padded(std::string s) {
  while (s.size() % 4 != 0) s += '\0';
  return s;
}

// One MAPI property of a variable-length type: tag, count (1), size, value padded to four bytes.
std::string string_property(std::uint32_t tag, const std::string& value) {
  std::string out;
  put32(out, tag);
  put32(out, 1);
  put32(out, static_cast<std::uint32_t>(value.size()));
  return out + padded(value);
}

std::string long_property(std::uint32_t tag, std::uint32_t value) {
  std::string out;
  put32(out, tag);
  put32(out, value);
  return out;
}

std::string properties(const std::vector<std::string>& list) {
  std::string out;
  put32(out, static_cast<std::uint32_t>(list.size()));
  for (const auto& p : list) out += p;
  return out;
}

std::string utf16le(const std::u16string& s) {
  std::string out;
  for (const char16_t c : s) put16(out, static_cast<std::uint16_t>(c));
  put16(out, 0);
  return out;
}

constexpr std::uint32_t kRendData = 0x00069002;
constexpr std::uint32_t kTitle = 0x00018010;
constexpr std::uint32_t kData = 0x0006800F;
constexpr std::uint32_t kAttachment = 0x00069005;

std::string stream(const std::vector<std::string>& attributes) {
  std::string out;
  put32(out, 0x223E9F78);
  put16(out, 0x0001);
  out += attribute(1, 0x00089006, std::string("\x00\x00\x01\x00", 4));  // attTnefVersion
  for (const auto& a : attributes) out += a;
  return out;
}

std::string file(const std::string& title, const std::string& data, const std::string& mapi = "") {
  std::string out =
      attribute(2, kRendData, std::string(14, '\0')) + attribute(2, kTitle, title + '\0') + attribute(2, kData, data);
  if (!mapi.empty()) out += attribute(2, kAttachment, mapi);
  return out;
}

TEST(ReadTnef, NamesAFileByItsLongNameThenItsMapiNameThenItsTitle) {
  const std::string tnef = stream({
      file("FORM~1.DOC", "docx bytes",
           properties({string_property(0x3707001F, utf16le(u"ISP notification \u2013 Brookvale.docx")),
                       string_property(0x370E001E, std::string("application/vnd.ms-word.document.12") + '\0')})),
      file("NOTE~1.TXT", "note", properties({string_property(0x3704001E, std::string("note.txt") + '\0')})),
      file("PLAIN.TXT", "plain"),
  });
  const auto files = read_tnef(tnef, 10);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].name, "ISP notification \u2013 Brookvale.docx");
  EXPECT_EQ((*files)[0].content_type, "application/vnd.ms-word.document.12");
  EXPECT_EQ((*files)[0].bytes, "docx bytes");
  EXPECT_EQ((*files)[1].name, "note.txt");
  EXPECT_EQ((*files)[2].name, "PLAIN.TXT");
  EXPECT_EQ((*files)[2].content_type, "");
}

TEST(ReadTnef, ConvertsAnEightBitNameFromTheSendersCodePage) {
  const std::string tnef =
      stream({attribute(1, 0x00069007, std::string("\xE4\x04\x00\x00\x00\x00\x00\x00", 8)),  // code page 1252
              file("CAFE.DOC", "x", properties({string_property(0x3707001E, std::string("Caf\xE9.docx") + '\0')}))});
  const auto files = read_tnef(tnef, 10);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].name, "Caf\u00e9.docx");
}

TEST(ReadTnef, SkipsPropertiesItDoesNotNeedAndStopsQuietlyAtUnknownTypes) {
  std::string named;  // a named property (id >= 0x8000): GUID, kind 0, number, then a long value
  put32(named, 0x80010003);
  named += std::string(16, '\x11');
  put32(named, 0);
  put32(named, 0x8501);
  put32(named, 42);
  std::string multi;  // a multi-valued string property: count 2, each size and padded value
  put32(multi, 0x1001101E);
  put32(multi, 2);
  for (const std::string_view v : {"one", "three"}) {
    put32(multi, static_cast<std::uint32_t>(v.size()));
    multi += padded(std::string(v));
  }
  std::string unknown;
  put32(unknown, 0x7777ABCD);
  const std::string tnef = stream({file(
      "SHORT.DOC", "data",
      properties({named, multi, long_property(0x37050003, 1), string_property(0x3707001F, utf16le(u"long name.docx")),
                  unknown, string_property(0x370E001E, std::string("never/read") + '\0')}))});
  const auto files = read_tnef(tnef, 10);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].name, "long name.docx");
  EXPECT_EQ((*files)[0].content_type, "");
  EXPECT_EQ((*files)[0].bytes, "data");
}

TEST(ReadTnef, SkipsAnAttachedOutlookItem) {
  const std::string tnef =
      stream({file("MESSAGE", "not a file", properties({long_property(0x37050003, 5)})), file("REAL.TXT", "real")});
  const auto files = read_tnef(tnef, 10);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].name, "REAL.TXT");
}

TEST(ReadTnef, TakesTheDataFromMapiWhenThereIsNoDataAttribute) {
  const std::string tnef = stream({attribute(2, kRendData, std::string(14, '\0')),
                                   attribute(2, kAttachment,
                                             properties({string_property(0x37010102, "mapi bytes"),
                                                         string_property(0x3707001E, std::string("m.bin") + '\0')}))});
  const auto files = read_tnef(tnef, 10);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].bytes, "mapi bytes");
  EXPECT_EQ((*files)[0].name, "m.bin");
}

TEST(ReadTnef, RefusesWhatIsNotTnef) {
  EXPECT_EQ(read_tnef("", 10).error().message, "is not a TNEF file (winmail.dat)");
  EXPECT_EQ(read_tnef("PK\x03\x04 a zip", 10).error().message, "is not a TNEF file (winmail.dat)");
}

TEST(ReadTnef, RefusesALengthThatRunsPastTheEnd) {
  std::string tnef = stream({});
  tnef += '\x02';
  put32(tnef, kData);
  put32(tnef, 0xFFFFFFF0u);  // a lying length: never allocated, never read past the end
  tnef += "short";
  EXPECT_EQ(read_tnef(tnef, 10).error().message,
            "is a damaged TNEF file (winmail.dat): an attribute runs past its end");
}

TEST(ReadTnef, RefusesAWrongChecksumAndATruncatedHeader) {
  std::string bad_sum = stream({file("A.TXT", "abc")});
  bad_sum[bad_sum.size() - 1] ^= 0x01;
  EXPECT_EQ(read_tnef(bad_sum, 10).error().message,
            "is a damaged TNEF file (winmail.dat): an attribute's checksum is wrong");
  const std::string cut = stream({}) + "\x02\x01";
  EXPECT_EQ(read_tnef(cut, 10).error().message, "is a damaged TNEF file (winmail.dat): it ends inside a header");
}

TEST(ReadTnef, RefusesMoreFilesThanTheLimit) {
  std::vector<std::string> files;
  for (int i = 0; i < 5; ++i) files.push_back(file("F.TXT", "f"));
  EXPECT_TRUE(read_tnef(stream(files), 5).ok());
  files.push_back(file("F.TXT", "f"));
  EXPECT_EQ(read_tnef(stream(files), 5).error().message, "holds more than 5 files");
}

TEST(ReadTnef, SurvivesEveryTruncation) {
  const std::string whole = stream(
      {file("A.DOC", std::string(300, 'x'), properties({string_property(0x3707001F, utf16le(u"a long name.docx"))}))});
  for (std::size_t n = 0; n < whole.size(); ++n) (void)read_tnef(whole.substr(0, n), 10);
}

}  // namespace
}  // namespace ispd::mail
