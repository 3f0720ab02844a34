#include "daemon/jobs/spreadsheet.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cstdlib>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>

#include <xlsxwriter.h>

#include "templates/words.hpp"

namespace ispd::spreadsheet {

namespace {

namespace fs = std::filesystem;
using protocol::SpreadsheetRow;

// The columns, left to right, and how many there are.
constexpr lxw_col_t kReference = 0;
constexpr lxw_col_t kLogged = 1;
constexpr lxw_col_t kLastChanged = 2;
constexpr lxw_col_t kAgency = 3;
constexpr lxw_col_t kProvider = 4;
constexpr lxw_col_t kCompanyNumber = 5;
constexpr lxw_col_t kOfstedUrn = 6;
constexpr lxw_col_t kSettings = 7;
constexpr lxw_col_t kServiceTypes = 8;
constexpr lxw_col_t kConcerns = 9;
constexpr lxw_col_t kConfidentiality = 10;
constexpr lxw_col_t kStatus = 11;
constexpr lxw_col_t kReviewDate = 12;
constexpr lxw_col_t kOverdue = 13;
constexpr lxw_col_t kRescindDate = 14;
constexpr lxw_col_t kColumns = 15;

struct Heading {
  const char* text;
  double width;  // in characters, as a spreadsheet counts them: room for the heading and a date or a name
};

constexpr std::array<Heading, kColumns> kHeadings = {{
    {"Reference", 15},
    {"Date logged", 13},
    {"Date last changed", 18},
    {"Issuing agency", 28},
    {"Provider", 32},
    {"Company number", 16},
    {"Ofsted URN", 12},
    {"Settings", 40},
    {"Service types", 30},
    {"Concerns", 30},
    {"Confidentiality", 15},
    {"Status", 10},
    {"Review date", 12},
    {"Overdue", 9},
    {"Rescind date", 13},
}};

// A spreadsheet cell holds at most 32,767 characters; a longer text is cut at a whole UTF-8 character.
std::string bounded(std::string text) {
  constexpr std::size_t kMax = 32000;
  if (text.size() <= kMax) return text;
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

std::string words(std::string_view field, const std::string& key) {
  if (const auto w = templates::form_words(field, key)) return std::string(*w);
  return key;
}

// Keys in the form's words, "; " between them; an Other box with its text as "Other: …".
std::string listed(std::string_view field, const std::vector<std::string>& keys, const Text& other) {
  std::string out;
  for (const auto& key : keys) {
    if (!out.empty()) out += "; ";
    out += words(field, key);
    if (key == "other" && other) out += ": " + *other;
  }
  return out;
}

// "Oak House (Ofsted URN SC123456, CQC URN 1-234)".
std::string settings_text(const std::vector<Setting>& settings) {
  std::string out;
  for (const auto& s : settings) {
    std::string ids;
    if (s.ofsted_urn) ids = "Ofsted URN " + *s.ofsted_urn;
    if (s.cqc_urn) ids += (ids.empty() ? "" : ", ") + std::string("CQC URN ") + *s.cqc_urn;
    std::string one = s.name.value_or("");
    if (!ids.empty()) one += (one.empty() ? "" : " ") + ("(" + ids + ")");
    if (one.empty()) continue;
    if (!out.empty()) out += "; ";
    out += one;
  }
  return out;
}

// The form's words before the colon: "Restricted", "Confidential", "Internal".
std::string confidentiality_text(Confidentiality c) {
  const std::string full = words("confidentiality", std::string(ispd::to_string(c)));
  return full.substr(0, full.find(':'));
}

std::string status_text(store::ListedStatus status) {
  std::string text(store::to_string(status));
  if (!text.empty()) text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string date_text(const std::optional<Date>& date) {
  if (!date) return {};
  std::array<char, 16> out{};
  (void)std::snprintf(out.data(), out.size(), "%02u/%02u/%04d", static_cast<unsigned>(date->day()),
                      static_cast<unsigned>(date->month()), static_cast<int>(date->year()));
  return out.data();
}

bool is_date_column(lxw_col_t column) {
  return column == kLogged || column == kLastChanged || column == kReviewDate || column == kRescindDate;
}

std::optional<Date> date_of(const SpreadsheetRow& row, lxw_col_t column) {
  switch (column) {
    case kLogged: return row.logged;
    case kLastChanged: return row.last_changed;
    case kReviewDate: return row.review_date;
    case kRescindDate: return row.rescind_date;
    default: return std::nullopt;
  }
}

Error failed(const fs::path& out, const std::string& why) { return Error{"cannot write " + out.string() + ": " + why}; }

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const { workbook_close(workbook); }
};

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

const std::vector<std::string>& headings() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    out.reserve(std::size(kHeadings));
    for (const auto& h : kHeadings) out.emplace_back(h.text);
    return out;
  }();
  return names;
}

std::vector<std::string> cells(const SpreadsheetRow& row) {
  std::vector<std::string> out(kColumns);
  out[kReference] = row.reference;
  out[kLogged] = date_text(row.logged);
  out[kLastChanged] = date_text(row.last_changed);
  out[kAgency] = row.agency.value_or("");
  out[kProvider] = row.provider_name.value_or("");
  out[kCompanyNumber] = row.company_number.value_or("");
  out[kOfstedUrn] = row.ofsted_urn.value_or("");
  out[kSettings] = settings_text(row.settings);
  out[kServiceTypes] = listed("service_type", row.service_types, row.service_type_other);
  out[kConcerns] = listed("concern", row.concerns, row.concern_other);
  out[kConfidentiality] = row.confidentiality ? confidentiality_text(*row.confidentiality) : "";
  out[kStatus] = status_text(row.status);
  out[kReviewDate] = date_text(row.review_date);
  out[kOverdue] = row.overdue ? (*row.overdue ? "Yes" : "No") : "";
  out[kRescindDate] = date_text(row.rescind_date);
  for (auto& cell : out) cell = bounded(std::move(cell));
  return out;
}

std::vector<store::History> whole_log(const store::Reader& store) {
  std::vector<store::History> log;
  // The day only decides what reads as overdue, which the rows work out for themselves.
  const Date any_day = std::chrono::year{2000} / 1 / 1;
  for (const auto& n : store.list_notifications(std::nullopt, any_day)) {
    if (auto history = store.show(n.reference)) log.push_back(std::move(*history));
  }
  return log;
}

Result<Done> write_xlsx(const fs::path& out, protocol::Month month, const std::vector<SpreadsheetRow>& rows) {
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(dir, error)) return failed(out, "the folder " + dir.string() + " does not exist");

