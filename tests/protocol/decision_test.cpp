#include "daemon/protocol/decision.hpp"
#include "daemon/protocol/mail_plan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/example_forms.hpp"

namespace ispd::protocol {
namespace {

using store::NotificationStatus;
using store::OutboxKind;

constexpr std::string_view kNwadcs = "placementsnorthwest@stockport.gov.uk";

::testing::AssertionResult contains_text(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << '"' << text << "\" does not contain \"" << part << '"';
}

using test::ymd;

std::vector<Authority> authorities() {
  return {{"Bolton Council", {"bolton.gov.uk"}}, {"Wigan Council", {"wigan.gov.uk"}}};
}

// A complete issue form from Bolton; check_form finds nothing wrong with it.
Form complete_issue_form() {
  Form form = test::complete_issue_form();
  form.circulation = {{"childrens_services", Scope::north_west, std::nullopt},
                      {"lado", Scope::north_west, std::nullopt}};
  return form;
}

Form provider_response_form() {
  Form form = complete_issue_form();
  form.stage = Stage::provider_response;
  form.provider_response = "We accept the findings and have recruited two night staff.";
  form.data_minimisation_provider = true;
  return form;
}

Form rescind_form() {
  Form form = complete_issue_form();
  form.stage = Stage::rescind;
  Rescind rescind;
  rescind.date = ymd(2026, 4, 8);
  rescind.officer_name = "Team Manager, Commissioning";
  rescind.officer_email = "commissioning.qa@bolton.gov.uk";
  rescind.outcomes = {"quality_resolved"};
  rescind.data_minimisation = true;
  form.rescind = rescind;
  return form;
}

store::Notification notification(std::string reference, std::string agency,
                                 NotificationStatus status = NotificationStatus::open,
                                 std::optional<Date> review_date = ymd(2026, 5, 1)) {
  store::Notification n;
  n.reference = std::move(reference);
  n.agency = std::move(agency);
  n.status = status;
  n.review_date = review_date;
  n.provider_name = "Brookvale Care Ltd";
  n.form = complete_issue_form();
  return n;
}

CheckContext received_context() {
  CheckContext context;
  context.received = ymd(2026, 2, 3);
  return context;
}

AttachmentFinding docx(std::string name, Form form) {
  AttachmentFinding finding;
  finding.name = std::move(name);
  finding.looks_like_form = true;
  finding.form = std::move(form);
  return finding;
}

AttachmentFinding unreadable(std::string name, std::string problem) {
  AttachmentFinding finding;
  finding.name = std::move(name);
  finding.looks_like_form = true;
  finding.problem = std::move(problem);
  return finding;
}

AttachmentFinding pdf(std::string name) {
  return unreadable(std::move(name), "is a PDF, not the Word form; please send the Word form (.docx)");
}

AttachmentFinding old_doc(std::string name) {
  return unreadable(std::move(name),
                    "is an old Word 97-2003 .doc file; please save it as .docx (Word Document) and send it again");
}

AttachmentFinding picture(std::string name) {
  AttachmentFinding finding;
  finding.name = std::move(name);
  return finding;
}

MailFacts mail_from(std::string from, std::vector<AttachmentFinding> attachments) {
  MailFacts facts;
  facts.from = std::move(from);
  facts.subject = "ISP notification - Brookvale Care Ltd";
  facts.attachments = std::move(attachments);
  return facts;
}

MailDecision replyable_forms_mail() {
  MailDecision mail;
  mail.route = MailRoute::forms;
  mail.agency = "Bolton Council";
  mail.may_reply = true;
  mail.reply_address = "commissioning.qa@bolton.gov.uk";
  return mail;
}

Circulation north_west_circulation() {
  Circulation circulation;
  circulation.lists = {"childrens_services/north_west", "lado/north_west"};
  circulation.recipients = {"isp@manchester.gov.uk", "lado@wigan.gov.uk"};
  circulation.classification = "OFFICIAL";
  return circulation;
}

FormDecision decided(FormAction action, std::optional<std::string> reference = std::nullopt) {
  FormDecision decision;
  decision.action = action;
  decision.reference = std::move(reference);
  decision.circulate = action != FormAction::returned && action != FormAction::attention;
  return decision;
}

std::vector<OutboxKind> kinds(const std::vector<PlannedMail>& mails) {
  std::vector<OutboxKind> out;
  out.reserve(mails.size());
  for (const auto& mail : mails) out.push_back(mail.kind);
  return out;
}

const PlannedMail* find_kind(const std::vector<PlannedMail>& mails, OutboxKind kind) {
  const auto it = std::find_if(mails.begin(), mails.end(), [&](const PlannedMail& m) { return m.kind == kind; });
  return it == mails.end() ? nullptr : &*it;
}

bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

// ---- authority_of ----

TEST(IntakeAuthorityOf, MatchesAddressInAuthorityDomain) {
  const auto list = authorities();
  const Authority* found = authority_of("isp@bolton.gov.uk", list);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "Bolton Council");
}

TEST(IntakeAuthorityOf, MatchesSubdomainOfAuthorityDomain) {
  const auto list = authorities();
  const Authority* found = authority_of("x@childrens.bolton.gov.uk", list);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "Bolton Council");
}

