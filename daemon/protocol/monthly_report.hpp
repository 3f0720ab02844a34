#pragma once
// The monthly spreadsheet as the protocol sees it: which notifications a
// month's sheet holds, what each row says as of the month's end, and when
// the sheet is due to be sent.
//
// A month's sheet holds every notification open at any time during the
// month: logged on or before its last day, and not rescinded or closed
// before its first. Days are dates in England (uk_calendar.hpp).

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::protocol {

using Month = std::chrono::year_month;

// "2026-05" is May 2026; anything else (a day, "2026-5", "2026-13") is nullopt.
std::optional<Month> parse_month(std::string_view text);
// "2026-05".
std::string month_text(Month month);
// "May 2026".
std::string month_name(Month month);
// The month before the one `day` is in: the sheet made at the start of a month is the last month's.
Month previous_month(Date day);

// One notification as the sheet shows it at the month's end. A restricted
// notification's row carries only its reference, provider and status: every
// other field is empty.
struct SpreadsheetRow {
  std::string reference;
  bool restricted = false;
  std::optional<Date> logged;
  std::optional<Date> last_changed;  // the last change on or before the month's end
  Text agency;
  Text provider_name;
  Text company_number;
  Text ofsted_urn;
  std::vector<Setting> settings;
  std::vector<std::string> service_types;  // form-schema.md keys
  Text service_type_other;
  std::vector<std::string> concerns;  // form-schema.md keys
  Text concern_other;
  std::optional<Confidentiality> confidentiality;
  // As `ispd list` would have shown it on the month's last day: open, overdue
  // (open with its review date before that day), rescinded or closed.
  store::ListedStatus status = store::ListedStatus::open;
  std::optional<Date> review_date;
  std::optional<bool> overdue;
  std::optional<Date> rescind_date;  // only when rescinded by the month's end
};

// The rows of `month`'s sheet, in the order of `log` (by reference). Each
// notification is read with its events, which say when it was logged, last
// changed and ended; its fields are those of its current form.
std::vector<SpreadsheetRow> spreadsheet_rows(std::span<const store::History> log, Month month);

// The month whose sheet is due to be sent on `today`, if one is: the sheet of
// the previous month, due from the first working day of this month until it
// is sent. `last_sent` is the latest month whose sheet was sent; a sheet is
// sent once, and after a long pause only the last month's is sent, never a
// backlog.
std::optional<Month> spreadsheet_due(Date today, std::optional<Month> last_sent,
                                     std::span<const Date> extra_holidays = {});

}  // namespace ispd::protocol