  // Beside the target, so the rename stays on one file system.
  std::string temporary = (dir / ("." + out.filename().string() + ".XXXXXX")).string();
  {
    Fd made{::mkstemp(temporary.data())};
    if (made.fd < 0) return failed(out, std::strerror(errno));
  }
  auto discard = [&](const Error& e) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return e;
  };

  // libxlsxwriter's working files go in the same folder, not a /tmp that may be small or shared.
  lxw_workbook_options options{};
  std::string tmpdir = dir.string();
  options.tmpdir = tmpdir.data();
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new_opt(temporary.c_str(), &options));
  if (!workbook) return discard(failed(out, "cannot start the workbook"));

  const std::string title = "ISP notifications, " + protocol::month_name(month);
  std::string title_copy = title;
  std::string company = "NWADCS";
  lxw_doc_properties properties{};
  properties.title = title_copy.data();
  properties.company = company.data();
  workbook_set_properties(workbook.get(), &properties);

  const std::string sheet_name = protocol::month_name(month);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook.get(), sheet_name.c_str());
  lxw_format* bold = workbook_add_format(workbook.get());
  format_set_bold(bold);
  format_set_bottom(bold, LXW_BORDER_THIN);
  lxw_format* date = workbook_add_format(workbook.get());
  format_set_num_format(date, "dd/mm/yyyy");
  format_set_align(date, LXW_ALIGN_LEFT);
  if (sheet == nullptr || bold == nullptr || date == nullptr) return discard(failed(out, "cannot start the sheet"));

  lxw_error status = LXW_NO_ERROR;
  auto keep = [&](lxw_error e) {
    if (status == LXW_NO_ERROR) status = e;
  };
  for (lxw_col_t c = 0; c < kColumns; ++c) {
    keep(worksheet_set_column(sheet, c, c, kHeadings[c].width, is_date_column(c) ? date : nullptr));
    keep(worksheet_write_string(sheet, 0, c, kHeadings[c].text, bold));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto row_number = static_cast<lxw_row_t>(r + 1);
    const auto text = cells(rows[r]);
    for (lxw_col_t c = 0; c < kColumns; ++c) {
      if (is_date_column(c)) {
        if (const auto day = date_of(rows[r], c)) {
          lxw_datetime when{static_cast<int>(day->year()),
                            static_cast<int>(static_cast<unsigned>(day->month())),
                            static_cast<int>(static_cast<unsigned>(day->day())),
                            0,
                            0,
                            0};
          keep(worksheet_write_datetime(sheet, row_number, c, &when, date));
        }
        continue;
      }
      // Text, never a formula or a number: a company number keeps its leading zeros.
      if (!text[c].empty()) keep(worksheet_write_string(sheet, row_number, c, text[c].c_str(), nullptr));
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  keep(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(rows.size()), kColumns - 1));
  if (status != LXW_NO_ERROR) return discard(failed(out, lxw_strerror(status)));

  const lxw_error closed = workbook_close(workbook.release());
  if (closed != LXW_NO_ERROR) return discard(failed(out, lxw_strerror(closed)));

  {
    Fd written{::open(temporary.c_str(), O_RDONLY | O_CLOEXEC)};
    if (written.fd < 0 || ::fsync(written.fd) != 0) return discard(failed(out, std::strerror(errno)));
  }
  if (::rename(temporary.c_str(), out.c_str()) != 0) return discard(failed(out, std::strerror(errno)));
  Fd folder{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (folder.fd < 0 || ::fsync(folder.fd) != 0) return failed(out, "written, but the folder could not be synced");
  return Done{};
}

Result<std::string> xlsx_bytes(const fs::path& scratch, protocol::Month month,
                               const std::vector<SpreadsheetRow>& rows) {
  std::string made = (scratch / ".ispd-sheet.XXXXXX").string();
  if (::mkdtemp(made.data()) == nullptr) {
    return Error{"a folder for the spreadsheet could not be made in " + scratch.string() + ": " + std::strerror(errno)};
  }
  const fs::path dir(made);
  const auto remove = [&] {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  };
  const fs::path file = dir / ("ISP " + protocol::month_text(month) + ".xlsx");
  if (auto written = write_xlsx(file, month, rows); !written) {
    remove();
    return written.error();
  }
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const bool read = !in.bad();
  remove();
  if (!read || bytes.empty()) return Error{"the spreadsheet written in " + dir.string() + " could not be read back"};
  return bytes;
}

}  // namespace ispd::spreadsheet
