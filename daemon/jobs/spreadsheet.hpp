#pragma once
// The monthly spreadsheet as a file: the rows of monthly_report.hpp written
// as an .xlsx workbook (libxlsxwriter) of one sheet named for the month.

#include <filesystem>
#include <string>
#include <vector>

#include "daemon/protocol/monthly_report.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace ispd::spreadsheet {

// The column headings, in order.
const std::vector<std::string>& headings();

// A row's cells as text, in the order of headings(): keys in the form's own
// words, dates as dd/mm/yyyy, empty where the row has nothing.
std::vector<std::string> cells(const protocol::SpreadsheetRow& row);

// Every notification in the log with its events, by reference, as spreadsheet_rows() reads them.
std::vector<store::History> whole_log(const store::Reader& store);

// Writes the sheet to `out` atomically: a temporary file beside it, synced,
// then renamed over it, so a reader never sees half a workbook. A bold frozen
// heading row, a filter over the table, dates as dates shown dd/mm/yyyy.
Result<Done> write_xlsx(const std::filesystem::path& out, protocol::Month month,
                        const std::vector<protocol::SpreadsheetRow>& rows);

// The same workbook as bytes, for a mail: written in a private folder made in
// `scratch` (0700), read back, and the folder removed.
Result<std::string> xlsx_bytes(const std::filesystem::path& scratch, protocol::Month month,
                               const std::vector<protocol::SpreadsheetRow>& rows);

// Its MIME type.
inline constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace ispd::spreadsheet