TEST(IntakeAuthorityOf, RefusesLookAlikeDomains) {
  const auto list = authorities();
  EXPECT_EQ(authority_of("x@notbolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("x@bolton.gov.uk.example.com", list), nullptr);
  EXPECT_EQ(authority_of("x@gov.uk", list), nullptr);
}

TEST(IntakeAuthorityOf, IgnoresAsciiCase) {
  const auto list = authorities();
  const Authority* found = authority_of("ISP@Childrens.BOLTON.Gov.UK", list);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "Bolton Council");
  const std::vector<Authority> upper_config = {{"Wigan Council", {"WIGAN.GOV.UK"}}};
  EXPECT_NE(authority_of("isp@wigan.gov.uk", upper_config), nullptr);
}

TEST(IntakeAuthorityOf, MatchesNothingForMalformedAddress) {
  const auto list = authorities();
  EXPECT_EQ(authority_of("bolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("a@b@bolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("@bolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("isp@", list), nullptr);
  EXPECT_EQ(authority_of("isp@.bolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("isp@evil\n.bolton.gov.uk", list), nullptr);
  EXPECT_EQ(authority_of("", list), nullptr);
}

TEST(IntakeAuthorityOf, NeverMatchesAnEmptyConfiguredDomain) {
  const std::vector<Authority> list = {{"Broken", {""}}};
  EXPECT_EQ(authority_of("x@example.com", list), nullptr);
}

// ---- reference_in_subject ----

TEST(IntakeReferenceInSubject, FindsBracketedReference) {
  EXPECT_EQ(reference_in_subject("RE: [ISP-2026-0007] Provider response"), "ISP-2026-0007");
}

TEST(IntakeReferenceInSubject, FindsBareReferenceInAnyCaseAndReturnsUpperCase) {
  EXPECT_EQ(reference_in_subject("update on isp-2026-0012 please"), "ISP-2026-0012");
}

TEST(IntakeReferenceInSubject, AcceptsNumbersLongerThanFourDigits) {
  EXPECT_EQ(reference_in_subject("[ISP-2027-12345]"), "ISP-2027-12345");
}

TEST(IntakeReferenceInSubject, FirstReferenceWins) {
  EXPECT_EQ(reference_in_subject("ISP-2026-7 then [ISP-2026-0003] and ISP-2026-0004"), "ISP-2026-0003");
}

TEST(IntakeReferenceInSubject, RefusesShortNumbersAndYears) {
  EXPECT_EQ(reference_in_subject("ISP-2026-7"), std::nullopt);
  EXPECT_EQ(reference_in_subject("ISP-26-0007"), std::nullopt);
  EXPECT_EQ(reference_in_subject("ISP-20260-0007"), std::nullopt);
  EXPECT_EQ(reference_in_subject("ISP form"), std::nullopt);
  EXPECT_EQ(reference_in_subject(""), std::nullopt);
}

TEST(IntakeReferenceInSubject, RefusesReferenceRunIntoOtherWords) {
  EXPECT_EQ(reference_in_subject("WISP-2026-0007"), std::nullopt);
  EXPECT_EQ(reference_in_subject("ISP-2026-0007b"), std::nullopt);
}

// ---- classify_mail ----

TEST(IntakeClassifyMail, IgnoresOutOfOfficeWithNoForm) {
  auto facts = mail_from("officer@bolton.gov.uk", {});
  facts.automatic = true;
  facts.automatic_why = "Auto-Submitted: auto-replied";
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::ignore);
  EXPECT_EQ(decision.reason, "Auto-Submitted: auto-replied");
  EXPECT_FALSE(decision.may_reply);
  EXPECT_TRUE(decision.forms.empty());
}

TEST(IntakeClassifyMail, IgnoresAutomaticMailFromStrangers) {
  auto facts = mail_from("noreply@example.com", {});
  facts.automatic = true;
  facts.automatic_why = "Precedence: bulk";
  EXPECT_EQ(classify_mail(facts, authorities()).route, MailRoute::ignore);
}

TEST(IntakeClassifyMail, IgnoresBounce) {
  auto facts = mail_from("MAILER-DAEMON@bolton.gov.uk", {});
  facts.is_bounce = true;
  facts.automatic = true;
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::ignore);
  EXPECT_EQ(decision.reason, "a delivery status report (bounce)");
  EXPECT_FALSE(decision.may_reply);
}

TEST(IntakeClassifyMail, IgnoresBounceCarryingACopyOfAForm) {
  auto facts = mail_from("postmaster@bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  facts.is_bounce = true;
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::ignore);
  EXPECT_TRUE(decision.forms.empty());
}

TEST(IntakeClassifyMail, ReadsFormsFromAutomaticMailButNeverReplies) {
  auto facts = mail_from("isp@bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  facts.automatic = true;
  facts.automatic_why = "Auto-Submitted: auto-generated";
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::forms);
  EXPECT_EQ(decision.forms.size(), 1u);
  EXPECT_FALSE(decision.may_reply);
  EXPECT_EQ(decision.agency, "Bolton Council");
}

TEST(IntakeClassifyMail, SendsUnknownSenderWithFormsToAttention) {
  const auto facts = mail_from("someone@example.com", {docx("ISP.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_EQ(decision.reason, "the sender's domain example.com is not a configured authority; nothing was circulated");
  EXPECT_FALSE(decision.may_reply);
  EXPECT_FALSE(decision.agency);
  EXPECT_TRUE(decision.forms.empty());
}

TEST(IntakeClassifyMail, SendsAMailFromSeveralAddressesToAttentionAsAnUnknownSender) {
  auto facts = mail_from("isp@bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  facts.from_count = 2;
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_EQ(decision.reason,
            "the From header names 2 addresses, so no one sender can be matched to an authority; nothing was "
            "circulated");
  EXPECT_FALSE(decision.may_reply);
  EXPECT_FALSE(decision.agency);
  EXPECT_TRUE(decision.forms.empty());
}

TEST(IntakeClassifyMail, RefusesLookAlikeDomain) {
  const auto facts = mail_from("isp@notbolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_TRUE(contains_text(decision.reason, "notbolton.gov.uk is not a configured authority"));
  EXPECT_FALSE(decision.may_reply);
}

TEST(IntakeClassifyMail, SendsUnreadableSenderAddressToAttention) {
  const auto facts = mail_from("not an address", {docx("ISP.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_TRUE(contains_text(decision.reason, "could not be read"));
  EXPECT_FALSE(decision.may_reply);
}

TEST(IntakeClassifyMail, AcceptsFormsFromSubdomainOfAuthority) {
  const auto facts = mail_from("qa@childrens.bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::forms);
  EXPECT_EQ(decision.agency, "Bolton Council");
  EXPECT_TRUE(decision.may_reply);
  EXPECT_EQ(decision.reply_address, "qa@childrens.bolton.gov.uk");
}

TEST(IntakeClassifyMail, SendsAuthorityMailWithNoFormToAttentionWithoutReply) {
  const auto facts = mail_from("isp@bolton.gov.uk", {picture("logo.png")});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_EQ(decision.reason, "no ISP form attached");
  EXPECT_FALSE(decision.may_reply);
  EXPECT_TRUE(decision.unreadable.empty());
}

TEST(IntakeClassifyMail, RepliesWhenOnlyAnOldDocIsAttached) {
  const auto facts = mail_from("isp@bolton.gov.uk", {old_doc("ISP Brookvale.doc"), picture("logo.png")});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_TRUE(decision.may_reply);
  EXPECT_EQ(decision.reply_address, "isp@bolton.gov.uk");
  ASSERT_EQ(decision.unreadable.size(), 1u);
  EXPECT_EQ(decision.unreadable[0],
            "ISP Brookvale.doc is an old Word 97-2003 .doc file; please save it as .docx (Word Document) and send it "
            "again");
  EXPECT_TRUE(contains_text(decision.reason, "ISP Brookvale.doc is an old Word 97-2003 .doc file"));
}

TEST(IntakeClassifyMail, NamesEveryUnreadableFileInTheReason) {
  const auto facts = mail_from("isp@bolton.gov.uk", {pdf("ISP.pdf"), unreadable("ISP.docx", "")});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::attention);
  EXPECT_TRUE(contains_text(decision.reason, "ISP.pdf is a PDF, not the Word form"));
  EXPECT_TRUE(contains_text(decision.reason, "ISP.docx could not be read as the ISP form"));
  EXPECT_EQ(decision.unreadable.size(), 2u);
}

TEST(IntakeClassifyMail, ReadsDocxBesideAPdfCopyAndListsThePdf) {
  const auto facts = mail_from("isp@bolton.gov.uk", {pdf("ISP.pdf"), docx("ISP.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  EXPECT_EQ(decision.route, MailRoute::forms);
  EXPECT_TRUE(decision.may_reply);
  ASSERT_EQ(decision.forms.size(), 1u);
  ASSERT_EQ(decision.unreadable.size(), 1u);
  EXPECT_TRUE(contains_text(decision.unreadable[0], "ISP.pdf is a PDF"));
}

TEST(IntakeClassifyMail, CountsIdenticalFormsOnceAndKeepsAttachmentOrder) {
  Form other = complete_issue_form();
  other.provider.name = "Kestrel Fold Ltd";
  const auto facts = mail_from("isp@bolton.gov.uk", {docx("a.docx", complete_issue_form()), docx("b.docx", other),
                                                     docx("a copy.docx", complete_issue_form())});
  const auto decision = classify_mail(facts, authorities());
  ASSERT_EQ(decision.forms.size(), 2u);
  EXPECT_EQ(decision.forms[0].provider.name, "Brookvale Care Ltd");
  EXPECT_EQ(decision.forms[1].provider.name, "Kestrel Fold Ltd");
}

TEST(IntakeClassifyMail, RepliesToReplyToWithinTheSameAuthority) {
  auto facts = mail_from("officer@bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  facts.reply_to = {"someone@wigan.gov.uk", "isp.team@childrens.bolton.gov.uk"};
  EXPECT_EQ(classify_mail(facts, authorities()).reply_address, "isp.team@childrens.bolton.gov.uk");
}

TEST(IntakeClassifyMail, IgnoresReplyToOutsideTheAuthority) {
  auto facts = mail_from("officer@bolton.gov.uk", {docx("ISP.docx", complete_issue_form())});
  facts.reply_to = {"attacker@example.com", "isp@wigan.gov.uk"};
  EXPECT_EQ(classify_mail(facts, authorities()).reply_address, "officer@bolton.gov.uk");
}

// ---- decide_form ----

TEST(IntakeDecideForm, LogsNewNotificationWhenNothingMatches) {
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", {}, received_context());
  EXPECT_EQ(decision.action, FormAction::log_new);
  EXPECT_FALSE(decision.reference);
  EXPECT_TRUE(decision.circulate);
  EXPECT_TRUE(decision.problems.empty());
  EXPECT_FALSE(decision.not_in_log);
}

TEST(IntakeDecideForm, ReturnsIncompleteFormWithEveryProblem) {
  Form form = complete_issue_form();
  form.details.reset();
  form.concerns.clear();
  const auto decision = decide_form(form, "Bolton Council", {}, received_context());
  EXPECT_EQ(decision.action, FormAction::returned);
  EXPECT_EQ(decision.problems.size(), 2u);
  EXPECT_FALSE(decision.circulate);
  EXPECT_FALSE(decision.reference);
}

TEST(IntakeDecideForm, ReturnsIncompleteFormWithTheReferenceItMatched) {
  Form form = complete_issue_form();
  form.details.reset();
  StoredState stored;
  stored.subject_reference = "ISP-2026-0007";
  stored.named = notification("ISP-2026-0007", "Bolton Council");
  const auto decision = decide_form(form, "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::returned);
  EXPECT_EQ(decision.reference, "ISP-2026-0007");
}

TEST(IntakeDecideForm, UpdatesTheNotificationTheSubjectNames) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0007";
  stored.named = notification("ISP-2026-0007", "Bolton Council");
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::update);
  EXPECT_EQ(decision.reference, "ISP-2026-0007");
  EXPECT_TRUE(decision.circulate);
}

TEST(IntakeDecideForm, UpdatesTheSendersOnlyOpenNotificationAboutTheProvider) {
  StoredState stored;
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council")};
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::update);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
}

TEST(IntakeDecideForm, ExtendsWhenTheReviewDateIsLater) {
  StoredState stored;
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council", NotificationStatus::open, ymd(2026, 4, 1))};
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::extend);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_TRUE(decision.circulate);
}

TEST(IntakeDecideForm, UpdatesWhenTheReviewDateIsTheSameOrEarlier) {
  StoredState same;
  same.same_agency = {notification("ISP-2026-0003", "Bolton Council", NotificationStatus::open, ymd(2026, 5, 1))};
  EXPECT_EQ(decide_form(complete_issue_form(), "Bolton Council", same, received_context()).action, FormAction::update);
  StoredState later;
  later.same_agency = {notification("ISP-2026-0003", "Bolton Council", NotificationStatus::open, ymd(2026, 5, 20))};
  EXPECT_EQ(decide_form(complete_issue_form(), "Bolton Council", later, received_context()).action, FormAction::update);
}

TEST(IntakeDecideForm, AsksForAttentionWhenSeveralOpenNotificationsFromTheSenderMatch) {
  StoredState stored;
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council"),
                        notification("ISP-2026-0009", "Bolton Council")};
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::attention);
  EXPECT_FALSE(decision.circulate);
  EXPECT_FALSE(decision.reference);
  EXPECT_EQ(decision.reason,
            "several open notifications from Bolton Council about this provider: ISP-2026-0003, ISP-2026-0009; "
            "which one this form concerns needs a person");
}

TEST(IntakeDecideForm, FallsBackToAgencyAndProviderWhenTheNamedReferenceIsNotInTheLog) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0099";
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council")};
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::update);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_TRUE(contains_text(decision.reason, "ISP-2026-0099, which is not in the log"));
}

TEST(IntakeDecideForm, LogsNewFormAndNamesPossibleDuplicatesFromOtherAgencies) {
  StoredState stored;
  stored.elsewhere = {notification("ISP-2026-0002", "Wigan Council")};
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::log_new);
  EXPECT_EQ(decision.possible_duplicates, std::vector<std::string>{"ISP-2026-0002"});
  EXPECT_TRUE(decision.circulate);
}

TEST(IntakeDecideForm, LogsNewNotificationWhenTheNamedOneWasRescinded) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0001";
  stored.named = notification("ISP-2026-0001", "Bolton Council", NotificationStatus::rescinded);
  const auto decision = decide_form(complete_issue_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::log_new);
  EXPECT_FALSE(decision.reference);
  EXPECT_TRUE(contains_text(decision.reason, "ISP-2026-0001 was already rescinded"));
}

TEST(IntakeDecideForm, DoesNotLetAnotherAgencyUpdateTheNotificationItsSubjectNames) {
  Form form = complete_issue_form();
  form.issuing_agency.agency = "Wigan Council";
  form.issuing_agency.officer_email = "isp@wigan.gov.uk";
  StoredState stored;
  stored.subject_reference = "ISP-2026-0007";
  stored.named = notification("ISP-2026-0007", "Bolton Council");
  stored.elsewhere = {notification("ISP-2026-0007", "Bolton Council")};
  const auto decision = decide_form(form, "Wigan Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::log_new);
  EXPECT_FALSE(decision.reference);
  EXPECT_EQ(decision.possible_duplicates, std::vector<std::string>{"ISP-2026-0007"});
  EXPECT_TRUE(contains_text(decision.reason, "which Bolton Council issued"));
}

TEST(IntakeDecideForm, AddsProviderResponseToOpenNotification) {
  StoredState stored;
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council")};
  const auto decision = decide_form(provider_response_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::provider_response);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_TRUE(decision.circulate);
}

TEST(IntakeDecideForm, LogsProviderResponseForNotificationNotInTheLog) {
  const auto decision = decide_form(provider_response_form(), "Bolton Council", {}, received_context());
  EXPECT_EQ(decision.action, FormAction::log_new);
  EXPECT_TRUE(decision.not_in_log);
  EXPECT_TRUE(decision.circulate);
  EXPECT_FALSE(decision.reference);
}

TEST(IntakeDecideForm, AsksForAttentionWhenProviderRespondsToRescindedNotification) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council", NotificationStatus::rescinded);
  const auto decision = decide_form(provider_response_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::attention);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_FALSE(decision.circulate);
}

TEST(IntakeDecideForm, RescindsOpenNotificationFromTheIssuingAgency) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council");
  const auto decision = decide_form(rescind_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::rescind);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_TRUE(decision.circulate);
  EXPECT_FALSE(decision.not_in_log);
}

TEST(IntakeDecideForm, AcceptsRescindFromTheIssuingAuthorityWhateverItsOfficerCallsIt) {
  Form form = rescind_form();
  form.issuing_agency.agency = "Bolton Metropolitan Borough Council - Children's Services";
  StoredState stored;
  stored.same_agency = {notification("ISP-2026-0003", "Bolton Council")};
  const auto decision = decide_form(form, "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::rescind);
  EXPECT_TRUE(decision.problems.empty());
}

TEST(IntakeDecideForm, ReturnsRescindFromAnotherAgency) {
  Form form = rescind_form();
  form.issuing_agency.agency = "Wigan Council";
  StoredState stored;
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council");
  const auto decision = decide_form(form, "Wigan Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::returned);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_FALSE(decision.circulate);
  ASSERT_EQ(decision.problems.size(), 1u);
  EXPECT_TRUE(contains_text(decision.problems[0].message, "can only be rescinded by the agency that issued it"));
}

TEST(IntakeDecideForm, ReturnsRescindFromAnotherAgencyEvenWhenTheFormNamesTheIssuer) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council");
  const auto decision = decide_form(rescind_form(), "Wigan Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::returned);
  ASSERT_EQ(decision.problems.size(), 1u);
  EXPECT_EQ(decision.problems[0].section, 16);
  EXPECT_EQ(decision.problems[0].message,
            "Section B: a notification can only be rescinded by the agency that issued it (Bolton Council), but "
            "this form was sent from Wigan Council.");
}

TEST(IntakeDecideForm, RescindsNotificationNotInTheLogWithoutAReference) {
  const auto decision = decide_form(rescind_form(), "Bolton Council", {}, received_context());
  EXPECT_EQ(decision.action, FormAction::rescind);
  EXPECT_TRUE(decision.not_in_log);
  EXPECT_FALSE(decision.reference);
  EXPECT_TRUE(decision.circulate);
}

TEST(IntakeDecideForm, AsksForAttentionWhenAlreadyRescinded) {
  StoredState stored;
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council", NotificationStatus::rescinded);
  const auto decision = decide_form(rescind_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::attention);
  EXPECT_EQ(decision.reference, "ISP-2026-0003");
  EXPECT_FALSE(decision.circulate);
  EXPECT_TRUE(contains_text(decision.reason, "already rescinded"));
}

TEST(IntakeDecideForm, AsksForAttentionWhenRescindingAClosedNotification) {
  StoredState stored;
  stored.same_agency = {};
  stored.subject_reference = "ISP-2026-0003";
  stored.named = notification("ISP-2026-0003", "Bolton Council", NotificationStatus::closed);
  const auto decision = decide_form(rescind_form(), "Bolton Council", stored, received_context());
  EXPECT_EQ(decision.action, FormAction::attention);
  EXPECT_TRUE(contains_text(decision.reason, "closed by NWADCS"));
}

// ---- plan_form_mails ----

TEST(IntakePlanFormMails, AcknowledgesCirculatesAndLogsNewNotification) {
  const auto mails = plan_form_mails(replyable_forms_mail(), complete_issue_form(), decided(FormAction::log_new),
                                     "ISP-2026-0007", north_west_circulation(), kNwadcs);
  ASSERT_EQ(kinds(mails),
            (std::vector<OutboxKind>{OutboxKind::acknowledgement, OutboxKind::circulation, OutboxKind::log}));
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"commissioning.qa@bolton.gov.uk"});
  EXPECT_EQ(mails[0].subject, "[ISP-2026-0007] Received and circulated: Brookvale Care Ltd");
  EXPECT_FALSE(mails[0].attach_form);
  EXPECT_EQ(mails[1].to, north_west_circulation().recipients);
  EXPECT_EQ(mails[1].subject, "OFFICIAL [ISP-2026-0007] ISP notification: Brookvale Care Ltd");
  EXPECT_TRUE(mails[1].attach_form);
  EXPECT_EQ(mails[2].to, std::vector<std::string>{std::string(kNwadcs)});
  EXPECT_EQ(mails[2].subject, "[ISP-2026-0007] Logged: Brookvale Care Ltd (Bolton Council)");
  EXPECT_FALSE(mails[2].attach_form);
}

TEST(IntakePlanFormMails, CirculationDataCarriesWhatPartnersNeed) {
  const auto mails = plan_form_mails(replyable_forms_mail(), complete_issue_form(), decided(FormAction::log_new),
                                     "ISP-2026-0007", north_west_circulation(), kNwadcs);
  const PlannedMail* circulation = find_kind(mails, OutboxKind::circulation);
  ASSERT_NE(circulation, nullptr);
  const auto& data = circulation->data;
  EXPECT_EQ(data["reference"], "ISP-2026-0007");
  EXPECT_EQ(data["action"], "log_new");
  EXPECT_EQ(data["agency"], "Bolton Council");
  EXPECT_EQ(data["provider"]["name"], "Brookvale Care Ltd");
  EXPECT_EQ(data["provider"]["company_number"], "10482736");
  EXPECT_EQ(data["provider"]["ofsted_urn"], "SC512847");
  EXPECT_EQ(data["settings"][0]["name"], "Brookvale House");
  EXPECT_EQ(data["service_types"], nlohmann::json({"residential"}));
  EXPECT_EQ(data["concerns"], nlohmann::json({"safeguarding", "quality"}));
  EXPECT_EQ(data["actions"], nlohmann::json({"reviewing_placements", "action_plan"}));
  EXPECT_EQ(data["review_date"], "2026-05-01");
  EXPECT_EQ(data["officer"]["email"], "commissioning.qa@bolton.gov.uk");
  EXPECT_EQ(data["officer"]["phone"], "0161 496 0123");
  EXPECT_EQ(data["classification"], "OFFICIAL");
  EXPECT_EQ(data["details"], *complete_issue_form().details);
}

TEST(IntakePlanFormMails, KeepsSectionTwelveOutOfEveryMailButTheCirculation) {
  const auto mails = plan_form_mails(replyable_forms_mail(), complete_issue_form(), decided(FormAction::log_new),
                                     "ISP-2026-0007", north_west_circulation(), kNwadcs);
  const std::string details = *complete_issue_form().details;
  for (const auto& mail : mails) {
    if (mail.kind == OutboxKind::circulation) continue;
    EXPECT_FALSE(contains_text(mail.data.dump(), details.substr(0, 30))) << store::to_string(mail.kind);
  }
}

TEST(IntakePlanFormMails, NeverAcknowledgesAutomaticMail) {
  MailDecision mail = replyable_forms_mail();
  mail.may_reply = false;
  const auto mails = plan_form_mails(mail, complete_issue_form(), decided(FormAction::log_new), "ISP-2026-0007",
                                     north_west_circulation(), kNwadcs);
  EXPECT_EQ(kinds(mails), (std::vector<OutboxKind>{OutboxKind::circulation, OutboxKind::log}));
}

TEST(IntakePlanFormMails, ReturnsFormToItsSenderOnly) {
  Form form = complete_issue_form();
  form.details.reset();
  form.concerns.clear();
  const auto decision = decide_form(form, "Bolton Council", {}, received_context());
  const auto mails = plan_form_mails(replyable_forms_mail(), form, decision, "", Circulation{}, kNwadcs);
  ASSERT_EQ(kinds(mails), (std::vector<OutboxKind>{OutboxKind::returned}));
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"commissioning.qa@bolton.gov.uk"});
  EXPECT_EQ(mails[0].subject, "ISP form returned: Brookvale Care Ltd \xE2\x80\x94 2 things to fix");
  EXPECT_EQ(mails[0].data["problems"].size(), 2u);
}

TEST(IntakePlanFormMails, ReturnedSubjectCarriesTheMatchedReferenceAndSingular) {
  FormDecision decision = decided(FormAction::returned, "ISP-2026-0007");
  decision.problems = {{12, "Section 12: the details are missing."}};
  const auto mails =
      plan_form_mails(replyable_forms_mail(), complete_issue_form(), decision, "ISP-2026-0007", Circulation{}, kNwadcs);
  const PlannedMail* returned = find_kind(mails, OutboxKind::returned);
  ASSERT_NE(returned, nullptr);
  EXPECT_EQ(returned->subject, "[ISP-2026-0007] ISP form returned: Brookvale Care Ltd \xE2\x80\x94 1 thing to fix");
}

TEST(IntakePlanFormMails, TellsNwadcsWhenAReturnedFormsSenderCannotBeTold) {
  MailDecision mail = replyable_forms_mail();
  mail.may_reply = false;
  FormDecision decision = decided(FormAction::returned);
  decision.problems = {{12, "Section 12: the details are missing."}};
  const auto mails = plan_form_mails(mail, complete_issue_form(), decision, "", Circulation{}, kNwadcs);
  ASSERT_EQ(kinds(mails), std::vector<OutboxKind>{OutboxKind::log});
  EXPECT_EQ(mails[0].data["sender_told"], false);
  EXPECT_TRUE(contains_text(mails[0].subject, "action needed"));
}

TEST(IntakePlanFormMails, SkipsCirculationWhenNobodyIsOnTheListsAndTellsNwadcs) {
  Circulation circulation;
  circulation.classification = "OFFICIAL";
  circulation.by_hand = {{"health", "area:Cumbria", "no list is configured for Health in Cumbria"}};
  const auto mails = plan_form_mails(replyable_forms_mail(), complete_issue_form(), decided(FormAction::log_new),
                                     "ISP-2026-0007", circulation, kNwadcs);
  ASSERT_EQ(kinds(mails), (std::vector<OutboxKind>{OutboxKind::acknowledgement, OutboxKind::log}));
  EXPECT_EQ(mails[0].subject, "[ISP-2026-0007] Received and logged: Brookvale Care Ltd");
  EXPECT_EQ(mails[0].data["circulated"], false);
  const auto& log = mails[1];
  EXPECT_EQ(log.data["nobody_on_lists"], true);
  EXPECT_EQ(log.data["circulated"], false);
  EXPECT_EQ(log.data["by_hand"][0]["scope"], "area:Cumbria");
  EXPECT_EQ(log.subject, "[ISP-2026-0007] Logged: Brookvale Care Ltd (Bolton Council) \xE2\x80\x94 action needed");
}

TEST(IntakePlanFormMails, LogMailTellsNwadcsOfDuplicatesNotInLogByHandAndDropped) {
  FormDecision decision = decided(FormAction::log_new);
  decision.possible_duplicates = {"ISP-2026-0002"};
  decision.not_in_log = true;
  Circulation circulation = north_west_circulation();
  circulation.by_hand = {{"health", "area:Cumbria", "no list for this area"}};
  circulation.dropped = {{"adult_services", "north_west", "restricted notifications do not go to adult services"}};
  const auto mails =
      plan_form_mails(replyable_forms_mail(), complete_issue_form(), decision, "ISP-2026-0008", circulation, kNwadcs);
  const PlannedMail* log = find_kind(mails, OutboxKind::log);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->data["possible_duplicates"], nlohmann::json({"ISP-2026-0002"}));
  EXPECT_EQ(log->data["not_in_log"], true);
  EXPECT_EQ(log->data["by_hand"].size(), 1u);
  EXPECT_EQ(log->data["dropped"][0]["audience"], "adult_services");
  EXPECT_EQ(log->data["lists"], nlohmann::json({"childrens_services/north_west", "lado/north_west"}));
  EXPECT_EQ(log->data["action_needed"], true);
  EXPECT_TRUE(contains_text(log->subject, "action needed"));
  const PlannedMail* acknowledgement = find_kind(mails, OutboxKind::acknowledgement);
  ASSERT_NE(acknowledgement, nullptr);
  EXPECT_EQ(acknowledgement->data["dropped"].size(), 1u);
}

TEST(IntakePlanFormMails, ListsOtherUnreadableFilesInTheLogMail) {
  MailDecision mail = replyable_forms_mail();
  mail.unreadable = {"ISP.pdf is a PDF, not the Word form; please send the Word form (.docx)"};
  const auto mails = plan_form_mails(mail, complete_issue_form(), decided(FormAction::log_new), "ISP-2026-0007",
                                     north_west_circulation(), kNwadcs);
  const PlannedMail* log = find_kind(mails, OutboxKind::log);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->data["other_files_not_read"].size(), 1u);
}

TEST(IntakePlanFormMails, NamesEachStageInTheCirculationSubject) {
  const auto subject_for = [](FormAction action, const Form& form) {
    const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(action, "ISP-2026-0007"), "ISP-2026-0007",
                                       north_west_circulation(), kNwadcs);
    const PlannedMail* circulation = find_kind(mails, OutboxKind::circulation);
    return circulation ? circulation->subject : std::string("(none)");
  };
  EXPECT_EQ(subject_for(FormAction::update, complete_issue_form()),
            "OFFICIAL [ISP-2026-0007] ISP notification update: Brookvale Care Ltd");
  EXPECT_EQ(subject_for(FormAction::provider_response, provider_response_form()),
            "OFFICIAL [ISP-2026-0007] ISP notification update: Brookvale Care Ltd");
  EXPECT_EQ(subject_for(FormAction::extend, complete_issue_form()),
            "OFFICIAL [ISP-2026-0007] ISP notification extended: Brookvale Care Ltd");
  EXPECT_EQ(subject_for(FormAction::rescind, rescind_form()),
            "OFFICIAL [ISP-2026-0007] ISP notification rescinded: Brookvale Care Ltd");
}

TEST(IntakePlanFormMails, ProviderResponseAndRescindCirculationsCarryTheirOwnParts) {
  const auto response = plan_form_mails(replyable_forms_mail(), provider_response_form(),
                                        decided(FormAction::provider_response, "ISP-2026-0007"), "ISP-2026-0007",
                                        north_west_circulation(), kNwadcs);
  const PlannedMail* response_circulation = find_kind(response, OutboxKind::circulation);
  ASSERT_NE(response_circulation, nullptr);
  EXPECT_EQ(response_circulation->data["provider_response"], *provider_response_form().provider_response);

  const auto rescind =
      plan_form_mails(replyable_forms_mail(), rescind_form(), decided(FormAction::rescind, "ISP-2026-0007"),
                      "ISP-2026-0007", north_west_circulation(), kNwadcs);
  const PlannedMail* rescind_circulation = find_kind(rescind, OutboxKind::circulation);
  ASSERT_NE(rescind_circulation, nullptr);
  EXPECT_EQ(rescind_circulation->data["rescind"]["date"], "2026-04-08");
  EXPECT_EQ(rescind_circulation->data["rescind"]["outcomes"], nlohmann::json({"quality_resolved"}));
  EXPECT_EQ(find_kind(rescind, OutboxKind::acknowledgement)->subject,
            "[ISP-2026-0007] Rescind received and circulated: Brookvale Care Ltd");
}

TEST(IntakePlanFormMails, PassesRestrictedAndConfidentialClassificationThrough) {
  for (const auto confidentiality : {Confidentiality::restricted, Confidentiality::confidential}) {
    Form form = complete_issue_form();
    form.confidentiality = confidentiality;
    form.not_shared_justification = "Police have asked that the provider is not told; reviewed on 17/03/2026.";
    Circulation circulation = north_west_circulation();
    circulation.classification = "OFFICIAL-SENSITIVE";
    const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(FormAction::log_new), "ISP-2026-0007",
                                       circulation, kNwadcs);
    const PlannedMail* circulated = find_kind(mails, OutboxKind::circulation);
    ASSERT_NE(circulated, nullptr);
    EXPECT_EQ(circulated->subject, "OFFICIAL-SENSITIVE [ISP-2026-0007] ISP notification: Brookvale Care Ltd");
    EXPECT_EQ(circulated->data["classification"], "OFFICIAL-SENSITIVE");
    EXPECT_EQ(circulated->data["confidentiality"], std::string(to_string(confidentiality)));
    EXPECT_EQ(find_kind(mails, OutboxKind::log)->data["classification"], "OFFICIAL-SENSITIVE");
  }
}

