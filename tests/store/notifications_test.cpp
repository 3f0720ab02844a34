// Notifications: references allocated once and in order, the current form
// kept, every change an event, and the queries the intake and the CLI use.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "store/provider_keys.hpp"
#include "store/store.hpp"
#include "store/timestamps.hpp"
#include "tests/support/temp_dir.hpp"

namespace ispd::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::year;

TimePoint at(std::string_view text) { return time_from_text(text); }

using test::TempDir;

Store open(const fs::path& path = ":memory:") {
  auto store = Store::open(path);
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store).value();
}

Form form_about(std::string provider, std::string company_number = "", std::string urn = "") {
  Form form;
  form.confidentiality = Confidentiality::confidential;
  form.issuing_agency.agency = "Bolton Council";
  form.issuing_agency.review_date = year{2026} / 6 / 1;
  form.provider.name = std::move(provider);
  if (!company_number.empty()) form.provider.company_number = std::move(company_number);
  if (!urn.empty()) form.provider.ofsted_urn = std::move(urn);
  form.concerns = {"quality"};
  return form;
}

std::string log(Store& store, TimePoint now, const Form& form, const std::string& agency = "Bolton Council") {
  return store.transaction(now, [&](Tx& tx) {
    return tx.log_notification({form, agency, "officer@example.gov.uk"}).notification.reference;
  });
}

TEST(References, AreSequentialWithinAYearAndRestartEachYear) {
  auto store = open();
  EXPECT_EQ(log(store, at("2026-01-01T00:00:00Z"), form_about("A")), "ISP-2026-0001");
  EXPECT_EQ(log(store, at("2026-06-30T12:00:00Z"), form_about("B")), "ISP-2026-0002");
  EXPECT_EQ(log(store, at("2026-12-31T23:59:59Z"), form_about("C")), "ISP-2026-0003");
  EXPECT_EQ(log(store, at("2027-01-01T00:00:00Z"), form_about("D")), "ISP-2027-0001");
  // The year is the year ispd logged it, whatever dates the form carries.
  Form backdated = form_about("E");
  backdated.issuing_agency.date_sent_for_circulation = year{2025} / 12 / 20;
  EXPECT_EQ(log(store, at("2027-01-02T09:00:00Z"), backdated), "ISP-2027-0002");
}

TEST(References, AreUniqueAndGaplessAcrossManyInsertsAndAReopen) {
  TempDir dir;
  std::set<std::string> seen;
  const auto now = at("2026-03-02T09:00:00Z");
  {
    auto store = open(dir.path() / "ispd.sqlite");
    for (int i = 0; i < 300; ++i) seen.insert(log(store, now + std::chrono::seconds(i), form_about("P")));
    // Several in one transaction are still distinct.
    store.transaction(now, [&](Tx& tx) {
      for (int i = 0; i < 20; ++i) {
        seen.insert(tx.log_notification({form_about("Q"), "Wigan Council", "x@wigan.gov.uk"}).notification.reference);
      }
    });
  }
  auto store = open(dir.path() / "ispd.sqlite");
  seen.insert(log(store, now + 1h, form_about("R")));
  ASSERT_EQ(seen.size(), 321u);
  EXPECT_EQ(*seen.begin(), "ISP-2026-0001");
  EXPECT_EQ(*seen.rbegin(), "ISP-2026-0321");
}

TEST(Notifications, KeepTheCurrentFormAndWhatMatchingNeeds) {
  auto store = open();
  Form form = form_about("The Sunrise Care Ltd", "1234567", "SC 123456");
  form.details = "Line one\nLine two";
  const auto reference = log(store, at("2026-03-02T09:00:00Z"), form);
  const auto n = store.find_notification(reference);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->form, form);
  EXPECT_EQ(n->status, NotificationStatus::open);
  EXPECT_EQ(n->stage, Stage::issue);
  EXPECT_EQ(n->confidentiality, Confidentiality::confidential);
  EXPECT_EQ(n->agency, "Bolton Council");
  EXPECT_EQ(n->provider_name, "The Sunrise Care Ltd");
  EXPECT_EQ(n->provider, (ProviderKeys{"sunrise care", "01234567", "SC123456"}));
  EXPECT_EQ(n->review_date, year{2026} / 6 / 1);
  EXPECT_EQ(n->created_at, at("2026-03-02T09:00:00Z"));
  EXPECT_FALSE(store.find_notification("ISP-2026-0002"));
}

