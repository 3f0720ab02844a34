// The monthly spreadsheet: its cells in the form's words, and the .xlsx as
// LibreOffice opens it.

#include "daemon/jobs/spreadsheet.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/example_forms.hpp"
#include "tests/support/spreadsheet_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::spreadsheet {
namespace {

using protocol::SpreadsheetRow;
using Strings = std::vector<std::string>;
using test::ymd;

constexpr protocol::Month kMay2026 = std::chrono::year{2026} / std::chrono::May;

const Strings kHeadings = {"Reference",       "Date logged", "Date last changed", "Issuing agency", "Provider",
                           "Company number",  "Ofsted URN",  "Settings",          "Service types",  "Concerns",
                           "Confidentiality", "Status",      "Review date",       "Overdue",        "Rescind date"};

store::Store memory_store() {
  auto store = store::Store::open(":memory:");
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

TEST(SpreadsheetCells, SayKeysInTheFormsOwnWordsAndDatesTheBritishWay) {
  SpreadsheetRow row;
  row.reference = "ISP-2026-0007";
  row.logged = ymd(2026, 3, 4);
  row.last_changed = ymd(2026, 5, 12);
  row.agency = "Wigan Council";
  row.provider_name = "Brookvale Care Ltd";
  row.company_number = "01234567";
  row.ofsted_urn = "SC512847";
  row.settings = {{"Brookvale House", "SC512848", std::nullopt}, {"Brookvale Cottage", std::nullopt, "1-2345"}};
  row.service_types = {"send_school_or_college", "other"};
  row.service_type_other = "Short breaks";
  row.concerns = {"no_evidence_of_insurance", "inspection_outcome"};
  row.confidentiality = Confidentiality::confidential;
  row.status = store::ListedStatus::overdue;
  row.review_date = ymd(2026, 5, 1);
  row.overdue = true;
  EXPECT_EQ(
      cells(row),
      (Strings{"ISP-2026-0007", "04/03/2026", "12/05/2026", "Wigan Council", "Brookvale Care Ltd", "01234567",
               "SC512847", "Brookvale House (Ofsted URN SC512848); Brookvale Cottage (CQC URN 1-2345)",
               "SEND School or College; Other: Short breaks", "No evidence of insurance provided; Inspection outcome",
               "Confidential", "Overdue", "01/05/2026", "Yes", ""}));
  EXPECT_EQ(headings(), kHeadings);
}

TEST(SpreadsheetCells, OfARestrictedRowAreEmptyButReferenceProviderAndStatus) {
  SpreadsheetRow row;
  row.reference = "ISP-2026-0003";
  row.restricted = true;
  row.provider_name = "Northgate Homes Ltd";
  row.status = store::ListedStatus::open;
  EXPECT_EQ(cells(row),
            (Strings{"ISP-2026-0003", "", "", "", "Northgate Homes Ltd", "", "", "", "", "", "", "Open", "", "", ""}));
}

TEST(SpreadsheetFile, IsRefusedWhenItsFolderIsMissingAndLeavesNothingBehind) {
  test::TempDir dir;
  const auto written = write_xlsx(dir.path() / "no-such-folder" / "may.xlsx", kMay2026, {});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("does not exist"), std::string::npos) << written.error().message;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(SpreadsheetFile, ReplacesAnEarlierFileWholeAndLeavesNoTemporaryFile) {
  test::TempDir dir;
  const auto out = dir.path() / "may.xlsx";
  std::ofstream(out) << "an older sheet";
  ASSERT_TRUE(write_xlsx(out, kMay2026, {}));
  std::ifstream in(out, std::ios::binary);
  std::string magic(2, '\0');
  in.read(magic.data(), 2);
  EXPECT_EQ(magic, "PK");  // a zip, as every .xlsx is
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(SpreadsheetFile, OpensInLibreOfficeWithTheMonthsRowsAndColumns) {
  auto store = memory_store();
  test::log_five(store);
  const auto log = whole_log(store);
  ASSERT_EQ(log.size(), 5u);
  const auto rows = protocol::spreadsheet_rows(log, kMay2026);

  test::TempDir dir;
  const auto out = dir.path() / "isp-2026-05.xlsx";
  const auto written = write_xlsx(out, kMay2026, rows);
  ASSERT_TRUE(written) << written.error().message;

  std::string why;
  const auto csv = test::libreoffice_csv(out, why);
  ASSERT_FALSE(csv.empty()) << why;
  const auto table = test::parse_csv(csv);
  ASSERT_EQ(table.size(), 4u) << csv;
  EXPECT_EQ(table[0], kHeadings);
  EXPECT_EQ(table[1],
            (Strings{"ISP-2026-0002", "10/03/2026", "10/03/2026", "Bolton Council", "Brookvale Care Ltd", "01234567",
                     "SC512847", "Brookvale House (Ofsted URN SC512848); Brookvale Cottage (CQC URN 1-2345)",
                     "Residential; Supported Accommodation", "Safeguarding; Quality", "Internal", "Overdue",
                     "20/05/2026", "Yes", ""}));
  // Restricted: the reference, the provider and the status, and nothing else.
  EXPECT_EQ(table[2], (Strings{"ISP-2026-0003", "", "", "", "Northgate Homes Ltd", "", "", "", "", "", "", "Overdue",
                               "", "", ""}));
  EXPECT_EQ(table[3], (Strings{"ISP-2026-0004", "15/04/2026", "18/05/2026", "Bolton Council", "Hillside Fostering", "",
                               "SC777001", "", "Fostering", "Financial; Other: Late payment of staff", "Confidential",
                               "Rescinded", "15/07/2026", "No", "15/05/2026"}));
}

}  // namespace
}  // namespace ispd::spreadsheet