TEST(IntakePlanFormMails, NeverMarksARestrictedFormLowerWhenTheClassificationIsMissing) {
  Form form = complete_issue_form();
  form.confidentiality = Confidentiality::restricted;
  Circulation circulation = north_west_circulation();
  circulation.classification.clear();
  const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(FormAction::log_new), "ISP-2026-0007",
                                     circulation, kNwadcs);
  EXPECT_TRUE(find_kind(mails, OutboxKind::circulation)->subject.starts_with("OFFICIAL-SENSITIVE "));
}

TEST(IntakePlanFormMails, KeepsHeaderInjectionInProviderNameOutOfSubjects) {
  Form form = complete_issue_form();
  form.provider.name = "Brookvale\r\nBcc: everyone@example.com\n\tCare\x0b Ltd";
  const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(FormAction::log_new), "ISP-2026-0007",
                                     north_west_circulation(), kNwadcs);
  ASSERT_EQ(mails.size(), 3u);
  for (const auto& mail : mails) {
    EXPECT_FALSE(has_control_character(mail.subject)) << mail.subject;
    EXPECT_EQ(mail.subject.find('\r'), std::string::npos);
    EXPECT_EQ(mail.subject.find('\n'), std::string::npos);
  }
  EXPECT_EQ(mails[1].subject,
            "OFFICIAL [ISP-2026-0007] ISP notification: Brookvale Bcc: everyone@example.com Care Ltd");
}