TEST(Notifications, EveryChangeIsAnEventAndTheFormFollows) {
  auto store = open();
  const auto reference = log(store, at("2026-03-02T09:00:00Z"), form_about("Sunrise Care"));
  Form response = form_about("Sunrise Care");
  response.stage = Stage::provider_response;
  response.provider_response = "We have recruited night staff.";
  response.issuing_agency.review_date = year{2026} / 9 / 1;
  store.transaction(at("2026-04-01T10:00:00Z"), [&](Tx& tx) {
    (void)tx.update_notification(
        reference,
        {EventKind::provider_response, response, std::nullopt, "officer@bolton.gov.uk", {{"note", "recirculated"}}});
  });
  store.transaction(at("2026-09-02T10:00:00Z"), [&](Tx& tx) {
    (void)tx.update_notification(reference,
                                 {EventKind::closed, std::nullopt, NotificationStatus::closed, "nwadcs", {}});
  });
  const auto history = store.show(reference);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->notification.form, response);
  EXPECT_EQ(history->notification.stage, Stage::provider_response);
  EXPECT_EQ(history->notification.review_date, year{2026} / 9 / 1);
  EXPECT_EQ(history->notification.status, NotificationStatus::closed);
  EXPECT_EQ(history->notification.updated_at, at("2026-09-02T10:00:00Z"));
  ASSERT_EQ(history->events.size(), 3u);
  EXPECT_EQ(history->events[0].kind, EventKind::logged);
  EXPECT_EQ(history->events[1].kind, EventKind::provider_response);
  EXPECT_EQ(history->events[1].detail["note"], "recirculated");
  EXPECT_EQ(history->events[1].at, at("2026-04-01T10:00:00Z"));
  EXPECT_EQ(history->events[2].kind, EventKind::closed);
  EXPECT_EQ(history->events[2].actor, "nwadcs");
}

TEST(Notifications, UpdatingAnUnknownReferenceIsRefused) {
  auto store = open();
  EXPECT_THROW(store.transaction(at("2026-03-02T09:00:00Z"),
                                 [](Tx& tx) {
                                   (void)tx.update_notification(
                                       "ISP-2026-0009",
                                       {EventKind::closed, std::nullopt, NotificationStatus::closed, "", {}});
                                 }),
               std::logic_error);
}

TEST(Matching, FindsTheAgencysOpenNotificationByCompanyNumberUrnOrName) {
  auto store = open();
  const auto now = at("2026-03-02T09:00:00Z");
  const auto by_number = log(store, now, form_about("Alpha Homes Ltd", "00111111"));
  const auto by_urn = log(store, now, form_about("Beta Care", "", "SC222222"));
  const auto by_name = log(store, now, form_about("Gamma & Sons Limited"));

  const auto find = [&](const Provider& p) {
    std::vector<std::string> refs;
    for (const auto& n : store.find_open_for_provider("Bolton Council", provider_keys(p))) refs.push_back(n.reference);
    return refs;
  };
  Provider p;
  p.name = "Completely Renamed Ltd";
  p.company_number = "111111";  // written without its leading zeros
  EXPECT_EQ(find(p), std::vector<std::string>{by_number});
  p = {};
  p.ofsted_urn = "URN: sc222222";
  EXPECT_EQ(find(p), std::vector<std::string>{by_urn});
  p = {};
  p.name = "GAMMA AND SONS LTD";
  EXPECT_EQ(find(p), std::vector<std::string>{by_name});
  p = {};
  p.name = "Nobody We Know";
  EXPECT_TRUE(find(p).empty());
  EXPECT_TRUE(find(Provider{}).empty());  // no keys match nothing, not everything
}

