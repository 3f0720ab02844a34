#pragma once
// A small log for the spreadsheet's tests, and LibreOffice to read what was written.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::test {

// Five notifications, of which May 2026's sheet holds the middle three:
// 0001 rescinded in April; 0002 open and overdue by 31 May; 0003 restricted;
// 0004 rescinded in May; 0005 logged in June.
inline void log_five(store::Store& store) {
  auto log = [&](std::string_view when, const Form& form) {
    return store.transaction(store::time_from_text(when), [&](store::Tx& tx) {
      store::NewNotification logged;
      logged.form = form;
      logged.agency = "Bolton Council";
      logged.actor = "commissioning.qa@bolton.gov.uk";
      return tx.log_notification(logged).notification.reference;
    });
  };
  auto rescind = [&](std::string_view when, const std::string& reference, Form form, Date date) {
    form.stage = Stage::rescind;
    form.rescind = Rescind{};
    form.rescind->date = date;
    form.rescind->outcomes = {"financial_resolved"};
    store.transaction(store::time_from_text(when), [&](store::Tx& tx) {
      store::NotificationChange change;
      change.kind = store::EventKind::rescinded;
      change.form = form;
      change.status = store::NotificationStatus::rescinded;
      change.actor = "commissioning.qa@bolton.gov.uk";
      tx.update_notification(reference, change);
    });
  };

  Form first = complete_issue_form();
  first.provider.name = "Ashworth Lodge Ltd";
  const auto r1 = log("2026-02-02T10:00:00Z", first);
  rescind("2026-04-20T10:00:00Z", r1, first, ymd(2026, 4, 17));

  Form second = complete_issue_form();
  second.issuing_agency.review_date = ymd(2026, 5, 20);
  second.provider.company_number = "01234567";
  second.settings = {{"Brookvale House", "SC512848", std::nullopt}, {"Brookvale Cottage", std::nullopt, "1-2345"}};
  second.service_types = {"residential", "supported_accommodation"};
  log("2026-03-10T09:30:00Z", second);

  Form third = complete_issue_form();
  third.confidentiality = Confidentiality::restricted;
  third.provider.name = "Northgate Homes Ltd";
  third.provider.company_number = "09876543";
  third.concerns = {"criminality"};
  log("2026-04-02T11:00:00Z", third);

  Form fourth = complete_issue_form();
  fourth.confidentiality = Confidentiality::confidential;
  fourth.provider.name = "Hillside Fostering";
  fourth.provider.company_number = std::nullopt;
  fourth.provider.ofsted_urn = "SC777001";
  fourth.settings = {};
  fourth.service_types = {"fostering"};
  fourth.concerns = {"financial", "other"};
  fourth.concern_other = "Late payment of staff";
  fourth.issuing_agency.review_date = ymd(2026, 7, 15);
  const auto r4 = log("2026-04-15T14:00:00Z", fourth);
  rescind("2026-05-18T09:00:00Z", r4, fourth, ymd(2026, 5, 15));

  Form fifth = complete_issue_form();
  fifth.provider.name = "Later Care Ltd";
  log("2026-06-02T09:00:00Z", fifth);
}

// Runs a program (no shell), its output to `log`; its exit code, or -1.
inline int run_program(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (std::freopen(log.c_str(), "w", stdout) == nullptr || std::freopen(log.c_str(), "a", stderr) == nullptr) {
      ::_exit(126);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The workbook's sheet as LibreOffice reads it, converted to CSV (UTF-8, comma,
// double quotes, each cell as shown): the CSV's text, or "" with `why` set.
inline std::string libreoffice_csv(const std::filesystem::path& xlsx, std::string& why) {
  TempDir work;
  // A profile of its own, so runs side by side never share (or lock) one.
  const std::string profile = "-env:UserInstallation=file://" + (work.path() / "profile").string();
  const auto log = work.path() / "libreoffice.log";
  const int code =
      run_program({"libreoffice", profile, "--headless", "--norestore", "--nologo", "--convert-to",
                   "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", work.path().string(), xlsx.string()},
                  log);
  const auto csv = work.path() / (xlsx.stem().string() + ".csv");
  std::ifstream in(csv, std::ios::binary);
  if (code != 0 || !in) {
    std::ifstream said(log);
    std::stringstream text;
    text << said.rdbuf();
    why = (code == 127 ? "libreoffice is not installed (deploy/install-deps.sh installs it); " : "") +
          std::string("libreoffice exited ") + std::to_string(code) + ": " + text.str();
    return {};
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ispd::test
