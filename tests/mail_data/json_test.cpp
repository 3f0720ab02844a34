#include "mail_data/json.hpp"

#include <string>

#include <gtest/gtest.h>

#include "tests/mail_data/stored_samples.hpp"

namespace ispd::mail_data {
namespace {

using nlohmann::json;

template <typename Mail>
Mail round_trip(const Mail& mail) {
  return read<Mail>(json(mail));
}

// Every key the sample holds is written back with the same value.
template <typename Mail>
void expect_keys_kept(const test::StoredSample& sample) {
  SCOPED_TRACE(sample.name);
  const json stored = json::parse(sample.json);
  const json written = read<Mail>(stored);
  for (const auto& [key, value] : stored.items()) {
    ASSERT_TRUE(written.contains(key)) << key;
    EXPECT_EQ(written[key], value) << key;
  }
  EXPECT_EQ(read<Mail>(written), read<Mail>(stored));
}

const Provider kProvider{"Brookvale Care Ltd", "01234567", "SC123456"};
const Officer kOfficer{"Jane Smith", "jane.smith@bolton.gov.uk", "01204 333 333"};
const Choice kChoice{"health", "area:Cumbria", "no list is configured for it"};

TEST(MailDataJson, AnAcknowledgementComesBackAsItWent) {
  const Acknowledgement mail{.reference = "ISP-2026-0007",
                             .action = "log_new",
                             .agency = "Bolton Council",
                             .provider = {"Brookvale Care Ltd"},
                             .officer = {"Jane Smith"},
                             .review_date = "2026-05-01",
                             .classification = "OFFICIAL",
                             .circulated = true,
                             .lists = {"police/north_west"},
                             .dropped = {kChoice},
                             .by_hand = {kChoice, kChoice},
                             .not_in_log = true};
  EXPECT_EQ(round_trip(mail), mail);
  EXPECT_EQ(round_trip(Acknowledgement{}), Acknowledgement{});
}

TEST(MailDataJson, BothReturnedMailsComeBackAsTheyWent) {
  const Returned form{.reference = std::nullopt,
                      .action = "returned",
                      .agency = "Bolton Council",
                      .provider = Named{"Brookvale Care Ltd"},
                      .officer = Named{std::nullopt},
                      .problems = {"Section 12: the details are missing."}};
  EXPECT_EQ(round_trip(form), form);
  const Returned files{.reference = "ISP-2026-0007",
                       .agency = std::nullopt,
                       .subject = "RE: [ISP-2026-0007] updated form",
                       .files = std::vector<UnreadableFile>{{"ISP.pdf", "is a PDF", "ISP.pdf is a PDF."}},
                       .advice = "Please send the Word form."};
  EXPECT_EQ(round_trip(files), files);
  EXPECT_FALSE(json(form).contains("files"));
  EXPECT_FALSE(json(files).contains("provider"));
  EXPECT_EQ(round_trip(Returned{.files = std::vector<UnreadableFile>{}}).files, std::vector<UnreadableFile>{});
}

TEST(MailDataJson, ACirculationComesBackAsItWentWithOrWithoutItsSections) {
  Circulation mail{.reference = "ISP-2026-0003",
                   .action = "rescind",
                   .agency = "Salford City Council",
                   .provider = kProvider,
                   .settings = {{"Brookvale House", "SC123457", std::nullopt}},
                   .service_types = {"childrens_home"},
                   .concerns = {"quality", "staffing"},
                   .actions = {"suspend_placements"},
                   .review_date = "2026-05-01",
                   .officer = kOfficer,
                   .confidentiality = "internal",
                   .classification = "OFFICIAL",
                   .details = "Line one.\nLine two.",
                   .provider_response = std::optional<Text>(std::in_place),
                   .rescind = Rescind{"2026-04-20",
                                      "Alex Jones",
                                      "a.jones@salford.gov.uk",
                                      {"concerns_resolved"},
                                      {"no_further_action"},
                                      {"placements_resumed"}}};
  EXPECT_EQ(round_trip(mail), mail);
  // A response section whose text is missing is still a response section.
  EXPECT_TRUE(json(mail).contains("provider_response"));
  mail.provider_response.reset();
  mail.rescind.reset();
  EXPECT_EQ(round_trip(mail), mail);
  EXPECT_FALSE(json(mail).contains("provider_response"));
  EXPECT_FALSE(json(mail).contains("rescind"));
}

TEST(MailDataJson, EveryAttentionMailComesBackAsItWent) {
  const Attention form{.reference = std::nullopt,
                       .action = "attention",
                       .agency = "Bolton Council",
                       .sender = "commissioning.qa@bolton.gov.uk",
                       .provider = kProvider,
                       .stage = "update",
                       .reason = "several open notifications"};
  const Attention mail{
      .reason = "not an authority", .subject = "ISP notification", .unreadable = {"ISP.pdf"}, .sender_told = true};
  const Attention failure{.reason = "could not be delivered",
                          .failure = Failure{"gave_up",
                                             std::nullopt,
                                             {"a@x.gov.uk", "b@y.gov.uk"},
                                             "OFFICIAL circulation",
                                             "ISP-2026-0007",
                                             "3f2a@ispd.example",
                                             "421 timed out"}};
  for (const auto& attention : {form, mail, failure}) EXPECT_EQ(round_trip(attention), attention);
  EXPECT_FALSE(json(mail).contains("provider"));
  EXPECT_FALSE(json(mail).contains("failure"));
}

TEST(MailDataJson, ALogMailComesBackAsItWent) {
  const Log mail{.reference = "ISP-2026-0007",
                 .action = "log_new",
                 .agency = "Bolton Council",
                 .sender = "commissioning.qa@bolton.gov.uk",
                 .sender_told = true,
                 .provider = kProvider,
                 .service_types = {"childrens_home"},
                 .concerns = {"quality"},
                 .review_date = "2026-05-01",
                 .officer = kOfficer,
                 .confidentiality = "restricted",
                 .classification = "OFFICIAL-SENSITIVE",
                 .circulated = true,
                 .lists = {"childrens_services/north_west"},
                 .recipient_count = 3,
                 .nobody_on_lists = true,
                 .dropped = {kChoice},
                 .by_hand = {kChoice},
                 .problems = {"Section 9: no concern is ticked."},
                 .possible_duplicates = {"ISP-2026-0002"},
                 .not_in_log = true,
                 .other_files_not_read = {"old.doc"},
                 .action_needed = true,
                 .reason = "a new notification"};
  EXPECT_EQ(round_trip(mail), mail);
  EXPECT_EQ(round_trip(Log{}), Log{});
}

TEST(MailDataJson, AChaserComesBackAsItWentWithItsStep) {
  for (const auto step : {ChaserStep::before, ChaserStep::on, ChaserStep::overdue, ChaserStep::close_request}) {
    const Chaser mail{.reference = "ISP-2026-0007",
                      .which = step,
                      .chaser = "overdue-3",
                      .weeks_overdue = 3,
                      .review_date = "2026-05-01",
                      .due = "2026-05-22",
                      .last_word = "2026-02-03",
                      .agency = "Bolton Council",
                      .provider = {"Brookvale Care Ltd"},
                      .officer = kOfficer,
                      .confidentiality = "confidential",
                      .classification = "OFFICIAL-SENSITIVE",
                      .copied_nwadcs = true,
                      .no_officer_email = true,
                      .remind_provider = true,
                      .caught_up = true};
    EXPECT_EQ(round_trip(mail), mail) << to_string(step);
  }
  EXPECT_EQ(json(Chaser{.which = ChaserStep::close_request})["which"], "close_request");
  EXPECT_EQ(read<Chaser>(json{{"which", "close-request"}}).which, std::nullopt);
}

TEST(MailDataJson, TheScheduledMailsComeBackAsTheyWent) {
  const Digest digest{.period = {"2026-11-28", "2026-12-02"},
                      .one_day = false,
                      .counts = {7, 2, 1, 0, 0, 3, 1, 1, 2, 1, 40, 1, 1},
                      .overdue = {{"ISP-2026-0007", "Bolton Council", std::nullopt, "2026-11-20"}},
                      .more_overdue = std::nullopt,
                      .waiting = {{"2 December 2026 at 09:00", "odd@example.org", "not an authority"}},
                      .more_waiting = 2,
                      .failed_mails = {{"ISP-2026-0009", "OFFICIAL circulation", "gone@wigan.gov.uk", "550 no"}},
                      .more_failed = 3,
                      .attention_folder = "ISP/Needs attention",
                      .classification = "OFFICIAL-SENSITIVE"};
  EXPECT_EQ(round_trip(digest), digest);
  const Spreadsheet sheet{"2026-11", "November 2026", 12, 2, "ISP notifications 2026-11.xlsx", "OFFICIAL-SENSITIVE"};
  EXPECT_EQ(round_trip(sheet), sheet);
  const Alert alert{
      "mailbox", "Since 3 December 2026, nothing.", {"The last error: Login denied"}, "Check it.", "24 hours"};
  EXPECT_EQ(round_trip(alert), alert);
}

TEST(MailDataJson, TheDataStoredBeforeTheSchemaReadsAndKeepsEveryKey) {
  for (const auto& sample : test::kStoredSamples) {
    if (sample.kind == "acknowledgement") expect_keys_kept<Acknowledgement>(sample);
    if (sample.kind == "returned") expect_keys_kept<Returned>(sample);
    if (sample.kind == "circulation") expect_keys_kept<Circulation>(sample);
    if (sample.kind == "attention") expect_keys_kept<Attention>(sample);
    if (sample.kind == "log") expect_keys_kept<Log>(sample);
    if (sample.kind == "chaser") expect_keys_kept<Chaser>(sample);
    if (sample.kind == "digest") expect_keys_kept<Digest>(sample);
    if (sample.kind == "spreadsheet") expect_keys_kept<Spreadsheet>(sample);
    if (sample.kind == "alert") expect_keys_kept<Alert>(sample);
  }
}

TEST(MailDataJson, ReadsAnyJsonWithoutThrowingAndWrongTypesAsNotGiven) {
  for (const json& data : {json(nullptr), json("text"), json::array({1, 2}), json(7), json::object()}) {
    EXPECT_EQ(read<Log>(data), Log{}) << data.dump();
    EXPECT_EQ(read<Digest>(data), Digest{}) << data.dump();
    EXPECT_EQ(read<Attention>(data), Attention{}) << data.dump();
  }
  const auto log = read<Log>(json{{"reference", 42},
                                  {"provider", "Brookvale Care Ltd"},
                                  {"concerns", {{"quality", true}, "staffing"}},
                                  {"recipient_count", -1},
                                  {"circulated", "yes"},
                                  {"problems", {"Section 9.", {{"message", "Section 12."}}, 3.5}}});
  EXPECT_EQ(log.reference, "42");
  EXPECT_EQ(log.provider, Provider{});
  EXPECT_EQ(log.concerns, std::vector<std::string>{"staffing"});
  EXPECT_EQ(log.recipient_count, std::nullopt);
  EXPECT_FALSE(log.circulated);
  EXPECT_EQ(log.problems, (std::vector<std::string>{"Section 9.", "Section 12."}));
  // A provider key, whatever it holds, says the attention mail is about a form.
  EXPECT_TRUE(read<Attention>(json{{"provider", nullptr}}).provider);
}

}  // namespace
}  // namespace ispd::mail_data
