#include "parsing/docx_archive.hpp"

#include <zip.h>

#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "parsing/safe_xml.hpp"
#include "util/text.hpp"

namespace ispd {

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
// Parts below this may compress as well as they like: small XML often reaches 15:1.
constexpr std::size_t kRatioFloorBytes = kMiB;
constexpr std::size_t kContentTypesCap = kMiB;
constexpr std::string_view kContentTypesName = "[Content_Types].xml";
constexpr std::string_view kDefaultMainPart = "word/document.xml";
constexpr std::string_view kMainContentType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

constexpr std::string_view kPasswordProtected = "is password-protected; please remove the password and send it again";
constexpr std::string_view kDamagedZip =
    "is a damaged Word file (the zip is truncated or corrupt); please save it again and resend";
constexpr std::string_view kMacroEnabled =
    "is a macro-enabled .docm; macros are refused, please save it as a plain .docx";

struct ZipSourceFree {
  void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};
// zip_discard, not zip_close: the archive is read-only and nothing is ever written back.
struct ZipDiscard {
  void operator()(zip_t* archive) const noexcept { zip_discard(archive); }
};
struct ZipFileClose {
  void operator()(zip_file_t* file) const noexcept { zip_fclose(file); }
};
using ZipSource = std::unique_ptr<zip_source_t, ZipSourceFree>;
using ZipArchive = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFile = std::unique_ptr<zip_file_t, ZipFileClose>;

struct XmlCharFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};
using XmlText = std::unique_ptr<xmlChar, XmlCharFree>;

using text::equal_nocase;

bool icontains(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char x, char y) { return text::lower(x) == text::lower(y); }) != haystack.end();
}

std::string mib(std::size_t bytes) {
  return bytes % kMiB == 0 ? std::to_string(bytes / kMiB) + " MiB" : std::to_string(bytes) + " bytes";
}

// A name from the file goes into a message a person reads: printable ASCII only, and short.
std::string printable(std::string_view name) {
  constexpr std::size_t kMaxShown = 80;
  std::string shown;
  for (const char c : name.substr(0, kMaxShown)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (name.size() > kMaxShown) shown += "...";
  return shown;
}

// ---- OLE compound files (old .doc, and the wrapper Office puts around a password-protected .docx)

constexpr std::string_view kCfbSignature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr std::uint32_t kCfbMaxRegularSector = 0xFFFFFFFAu;
constexpr std::size_t kCfbHeaderBytes = 512;
constexpr std::size_t kCfbHeaderDifatEntries = 109;
constexpr std::size_t kCfbDirEntryBytes = 128;
constexpr std::uint8_t kCfbStream = 2;

std::uint32_t le32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return value;
}

std::uint16_t le16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

// Reads the sectors of a compound file, never outside the bytes it was given.
class CompoundFile {
 public:
  // Empty when the header is not one a compound file can have.
  static std::optional<CompoundFile> open(std::string_view bytes) {
    if (bytes.size() < kCfbHeaderBytes) return std::nullopt;
    const std::uint16_t shift = le16(bytes, 0x1E);
    if (shift != 9 && shift != 12) return std::nullopt;
    CompoundFile cfb(bytes, std::size_t{1} << shift);
    if (!cfb.read_fat_sector_list(le32(bytes, 0x2C), le32(bytes, 0x44))) return std::nullopt;
    return cfb;
  }

  // The names of the streams in the directory, or empty if the directory cannot be walked.
  std::optional<std::vector<std::string>> stream_names() const {
    std::vector<std::string> names;
    std::uint32_t sector = le32(bytes_, 0x30);
    // A sector chain visits each sector once; more steps than sectors means a loop.
    for (std::size_t steps = 0; sector < kCfbMaxRegularSector; ++steps) {
      const auto at = sector_offset(sector);
      if (!at || steps > sector_count()) return std::nullopt;
      for (std::size_t entry = *at; entry + kCfbDirEntryBytes <= *at + sector_bytes_; entry += kCfbDirEntryBytes) {
        if (static_cast<std::uint8_t>(bytes_[entry + 0x42]) != kCfbStream) continue;
        names.push_back(entry_name(entry));
      }
      const auto next = next_sector(sector);
      if (!next) return std::nullopt;
      sector = *next;
    }
    return names;
  }

 private:
  CompoundFile(std::string_view bytes, std::size_t sector_bytes) : bytes_(bytes), sector_bytes_(sector_bytes) {}

  std::size_t sector_count() const { return bytes_.size() / sector_bytes_; }