TEST(IntakePlanFormMails, RemovesUnicodeLineSeparatorsAndC1ControlsFromSubjects) {
  Form form = complete_issue_form();
  form.provider.name =
      "Brookvale\xE2\x80\xA8"
      "Care\xC2\x85Ltd\xE2\x80\xAE";
  const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(FormAction::log_new), "ISP-2026-0007",
                                     north_west_circulation(), kNwadcs);
  EXPECT_EQ(find_kind(mails, OutboxKind::circulation)->subject,
            "OFFICIAL [ISP-2026-0007] ISP notification: Brookvale Care Ltd");
}

TEST(IntakePlanFormMails, ShortensLongProviderNamesInSubjects) {
  Form form = complete_issue_form();
  form.provider.name = std::string(300, 'A') + " Care Ltd";
  form.issuing_agency.agency = std::string(300, 'B');
  const auto mails = plan_form_mails(replyable_forms_mail(), form, decided(FormAction::log_new), "ISP-2026-0007",
                                     north_west_circulation(), kNwadcs);
  for (const auto& mail : mails) {
    EXPECT_LE(mail.subject.size(), 200u) << mail.subject;
    EXPECT_TRUE(contains_text(mail.subject, "ISP-2026-0007"));
  }
}

TEST(IntakePlanFormMails, SendsOnlyAnAttentionMailForAFormThatNeedsAPerson) {
  FormDecision decision = decided(FormAction::attention);
  decision.reason = "several open notifications from Bolton Council about this provider";
  const auto mails =
      plan_form_mails(replyable_forms_mail(), complete_issue_form(), decision, "", Circulation{}, kNwadcs);
  ASSERT_EQ(kinds(mails), std::vector<OutboxKind>{OutboxKind::attention});
  EXPECT_EQ(mails[0].to, std::vector<std::string>{std::string(kNwadcs)});
  EXPECT_EQ(mails[0].data["reason"], decision.reason);
}

