#include "mail/tnef.hpp"

#include <glib.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>

namespace ispd::mail {
namespace {

constexpr std::uint32_t kSignature = 0x223E9F78;
constexpr std::uint8_t kLevelAttachment = 0x02;

// Attributes (type << 16 | id) that describe an attachment, from MS-OXTNEF 2.1.3.
constexpr std::uint32_t kAttAttachRendData = 0x00069002;  // starts each attachment
constexpr std::uint32_t kAttAttachTitle = 0x00018010;
constexpr std::uint32_t kAttAttachData = 0x0006800F;
constexpr std::uint32_t kAttAttachment = 0x00069005;  // the attachment's MAPI properties
constexpr std::uint32_t kAttOemCodepage = 0x00069007;

// MAPI property ids and types the reader needs.
constexpr std::uint16_t kPrAttachDataBin = 0x3701;
constexpr std::uint16_t kPrAttachFilename = 0x3704;
constexpr std::uint16_t kPrAttachMethod = 0x3705;
constexpr std::uint16_t kPrAttachLongFilename = 0x3707;
constexpr std::uint16_t kPrAttachMimeTag = 0x370E;
constexpr std::uint32_t kAttachEmbeddedMsg = 5;
constexpr std::uint16_t kPtString8 = 0x001E;
constexpr std::uint16_t kPtUnicode = 0x001F;
constexpr std::uint16_t kPtBinary = 0x0102;
constexpr std::uint16_t kPtObject = 0x000D;
constexpr std::uint16_t kPtServerId = 0x00FB;
constexpr std::uint16_t kMvFlag = 0x1000;

// A cursor over untrusted bytes: every read is checked against what is left.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  [[nodiscard]] std::size_t left() const { return rest_.size(); }

  std::optional<std::uint32_t> u32() {
    if (rest_.size() < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(rest_[static_cast<std::size_t>(i)]);
    rest_.remove_prefix(4);
    return v;
  }
  std::optional<std::uint16_t> u16() {
    if (rest_.size() < 2) return std::nullopt;
    const auto v =
        static_cast<std::uint16_t>(static_cast<unsigned char>(rest_[0]) | (static_cast<unsigned char>(rest_[1]) << 8));
    rest_.remove_prefix(2);
    return v;
  }
  std::optional<std::uint8_t> u8() {
    if (rest_.empty()) return std::nullopt;
    const auto v = static_cast<std::uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return v;
  }
  std::optional<std::string_view> bytes(std::size_t n) {
    if (rest_.size() < n) return std::nullopt;
    const std::string_view v = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return v;
  }
  // Variable-length MAPI values are padded to a multiple of four bytes.
  bool skip_padded(std::size_t n) {
    const std::size_t padded = n + (4 - n % 4) % 4;
    if (padded < n || rest_.size() < padded) return false;
    rest_.remove_prefix(padded);
    return true;
  }

 private:
  std::string_view rest_;
};

struct GFreeDeleter {
  void operator()(gchar* p) const { g_free(p); }
};
using GString8 = std::unique_ptr<gchar, GFreeDeleter>;

std::string_view without_trailing_nuls(std::string_view s) {
  while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
  return s;
}

// TNEF's 8-bit strings are in the sender's code page; most are plain ASCII or already UTF-8.
std::string string8_to_utf8(std::string_view s, std::uint32_t codepage) {
  s = without_trailing_nuls(s);
  if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) return std::string(s);
  const std::string charset = codepage != 0 ? "CP" + std::to_string(codepage) : "WINDOWS-1252";
  for (const std::string& from : {charset, std::string("WINDOWS-1252")}) {
    gsize written = 0;
    GString8 utf8(
        g_convert(s.data(), static_cast<gssize>(s.size()), "UTF-8", from.c_str(), nullptr, &written, nullptr));
    if (utf8) return std::string(utf8.get(), written);
  }
  return std::string(s.size(), '?');
}

std::string unicode_to_utf8(std::string_view s) {
  gsize written = 0;
  GString8 utf8(g_convert(s.data(), static_cast<gssize>(s.size() & ~std::size_t{1}), "UTF-8", "UTF-16LE", nullptr,
                          &written, nullptr));
  if (!utf8) return {};
  return std::string(without_trailing_nuls(std::string_view(utf8.get(), written)));
}

struct PendingFile {
  std::string title;
  std::string long_name;
  std::string mapi_name;
  std::string mime_tag;
  std::string data;
  bool has_data = false;
  std::string mapi_data;
  bool has_mapi_data = false;
  bool embedded_message = false;
};

// Reads the properties of one attachment's attAttachment block. Stops quietly at a type it
// does not know: what was read so far is kept, as the file's data is in attAttachData.
void read_attachment_properties(std::string_view block, std::uint32_t codepage, PendingFile& file) {
  Reader r(block);
  const auto count = r.u32();
  if (!count) return;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto tag = r.u32();
    if (!tag) return;
    const auto type = static_cast<std::uint16_t>(*tag & 0xFFFF);
    const auto id = static_cast<std::uint16_t>(*tag >> 16);
    if (id >= 0x8000) {  // a named property: a GUID, then a number or a name
      if (!r.bytes(16)) return;
      const auto kind = r.u32();
      if (!kind) return;
      if (*kind == 0) {
        if (!r.u32()) return;
      } else if (*kind == 1) {
        const auto length = r.u32();
        if (!length || !r.skip_padded(*length)) return;
      } else {
        return;
      }
    }
    const bool multi = (type & kMvFlag) != 0;
    const auto base = static_cast<std::uint16_t>(type & ~kMvFlag);
    const bool variable =
        base == kPtString8 || base == kPtUnicode || base == kPtBinary || base == kPtObject || base == kPtServerId;
    std::uint32_t values = 1;
    if (multi || variable) {
      const auto n = r.u32();
      if (!n || *n > r.left()) return;
      values = *n;
    }
    for (std::uint32_t v = 0; v < values; ++v) {
      std::string_view value;
      if (variable) {
        const auto length = r.u32();
        if (!length) return;
        const auto data = r.bytes(*length);
        if (!data) return;
        value = *data;
        // The last value's padding is sometimes left out; the block simply ends.
        const std::size_t padding = (4 - *length % 4) % 4;
        r.bytes(std::min(padding, r.left()));
      } else {
        // Integer16, Integer32, Floating32, ErrorCode and Boolean take four bytes; Floating64,
        // Currency, FloatingTime, Integer64 and Time eight; Guid sixteen (MS-OXCDATA 2.11.1).
        std::size_t width = 0;
        switch (base) {
          case 0x0002:
          case 0x0003:
          case 0x0004:
          case 0x000A:
          case 0x000B: width = 4; break;
          case 0x0005:
          case 0x0006:
          case 0x0007:
          case 0x0014:
          case 0x0040: width = 8; break;
          case 0x0048: width = 16; break;
          default: return;
        }
        const auto data = r.bytes(width);
        if (!data) return;
        value = *data;
      }
      if (multi || v != 0) continue;
      switch (id) {
        case kPrAttachLongFilename:
          file.long_name = base == kPtUnicode ? unicode_to_utf8(value) : string8_to_utf8(value, codepage);
          break;
        case kPrAttachFilename:
          file.mapi_name = base == kPtUnicode ? unicode_to_utf8(value) : string8_to_utf8(value, codepage);
          break;
        case kPrAttachMimeTag:
          file.mime_tag = base == kPtUnicode ? unicode_to_utf8(value) : string8_to_utf8(value, codepage);
          break;
        case kPrAttachMethod:
          if (value.size() == 4 && Reader(value).u32() == kAttachEmbeddedMsg) file.embedded_message = true;
          break;
        case kPrAttachDataBin:
          if (base == kPtBinary) {
            file.mapi_data = std::string(value);
            file.has_mapi_data = true;
          }
          break;
        default: break;
      }
    }
  }
}