TEST(Matching, LeavesOutClosedAndRescindedNotificationsAndOtherAgencies) {
  auto store = open();
  const auto now = at("2026-03-02T09:00:00Z");
  const auto closed = log(store, now, form_about("Alpha Homes", "00111111"));
  store.transaction(now, [&](Tx& tx) {
    (void)tx.update_notification(closed, {EventKind::rescinded, std::nullopt, NotificationStatus::rescinded, "", {}});
  });
  const auto wigan = log(store, now, form_about("Alpha Homes", "00111111"), "Wigan Council");
  const auto keys = provider_keys(form_about("Alpha Homes", "00111111").provider);
  EXPECT_TRUE(store.find_open_for_provider("Bolton Council", keys).empty());

  // Another agency's open notification is a possible duplicate.
  const auto elsewhere = store.find_open_elsewhere("Bolton Council", keys);
  ASSERT_EQ(elsewhere.size(), 1u);
  EXPECT_EQ(elsewhere[0].reference, wigan);
  EXPECT_EQ(elsewhere[0].agency, "Wigan Council");
  EXPECT_TRUE(store.find_open_elsewhere("Wigan Council", keys).empty());
}

TEST(Listing, ShowsOverdueAsDerivedFromTheReviewDateAndFiltersByIt) {
  auto store = open();
  const auto now = at("2026-03-02T09:00:00Z");
  Form early = form_about("A");
  early.issuing_agency.review_date = year{2026} / 4 / 1;
  const auto soon = log(store, now, early);
  const auto later = log(store, now, form_about("B"));  // review 2026-06-01
  const auto rescinded = log(store, now, form_about("C"));
  store.transaction(now, [&](Tx& tx) {
    (void)tx.update_notification(rescinded,
                                 {EventKind::rescinded, std::nullopt, NotificationStatus::rescinded, "", {}});
  });

  const auto refs = [&](std::optional<ListedStatus> filter, Date today) {
    std::vector<std::string> out;
    for (const auto& n : store.list_notifications(filter, today)) out.push_back(n.reference);
    return out;
  };
  const Date on_review_day = year{2026} / 4 / 1;
  const Date day_after = year{2026} / 4 / 2;
  EXPECT_EQ(refs(std::nullopt, day_after), (std::vector<std::string>{soon, later, rescinded}));
  EXPECT_EQ(refs(ListedStatus::open, on_review_day), (std::vector<std::string>{soon, later}));
  EXPECT_EQ(refs(ListedStatus::overdue, on_review_day), std::vector<std::string>{});
  EXPECT_EQ(refs(ListedStatus::overdue, day_after), std::vector<std::string>{soon});
  EXPECT_EQ(refs(ListedStatus::open, day_after), std::vector<std::string>{later});
  EXPECT_EQ(refs(ListedStatus::rescinded, day_after), std::vector<std::string>{rescinded});
  EXPECT_EQ(refs(ListedStatus::closed, day_after), std::vector<std::string>{});
}

TEST(Listing, ReadsItsStatusNames) {
  EXPECT_EQ(listed_status_from_string("overdue"), ListedStatus::overdue);
  EXPECT_EQ(listed_status_from_string("open"), ListedStatus::open);
  EXPECT_EQ(listed_status_from_string("Open"), std::nullopt);
  EXPECT_EQ(to_string(ListedStatus::closed), "closed");
}

TEST(Show, GivesNothingForAnUnknownReference) {
  auto store = open();
  EXPECT_FALSE(store.show("ISP-2026-0001"));
}

}  // namespace
}  // namespace ispd::store