// ---- plan_mail_mails ----

TEST(IntakePlanMailMails, PlansNothingForIgnoredMail) {
  auto facts = mail_from("officer@bolton.gov.uk", {});
  facts.automatic = true;
  facts.automatic_why = "Auto-Submitted: auto-replied";
  const auto decision = classify_mail(facts, authorities());
  EXPECT_TRUE(plan_mail_mails(decision, facts, kNwadcs).empty());
}

TEST(IntakePlanMailMails, TellsNwadcsOfUnknownSenderAndNeverReplies) {
  auto facts = mail_from("someone@example.com", {docx("ISP.docx", complete_issue_form())});
  facts.subject = "ISP form\r\nBcc: x@example.com";
  const auto decision = classify_mail(facts, authorities());
  const auto mails = plan_mail_mails(decision, facts, kNwadcs);
  ASSERT_EQ(kinds(mails), std::vector<OutboxKind>{OutboxKind::attention});
  EXPECT_EQ(mails[0].to, std::vector<std::string>{std::string(kNwadcs)});
  EXPECT_EQ(mails[0].subject, "Needs attention: ISP form Bcc: x@example.com");
  EXPECT_EQ(mails[0].data["reason"], decision.reason);
  EXPECT_EQ(mails[0].data["sender"], "someone@example.com");
  EXPECT_EQ(mails[0].data["subject"], "ISP form Bcc: x@example.com");
}