  // Sector n follows the header, which fills sector "-1".
  std::optional<std::size_t> sector_offset(std::uint32_t sector) const {
    if (sector >= sector_count()) return std::nullopt;
    const std::size_t at = (std::size_t{sector} + 1) * sector_bytes_;
    if (at + sector_bytes_ > bytes_.size()) return std::nullopt;
    return at;
  }

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  bool read_fat_sector_list(std::uint32_t fat_sector_count, std::uint32_t difat_sector) {
    if (fat_sector_count > sector_count()) return false;
    for (std::size_t i = 0; i < kCfbHeaderDifatEntries && fat_sectors_.size() < fat_sector_count; ++i) {
      fat_sectors_.push_back(le32(bytes_, 0x4C + 4 * i));
    }
    const std::size_t per_difat = sector_bytes_ / 4 - 1;
    for (std::size_t steps = 0; fat_sectors_.size() < fat_sector_count; ++steps) {
      const auto at = sector_offset(difat_sector);
      if (!at || steps > sector_count()) return false;
      for (std::size_t i = 0; i < per_difat && fat_sectors_.size() < fat_sector_count; ++i) {
        fat_sectors_.push_back(le32(bytes_, *at + 4 * i));
      }
      difat_sector = le32(bytes_, *at + 4 * per_difat);
    }
    return true;
  }

  std::optional<std::uint32_t> next_sector(std::uint32_t sector) const {
    const std::size_t per_fat_sector = sector_bytes_ / 4;
    const std::size_t fat_index = sector / per_fat_sector;
    if (fat_index >= fat_sectors_.size()) return std::nullopt;
    const auto at = sector_offset(fat_sectors_[fat_index]);
    if (!at) return std::nullopt;
    return le32(bytes_, *at + 4 * (sector % per_fat_sector));
  }

  // Directory names are UTF-16LE; the names we look for are ASCII, so others become '?'.
  std::string entry_name(std::size_t entry) const {
    const std::size_t name_bytes = std::min<std::size_t>(le16(bytes_, entry + 0x40), 64);
    std::string name;
    for (std::size_t i = 0; i + 1 < name_bytes; i += 2) {
      const std::uint16_t unit = le16(bytes_, entry + i);
      if (unit == 0) break;
      name += unit < 0x80 ? static_cast<char>(unit) : '?';
    }
    return name;
  }

  std::string_view bytes_;
  std::size_t sector_bytes_;
  std::vector<std::uint32_t> fat_sectors_;
};

Error classify_compound_file(std::string_view bytes) {
  const auto cfb = CompoundFile::open(bytes);
  const auto names = cfb ? cfb->stream_names() : std::nullopt;
  if (names) {
    const auto has = [&](std::string_view wanted) {
      return std::any_of(names->begin(), names->end(), [&](const std::string& n) { return equal_nocase(n, wanted); });
    };
    if (has("EncryptedPackage") || has("EncryptionInfo")) return Error{std::string(kPasswordProtected)};
    if (has("WordDocument")) {
      return Error{"is an old Word 97-2003 .doc file; please save it as .docx (Word Document) and send it again"};
    }
  }
  return Error{"is an old Office file, not a Word .docx form"};
}

// ---- the zip

struct Entry {
  std::string name;
  bool encrypted = false;
};

// An entry name a zip tool would write outside the folder it extracts to.
bool escapes_document(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.front() == '\\') return true;
  if (name.size() >= 2 && name[1] == ':') return true;  // C:\ or C:/
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find_first_of("/\\", start), name.size());
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

bool is_vba_project(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  return equal_nocase(slash == std::string_view::npos ? name : name.substr(slash + 1), "vbaProject.bin");
}

Error zip_bomb(std::string_view why) { return Error{"looks like a zip bomb (" + std::string(why) + "); refused"}; }

// Reads one part, trusting none of the sizes the zip declares: libzip hands back
// whatever the deflate stream inflates to, so the loop enforces every bound itself.
Result<std::string> read_part(zip_t* archive, zip_uint64_t index, std::size_t cap, std::size_t& total_read,
                              const ArchiveLimits& limits) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive, index, 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0 ||
      (st.valid & ZIP_STAT_COMP_SIZE) == 0) {
    return Error{std::string(kDamagedZip)};
  }
  if (st.size > cap) return zip_bomb("a part would inflate to more than " + mib(cap));
  if (st.size > kRatioFloorBytes && (st.comp_size == 0 || st.size / st.comp_size > limits.max_ratio)) {
    return zip_bomb("a part would inflate to more than " + std::to_string(limits.max_ratio) +
                    " times its compressed size");
  }

  ZipFile file(zip_fopen_index(archive, index, 0));
  if (!file) {
    const int code = zip_error_code_zip(zip_get_error(archive));
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP) {
      return Error{std::string(kPasswordProtected)};
    }
    return Error{std::string(kDamagedZip)};
  }
  const auto declared = static_cast<std::size_t>(st.size);
  std::string data;
  data.reserve(declared);
  std::array<char, std::size_t{64} << 10> chunk{};
  for (;;) {
    const zip_int64_t n = zip_fread(file.get(), chunk.data(), chunk.size());
    if (n < 0) return Error{std::string(kDamagedZip)};
    if (n == 0) break;
    const auto got = static_cast<std::size_t>(n);
    if (data.size() + got > declared) return zip_bomb("a part inflates to more than its zip header declares");
    if (total_read + got > limits.max_total_bytes) {
      return zip_bomb("its parts would inflate to more than " + mib(limits.max_total_bytes) + " in all");
    }
    // No ratio check is needed here: data never outgrows the declared size, whose ratio passed.
    data.append(chunk.data(), got);
    total_read += got;
  }
  if (data.size() != declared) return Error{std::string(kDamagedZip)};
  return data;
}

