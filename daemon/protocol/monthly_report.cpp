#include "daemon/protocol/monthly_report.hpp"

#include <array>
#include <cstdio>

#include "daemon/protocol/calendar.hpp"

namespace ispd::protocol {

namespace {

using std::chrono::sys_days;
using store::EventKind;

bool changes_notification(EventKind kind) {
  switch (kind) {
    case EventKind::logged:
    case EventKind::updated:
    case EventKind::provider_response:
    case EventKind::extended:
    case EventKind::rescinded:
    case EventKind::closed: return true;
    default: return false;
  }
}

// How and when a notification ended, as its first rescinded or closed event says.
struct Ending {
  Date day;
  store::ListedStatus status;
};

std::optional<Ending> ending_of(const store::History& history) {
  for (const auto& e : history.events) {
    if (e.kind == EventKind::rescinded) return Ending{local_date(e.at), store::ListedStatus::rescinded};
    if (e.kind == EventKind::closed) return Ending{local_date(e.at), store::ListedStatus::closed};
  }
  // Ended with no event to say when (not something ispd writes): the last change is the best date known.
  const auto& n = history.notification;
  if (n.status == store::NotificationStatus::rescinded) {
    return Ending{local_date(n.updated_at), store::ListedStatus::rescinded};
  }
  if (n.status == store::NotificationStatus::closed)
    return Ending{local_date(n.updated_at), store::ListedStatus::closed};
  return std::nullopt;
}

}  // namespace

std::optional<Month> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  auto number = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int y = number(0, 4);
  const int m = number(5, 2);
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(m));
}

std::string month_text(Month month) {
  std::array<char, 16> out{};
  (void)std::snprintf(out.data(), out.size(), "%04d-%02u", static_cast<int>(month.year()),
                      static_cast<unsigned>(month.month()));
  return out.data();
}

std::string month_name(Month month) {
  static constexpr std::array<const char*, 12> kNames = {"January",   "February", "March",    "April",
                                                         "May",       "June",     "July",     "August",
                                                         "September", "October",  "November", "December"};
  return std::string(kNames[static_cast<unsigned>(month.month()) - 1]) + " " +
         std::to_string(static_cast<int>(month.year()));
}

Month previous_month(Date day) { return Month{day.year(), day.month()} - std::chrono::months(1); }

std::vector<SpreadsheetRow> spreadsheet_rows(std::span<const store::History> log, Month month) {
  const sys_days first{month / 1};
  const sys_days last{month / std::chrono::last};
  std::vector<SpreadsheetRow> rows;
  for (const auto& history : log) {
    const auto& n = history.notification;
    const Date logged = local_date(n.created_at);
    if (sys_days{logged} > last) continue;
    const auto ending = ending_of(history);
    if (ending && sys_days{ending->day} < first) continue;

    SpreadsheetRow row;
    row.reference = n.reference;
    row.provider_name = n.provider_name;
    if (ending && sys_days{ending->day} <= last) {
      row.status = ending->status;
    } else {
      // Open at the month's end, whatever happened since.
      store::Notification as_then = n;
      as_then.status = store::NotificationStatus::open;
      row.status = store::listed_status(as_then, Date{last});
    }
    row.restricted = n.confidentiality == Confidentiality::restricted;
    // The protocol's rule: a restricted notification is known by its reference, provider and status alone.
    if (row.restricted) {
      rows.push_back(std::move(row));
      continue;
    }

    row.logged = logged;
    row.last_changed = logged;
    for (const auto& e : history.events) {
      if (!changes_notification(e.kind)) continue;
      const Date day = local_date(e.at);
      if (sys_days{day} <= last && sys_days{day} > sys_days{*row.last_changed}) row.last_changed = day;
    }
    row.agency = n.agency.empty() ? n.form.issuing_agency.agency : Text(n.agency);
    row.company_number = n.form.provider.company_number;
    row.ofsted_urn = n.form.provider.ofsted_urn;
    row.settings = n.form.settings;
    row.service_types = n.form.service_types;
    row.service_type_other = n.form.service_type_other;
    row.concerns = n.form.concerns;
    row.concern_other = n.form.concern_other;
    row.confidentiality = n.confidentiality;
    row.review_date = n.review_date;
    row.overdue = row.status == store::ListedStatus::overdue;
    if (row.status == store::ListedStatus::rescinded && n.form.rescind) row.rescind_date = n.form.rescind->date;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<Month> spreadsheet_due(Date today, std::optional<Month> last_sent, std::span<const Date> extra_holidays) {
  const Month this_month{today.year(), today.month()};
  if (sys_days{today} < sys_days{first_working_day(this_month, extra_holidays)}) return std::nullopt;
  const Month due = this_month - std::chrono::months(1);
  if (last_sent && *last_sent >= due) return std::nullopt;
  return due;
}

}  // namespace ispd::protocol