TEST(IntakePlanMailMails, TellsOnlyNwadcsWhenNoFormIsAttached) {
  const auto facts = mail_from("isp@bolton.gov.uk", {});
  const auto mails = plan_mail_mails(classify_mail(facts, authorities()), facts, kNwadcs);
  EXPECT_EQ(kinds(mails), std::vector<OutboxKind>{OutboxKind::attention});
}

TEST(IntakePlanMailMails, RepliesNamingEachUnreadableFileAndWhatToDo) {
  auto facts = mail_from("isp@bolton.gov.uk", {old_doc("ISP Brookvale.doc"), pdf("ISP Brookvale.pdf")});
  facts.subject = "RE: [ISP-2026-0007] updated form";
  const auto decision = classify_mail(facts, authorities());
  const auto mails = plan_mail_mails(decision, facts, kNwadcs);
  ASSERT_EQ(kinds(mails), (std::vector<OutboxKind>{OutboxKind::attention, OutboxKind::returned}));
  EXPECT_EQ(mails[0].data["unreadable"].size(), 2u);
  const auto& reply = mails[1];
  EXPECT_EQ(reply.to, std::vector<std::string>{"isp@bolton.gov.uk"});
  EXPECT_EQ(reply.subject,
            "[ISP-2026-0007] ISP form could not be read \xE2\x80\x94 please send it again as a Word .docx file");
  ASSERT_EQ(reply.data["files"].size(), 2u);
  EXPECT_EQ(reply.data["files"][0]["name"], "ISP Brookvale.doc");
  EXPECT_TRUE(contains_text(reply.data["files"][0]["problem"].get<std::string>(), "old Word 97-2003 .doc"));
  EXPECT_EQ(reply.data["files"][1]["name"], "ISP Brookvale.pdf");
  EXPECT_TRUE(contains_text(reply.data["advice"].get<std::string>(), "Word document (.docx)"));
  EXPECT_FALSE(reply.attach_form);
}

}  // namespace
}  // namespace ispd::protocol