void finish(std::optional<PendingFile>& pending, std::vector<TnefFile>& files) {
  if (!pending) return;
  PendingFile& p = *pending;
  if (!p.embedded_message && (p.has_data || p.has_mapi_data)) {
    TnefFile file;
    file.name = !p.long_name.empty() ? p.long_name : !p.mapi_name.empty() ? p.mapi_name : p.title;
    file.content_type = p.mime_tag;
    file.bytes = p.has_data ? std::move(p.data) : std::move(p.mapi_data);
    files.push_back(std::move(file));
  }
  pending.reset();
}

}  // namespace

Result<std::vector<TnefFile>> read_tnef(std::string_view tnef, std::size_t max_files) {
  Reader r(tnef);
  if (r.u32() != kSignature || !r.u16()) return Error{"is not a TNEF file (winmail.dat)"};
  std::vector<TnefFile> files;
  std::optional<PendingFile> pending;
  std::uint32_t codepage = 0;
  while (r.left() > 0) {
    const auto level = r.u8();
    const auto attribute = r.u32();
    const auto length = r.u32();
    if (!level || !attribute || !length) return Error{"is a damaged TNEF file (winmail.dat): it ends inside a header"};
    const auto data = r.bytes(*length);
    const auto checksum = r.u16();
    if (!data || !checksum) return Error{"is a damaged TNEF file (winmail.dat): an attribute runs past its end"};
    std::uint16_t sum = 0;
    for (const char c : *data) sum = static_cast<std::uint16_t>(sum + static_cast<unsigned char>(c));
    if (sum != *checksum) return Error{"is a damaged TNEF file (winmail.dat): an attribute's checksum is wrong"};

    if (*attribute == kAttOemCodepage && data->size() >= 4) codepage = *Reader(*data).u32();
    if (*level != kLevelAttachment) continue;
    if (*attribute == kAttAttachRendData || !pending) {
      finish(pending, files);
      if (files.size() >= max_files) return Error{"holds more than " + std::to_string(max_files) + " files"};
      pending.emplace();
    }
    switch (*attribute) {
      case kAttAttachTitle: pending->title = string8_to_utf8(*data, codepage); break;
      case kAttAttachData:
        pending->data = std::string(*data);
        pending->has_data = true;
        break;
      case kAttAttachment: read_attachment_properties(*data, codepage, *pending); break;
      default: break;
    }
  }
  finish(pending, files);
  if (files.size() > max_files) return Error{"holds more than " + std::to_string(max_files) + " files"};
  return files;
}

}  // namespace ispd::mail