// The zip name of the main document part, from the Override [Content_Types].xml gives it.
std::optional<std::string> main_part_from_content_types(const XmlDoc& types) {
  const xmlNode* root = xmlDocGetRootElement(types.get());
  if (root == nullptr) return std::nullopt;
  for (const xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE || xmlStrcmp(node->name, BAD_CAST "Override") != 0) continue;
    const XmlText type(xmlGetProp(node, BAD_CAST "ContentType"));
    const XmlText part(xmlGetProp(node, BAD_CAST "PartName"));
    if (!type || !part) continue;
    if (std::string_view(reinterpret_cast<const char*>(type.get())) != kMainContentType) continue;
    std::string_view name(reinterpret_cast<const char*>(part.get()));
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    return std::string(name);
  }
  return std::nullopt;
}

std::optional<zip_uint64_t> locate(zip_t* archive, const std::string& name) {
  const zip_int64_t index = zip_name_locate(archive, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(index);
}

Result<DocxParts> open_zip(std::string_view bytes, const ArchiveLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  ZipSource source(zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
  zip_error_fini(&error);
  if (!source) return Error{std::string(kDamagedZip)};
  zip_error_init(&error);
  ZipArchive archive(zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  zip_error_fini(&error);
  if (!archive) return Error{std::string(kDamagedZip)};
  (void)source.release();  // the archive owns it now

  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count < 0) return Error{std::string(kDamagedZip)};
  if (static_cast<zip_uint64_t>(count) > limits.max_entries) {
    return Error{"has too many parts (" + std::to_string(count) + "; a Word form has a few dozen); refused"};
  }

  std::vector<Entry> entries;
  entries.reserve(static_cast<std::size_t>(count));
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), i, 0, &st) != 0 || (st.valid & ZIP_STAT_NAME) == 0) {
      return Error{std::string(kDamagedZip)};
    }
    const bool encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE;
    entries.push_back(Entry{st.name, encrypted});
  }
  for (const Entry& entry : entries) {
    if (escapes_document(entry.name)) {
      return Error{"contains a file path that escapes the document (\"" + printable(entry.name) +
                   "\"), which no Word file has"};
    }
  }
  if (std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.encrypted; })) {
    return Error{std::string(kPasswordProtected)};
  }
  if (std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return is_vba_project(e.name); })) {
    return Error{std::string(kMacroEnabled)};
  }

  std::size_t total_read = 0;
  std::string main_part(kDefaultMainPart);
  if (const auto types_index = locate(archive.get(), std::string(kContentTypesName))) {
    auto types_bytes =
        read_part(archive.get(), *types_index, std::min(kContentTypesCap, limits.max_part_bytes), total_read, limits);
    if (!types_bytes) return types_bytes.error();
    if (icontains(*types_bytes, "macroEnabled")) return Error{std::string(kMacroEnabled)};
    auto types = parse_xml(*types_bytes, kContentTypesName);
    if (!types) return types.error();
    if (auto named = main_part_from_content_types(*types)) main_part = std::move(*named);
  }

  const auto main_index = locate(archive.get(), main_part);
  if (!main_index) return Error{"is not a Word document (it has no " + printable(main_part) + ")"};
  auto document = read_part(archive.get(), *main_index, limits.max_part_bytes, total_read, limits);
  if (!document) return document.error();
  return DocxParts{std::move(document).value()};
}

}  // namespace

Result<DocxParts> open_docx(std::string_view bytes, const ArchiveLimits& limits) {
  if (bytes.empty()) return Error{"is empty"};
  if (bytes.size() > limits.max_file_bytes) {
    return Error{"is larger than " + mib(limits.max_file_bytes) + "; an ISP form is far smaller"};
  }
  if (bytes.starts_with("%PDF-")) return Error{"is a PDF, not the Word form; please send the Word form (.docx)"};
  if (bytes.starts_with(kCfbSignature)) return classify_compound_file(bytes);
  if (bytes.starts_with("{\\rtf")) return Error{"is an RTF file; please save it as .docx and send it again"};
  if (!bytes.starts_with("PK\x03\x04") && !bytes.starts_with("PK\x05\x06")) return Error{"is not a Word .docx file"};
  return open_zip(bytes, limits);
}

}  // namespace ispd
