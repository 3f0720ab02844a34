#include "templates/render.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/protocol/chasers.hpp"
#include "daemon/protocol/decision.hpp"
#include "daemon/protocol/mail_plan.hpp"
#include "daemon/protocol/routing.hpp"
#include "parsing/parse.hpp"
#include "templates/words.hpp"
#include "tests/support/example_forms.hpp"
#include "tests/support/test_data.hpp"

namespace ispd::templates {
namespace {

using nlohmann::json;
using protocol::Circulation;
using protocol::CirculationList;
using protocol::FormAction;
using protocol::FormDecision;
using protocol::MailDecision;
using protocol::MailFacts;
using protocol::PlannedMail;
using store::OutboxKind;

constexpr std::string_view kNwadcs = "placementsnorthwest@stockport.gov.uk";
constexpr std::string_view kScript = "<script>alert(1)</script>";

::testing::AssertionResult contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> non_empty_lines(const std::string& text) {
  std::vector<std::string> out;
  for (auto& line : lines_of(text)) {
    if (line.find_first_not_of(" \t") != std::string::npos) out.push_back(line);
  }
  return out;
}

RenderedMail rendered(std::string_view kind, const json& data) {
  auto mail = render(kind, data);
  EXPECT_TRUE(mail.ok()) << kind << ": " << (mail.ok() ? "" : mail.error().message);
  return mail.ok() ? mail.value() : RenderedMail{};
}

RenderedMail rendered(const PlannedMail& mail) { return rendered(store::to_string(mail.kind), mail.data); }

const PlannedMail& find_kind(const std::vector<PlannedMail>& mails, OutboxKind kind) {
  for (const auto& mail : mails) {
    if (mail.kind == kind) return mail;
  }
  ADD_FAILURE() << "no " << store::to_string(kind) << " mail planned";
  static const PlannedMail none;
  return none;
}

// ---- Real data: the intake's own plans for the example forms ----

std::vector<CirculationList> configured_lists() {
  return {{"childrens_services", "north_west", {"isp@manchester.gov.uk"}},
          {"childrens_services", "national", {"isp-national@example.gov.uk"}},
          {"lado", "north_west", {"lado@wigan.gov.uk"}},
          {"safeguarding_unit", "north_west", {"safeguarding@bolton.gov.uk"}},
          {"police", "north_west", {"isp@gmp.police.uk"}},
          {"health", "area:NHS Greater Manchester ICB", {"isp@gmicb.nhs.uk"}}};
}

std::vector<protocol::Authority> authorities() {
  return {{"Bolton Council", {"bolton.gov.uk"}},
          {"Wigan Council", {"wigan.gov.uk"}},
          {"Salford City Council", {"salford.gov.uk"}}};
}

MailFacts mail_with(const Form& form, std::string from) {
  MailFacts facts;
  facts.from = std::move(from);
  facts.subject = "ISP notification";
  protocol::AttachmentFinding attachment;
  attachment.name = "ISP.docx";
  attachment.looks_like_form = true;
  attachment.form = form;
  facts.attachments.push_back(std::move(attachment));
  return facts;
}

// Every mail the intake plans for one form sent alone, as a council sends it.
std::vector<PlannedMail> plan_for(const Form& form, const std::string& from, std::string_view reference) {
  const MailFacts facts = mail_with(form, from);
  const MailDecision mail = protocol::classify_mail(facts, authorities());
  protocol::CheckContext context;
  context.received = form.issuing_agency.date_sent_for_circulation;
  const FormDecision decision = protocol::decide_form(form, mail.agency.value_or(""), {}, context);
  const Circulation circulation = protocol::route(form, configured_lists());
  return protocol::plan_form_mails(mail, form, decision, reference, circulation, kNwadcs);
}

Form example_form(const std::string& name) {
  auto form = parse_form(test::read_file(test::data_path("forms/" + name + ".docx")));
  EXPECT_TRUE(form.ok()) << name;
  return form.ok() ? form.value() : Form{};
}

MailDecision replyable_mail() {
  MailDecision mail;
  mail.route = protocol::MailRoute::forms;
  mail.agency = "Bolton Council";
  mail.may_reply = true;
  mail.reply_address = "commissioning.qa@bolton.gov.uk";
  return mail;
}

Circulation circulation_of(const Form& form) { return protocol::route(form, configured_lists()); }

FormDecision decided(FormAction action) {
  FormDecision decision;
  decision.action = action;
  decision.circulate = action != FormAction::returned && action != FormAction::attention;
  return decision;
}

std::vector<PlannedMail> plan_new(const Form& form, const Circulation& circulation) {
  return protocol::plan_form_mails(replyable_mail(), form, decided(FormAction::log_new), "ISP-2026-0007", circulation,
                                   kNwadcs);
}

std::vector<PlannedMail> plan_returned(const Form& form, std::string_view reference) {
  protocol::CheckContext context;
  context.received = test::ymd(2026, 2, 3);
  FormDecision decision = protocol::decide_form(form, "Bolton Council", {}, context);
  return protocol::plan_form_mails(replyable_mail(), form, decision, reference, Circulation{}, kNwadcs);
}

std::vector<PlannedMail> plan_unreadable_files() {
  MailFacts facts;
  facts.from = "isp@bolton.gov.uk";
  facts.subject = "RE: [ISP-2026-0007] updated form";
  for (const auto& [name, problem] : std::vector<std::pair<std::string, std::string>>{
           {"ISP Brookvale.doc",
            "is an old Word 97-2003 .doc file; please save it as .docx (Word Document) and send it again"},
           {"ISP Brookvale.pdf", "is a PDF, not the Word form; please send the Word form (.docx)"}}) {
    protocol::AttachmentFinding attachment;
    attachment.name = name;
    attachment.looks_like_form = true;
    attachment.problem = problem;
    facts.attachments.push_back(attachment);
  }
  return protocol::plan_mail_mails(protocol::classify_mail(facts, authorities()), facts, kNwadcs);
}

std::vector<PlannedMail> plan_unknown_sender() {
  const MailFacts facts = mail_with(test::complete_issue_form(), "someone@example.com");
  return protocol::plan_mail_mails(protocol::classify_mail(facts, authorities()), facts, kNwadcs);
}

std::vector<PlannedMail> plan_attention(const Form& form) {
  FormDecision decision = decided(FormAction::attention);
  decision.reason =
      "several open notifications from Bolton Council about this provider: ISP-2026-0003, "
      "ISP-2026-0005; which one this form concerns needs a person";
  return protocol::plan_form_mails(replyable_mail(), form, decision, "", Circulation{}, kNwadcs);
}

json delivery_failure(std::string kind) {
  json failure = {{"kind", kind},
                  {"recipient", "isp@gmp.police.uk"},
                  {"subject", "OFFICIAL [ISP-2026-0007] ISP notification: Brookvale Care Ltd"},
                  {"reference", "ISP-2026-0007"},
                  {"message_id", "<isp-2026-0007.1@isp.example>"},
                  {"reply", "550 5.1.1 <isp@gmp.police.uk>: Recipient address rejected: User unknown"}};
  if (kind == "gave_up") failure["recipients"] = {"isp@gmp.police.uk", "lado@wigan.gov.uk"};
  return {{"reason", "the circulation could not be delivered to a partner"}, {"failure", failure}};
}

// Every mail of every kind the intake plans, from forms in every stage.
std::vector<PlannedMail> every_planned_mail() {
  std::vector<PlannedMail> all;
  const auto add = [&](std::vector<PlannedMail> mails) {
    for (auto& mail : mails) all.push_back(std::move(mail));
  };
  add(plan_for(example_form("internal-new-notification"), "commissioning.qa@bolton.gov.uk", "ISP-2026-0001"));
  add(plan_for(example_form("restricted-criminality"), "placements.commissioning@wigan.gov.uk", "ISP-2026-0002"));
  add(plan_for(example_form("rescind"), "childrens.commissioning@salford.gov.uk", "ISP-2026-0003"));
  Form incomplete = test::complete_issue_form();
  incomplete.details.reset();
  incomplete.concerns.clear();
  add(plan_returned(incomplete, ""));
  add(plan_unreadable_files());
  add(plan_unknown_sender());
  add(plan_attention(test::complete_issue_form()));
  return all;
}

// Every string in the data, and every value in lists, set to null; empty lists kept empty.
json nulled(const json& data) {
  if (data.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : data.items()) out[key] = value.is_object() ? nulled(value) : json(nullptr);
    return out;
  }
  return nullptr;
}

std::string source_file(const std::string& relative) {
  return test::read_file(std::filesystem::path(ISPD_SOURCE_DIR) / relative);
}

// ---- Every mail ----

TEST(TemplatesRender, RendersEveryMailTheIntakePlansForTheExampleForms) {
  const auto mails = every_planned_mail();
  std::vector<OutboxKind> seen;
  for (const auto& mail : mails) {
    SCOPED_TRACE(std::string(store::to_string(mail.kind)) + ": " + mail.subject);
    const auto out = render(store::to_string(mail.kind), mail.data);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(contains(out->text, "{{"));
    EXPECT_FALSE(contains(out->html, "{{"));
    EXPECT_TRUE(out->html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    EXPECT_TRUE(contains(out->html, "</html>"));
    seen.push_back(mail.kind);
  }
  for (const auto kind : {OutboxKind::acknowledgement, OutboxKind::returned, OutboxKind::circulation,
                          OutboxKind::attention, OutboxKind::log}) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), kind), seen.end()) << store::to_string(kind);
  }
}

TEST(TemplatesRender, NamesTheProviderOfTheExampleFormInEveryMailAboutIt) {
  for (const auto& mail :
       plan_for(example_form("restricted-criminality"), "placements.commissioning@wigan.gov.uk", "ISP-2026-0002")) {
    const auto out = rendered(mail);
    EXPECT_TRUE(contains(out.text, "Kestrel Fold Supported Living Ltd")) << store::to_string(mail.kind);
    EXPECT_TRUE(contains(out.html, "Kestrel Fold Supported Living Ltd")) << store::to_string(mail.kind);
  }
}

TEST(TemplatesRender, UnknownKindIsAnError) {
  for (const std::string_view kind : {"postcard", "Digest", ""}) {
    const auto out = render(kind, json::object());
    ASSERT_FALSE(out.ok()) << kind;
    EXPECT_EQ(out.error().message, "no template for \"" + std::string(kind) + "\" mails");
  }
}

// A mail whose data is empty still reads as sentences: "not given" stands in a
// field's place, never in the middle of one.
void expect_reads_sensibly(std::string_view kind, const RenderedMail& out) {
  SCOPED_TRACE(kind);
  for (const std::string_view awkward :
       {"about not given", "from not given", "for not given", "[not given]", "is not given.", "{{", "}}"}) {
    EXPECT_FALSE(contains(out.text, awkward));
    EXPECT_FALSE(contains(out.html, awkward));
  }
  EXPECT_TRUE(contains(out.text, "NWADCS"));
  EXPECT_TRUE(out.html.ends_with("</body>\n</html>\n"));
  // Only the returned mail and the spreadsheet's need no field of their data to be useful.
  if (kind != "returned" && kind != "spreadsheet") {
    EXPECT_TRUE(contains(out.text, "not given"));
    EXPECT_TRUE(contains(out.html, "not given"));
  }
}

TEST(TemplatesRender, RendersWhenEveryFieldIsNull) {
  for (const auto& mail : every_planned_mail()) {
    const auto kind = store::to_string(mail.kind);
    expect_reads_sensibly(kind, rendered(kind, nulled(mail.data)));
  }
}

TEST(TemplatesRender, RendersWhenEveryFieldIsMissingOrTheDataIsNoObject) {
  for (const std::string_view kind :
       {"acknowledgement", "returned", "circulation", "attention", "log", "chaser", "digest", "spreadsheet", "alert"}) {
    for (const json& data : {json::object(), json(nullptr), json::array({1, 2}), json("text")}) {
      SCOPED_TRACE(data.dump());
      expect_reads_sensibly(kind, rendered(kind, data));
    }
  }
}

TEST(TemplatesRender, RendersFieldsOfTheWrongTypeAsNotGiven) {
  json data = find_kind(plan_new(test::complete_issue_form(), circulation_of(test::complete_issue_form())),
                        OutboxKind::circulation)
                  .data;
  data["provider"] = "Brookvale Care Ltd";
  data["concerns"] = {{"quality", true}};
  data["settings"] = {"Brookvale House", 7};
  data["review_date"] = json::array();
  const auto out = rendered("circulation", data);
  EXPECT_TRUE(contains(out.text, "Provider:         not given"));
  EXPECT_TRUE(contains(out.text, "Concerns:         not given"));
  EXPECT_TRUE(contains(out.text, "Review date:      not given"));
}

// ---- Security ----

// Every string in the data, however deep, replaced by `text`.
json every_string_as(const json& data, std::string_view text) {
  if (data.is_string()) return std::string(text);
  json out = data;
  if (data.is_structured()) {
    for (auto& value : out) value = every_string_as(value, text);
  }
  return out;
}

TEST(TemplatesRender, EscapesProviderNameInHtml) {
  std::size_t checked = 0;
  for (const auto& mail : every_planned_mail()) {
    if (!mail.data.contains("provider")) continue;
    json data = mail.data;
    data["provider"]["name"] = kScript;
    const auto out = rendered(store::to_string(mail.kind), data);
    EXPECT_FALSE(contains(out.html, "<script")) << store::to_string(mail.kind);
    EXPECT_TRUE(contains(out.html, "&lt;script&gt;alert(1)&lt;/script&gt;")) << store::to_string(mail.kind);
    ++checked;
  }
  EXPECT_GE(checked, 10u);
}

TEST(TemplatesRender, EscapesEveryValueInHtml) {
  const std::string attack = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;";
  const std::string escaped = html_escaped(attack);
  for (const auto& mail : every_planned_mail()) {
    SCOPED_TRACE(store::to_string(mail.kind));
    const auto out = rendered(store::to_string(mail.kind), every_string_as(mail.data, attack));
    EXPECT_FALSE(contains(out.html, "<script"));
    EXPECT_FALSE(contains(out.html, "<img"));
    EXPECT_TRUE(contains(out.html, escaped));
    EXPECT_TRUE(contains(out.text, attack));
  }
}

TEST(TemplatesRender, TextKeepsProviderNameVerbatim) {
  for (const auto& mail : every_planned_mail()) {
    if (!mail.data.contains("provider")) continue;
    json data = mail.data;
    data["provider"]["name"] = "Smith & Sons \"Care\" <script>alert(1)</script>";
    const auto out = rendered(store::to_string(mail.kind), data);
    EXPECT_TRUE(contains(out.text, "Smith & Sons \"Care\" <script>alert(1)</script>")) << store::to_string(mail.kind);
    EXPECT_FALSE(contains(out.text, "&amp;")) << store::to_string(mail.kind);
    EXPECT_FALSE(contains(out.text, "&lt;")) << store::to_string(mail.kind);
  }
}

TEST(TemplatesRender, KeepsLineBreaksInOneLineValuesOnTheirLine) {
  for (const auto& mail : every_planned_mail()) {
    json data = mail.data;
    if (data.contains("provider")) data["provider"]["name"] = "Brookvale\r\nBcc: x@example.com\u2028To: y@example.com";
    data["subject"] = "ISP form\r\nBcc: x@example.com";
    data["sender"] = "isp@bolton.gov.uk\nBcc: x@example.com";
    const auto out = rendered(store::to_string(mail.kind), data);
    for (const auto& line : lines_of(out.text)) {
      EXPECT_FALSE(line.starts_with("Bcc:") || line.starts_with("To:")) << store::to_string(mail.kind) << ": " << line;
    }
    EXPECT_FALSE(contains(out.text, "\r")) << store::to_string(mail.kind);
    EXPECT_FALSE(contains(out.html, "\r")) << store::to_string(mail.kind);
  }
}

TEST(TemplatesRender, KeepsTheParagraphsOfTheDetails) {
  json data = find_kind(plan_new(test::complete_issue_form(), circulation_of(test::complete_issue_form())),
                        OutboxKind::circulation)
                  .data;
  data["details"] = "First line.\r\nSecond line.\r\n\r\n\r\n\r\nAfter a gap.";
  const auto out = rendered("circulation", data);
  EXPECT_TRUE(contains(out.text, "\nFirst line.\nSecond line.\n\nAfter a gap.\n"));
  EXPECT_TRUE(contains(out.html, "<p class=\"text\">First line.\nSecond line.\n\nAfter a gap.</p>"));
}

TEST(TemplatesRender, TemplatesNeverUseUnescapedTags) {
  const auto cmake = source_file("templates/CMakeLists.txt");
  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(ISPD_SOURCE_DIR) / "templates/mails")) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".mustache")) continue;
    ++files;
    const std::string text = test::read_file(entry.path());
    EXPECT_FALSE(contains(text, "{{{")) << name;
    EXPECT_FALSE(contains(text, "{{&")) << name;
    EXPECT_FALSE(contains(text, "{{=")) << name;
    EXPECT_TRUE(contains(cmake, "mails/" + name)) << name << " is not embedded";
  }
  EXPECT_EQ(files, 21u);
}

// Whether any tag has an attribute such as onload= or onClick = (letters after "on", then "=").
bool has_event_handler(const std::string& html) {
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<') in_tag = true;
    if (html[i] == '>') in_tag = false;
    const bool space = html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r';
    if (!in_tag || !space || i + 3 >= html.size() || lower(html[i + 1]) != 'o' || lower(html[i + 2]) != 'n') continue;
    std::size_t j = i + 3;
    while (j < html.size() && std::isalpha(static_cast<unsigned char>(html[j])) != 0) ++j;
    if (j == i + 3) continue;
    while (j < html.size() && (html[j] == ' ' || html[j] == '\t')) ++j;
    if (j < html.size() && html[j] == '=') return true;
  }
  return false;
}

TEST(TemplatesRender, EventHandlerCheckFindsOne) {
  EXPECT_TRUE(has_event_handler(R"html(<p class="x" onClick = "go()">)html"));
  EXPECT_TRUE(has_event_handler("<img\nonerror=alert(1)>"));
  EXPECT_FALSE(has_event_handler("<p>Left on=purpose, once</p>"));
  EXPECT_FALSE(has_event_handler(R"(<td class="one">)"));
}

TEST(TemplatesRender, HtmlLoadsNothingFromOutside) {
  for (const auto& mail : every_planned_mail()) {
    const auto out = rendered(mail);
    for (const std::string_view banned : {"<script", "<img", "<link", "<iframe", "<object", "<form",
                                          " src=", " href=", "url(", "http://", "https://", "@import"}) {
      EXPECT_FALSE(contains(out.html, banned)) << store::to_string(mail.kind);
    }
    // No event handler attributes (onload=, onclick=) in any tag.
    EXPECT_FALSE(has_event_handler(out.html)) << store::to_string(mail.kind);
  }
}

// ---- The acknowledgement ----

TEST(TemplatesRender, AcknowledgementNamesEachListInWords) {
  const auto mails =
      plan_for(example_form("internal-new-notification"), "commissioning.qa@bolton.gov.uk", "ISP-2026-0001");
  const auto out = rendered(find_kind(mails, OutboxKind::acknowledgement));
  for (const std::string_view list :
       {"Childrens Services via commissioning and placement teams \xE2\x80\x94 North West",
        "LADO \xE2\x80\x94 North West", "Safeguarding unit \xE2\x80\x94 North West",
        "Health (responsible ICB) \xE2\x80\x94 NHS Greater Manchester ICB"}) {
    EXPECT_TRUE(contains(out.text, "  - " + std::string(list) + "\n"));
    EXPECT_TRUE(contains(out.html, "<li>" + std::string(list) + "</li>"));
  }
  EXPECT_FALSE(contains(out.text, "north_west"));
  EXPECT_FALSE(contains(out.html, "childrens_services"));
}

TEST(TemplatesRender, AcknowledgementSaysTheReferenceWhatWasDoneAndTheReviewDate) {
  const auto mails =
      plan_for(example_form("internal-new-notification"), "commissioning.qa@bolton.gov.uk", "ISP-2026-0001");
  const auto out = rendered(find_kind(mails, OutboxKind::acknowledgement));
  EXPECT_TRUE(contains(out.text, "It has been logged as a new notification. Its reference is ISP-2026-0001."));
  EXPECT_TRUE(contains(out.text, "Review date: 1 May 2026."));
  EXPECT_TRUE(contains(out.text, "keeping [ISP-2026-0001] in the subject"));
  EXPECT_TRUE(contains(out.html, "<strong>1 May 2026</strong>"));
}

TEST(TemplatesRender, AcknowledgementSaysWhichChoicesWereNarrowedOrDroppedAndWhy) {
  const auto mails =
      plan_for(example_form("restricted-criminality"), "placements.commissioning@wigan.gov.uk", "ISP-2026-0002");
  const PlannedMail& acknowledgement = find_kind(mails, OutboxKind::acknowledgement);
  ASSERT_FALSE(acknowledgement.data["dropped"].empty());
  const auto out = rendered(acknowledgement);
  EXPECT_TRUE(contains(out.text, "Some of the circulation chosen on the form was narrowed or left out:"));
  EXPECT_TRUE(contains(out.text,
                       "Childrens Services via commissioning and placement teams \xE2\x80\x94 National: "
                       "restricted notifications go to the North West list only"));
  EXPECT_TRUE(contains(out.text,
                       "Adult's services via commissioning teams \xE2\x80\x94 Greater Manchester: "
                       "restricted notifications are not circulated to adult services"));
  EXPECT_TRUE(contains(out.html, html_escaped("Adult's services via commissioning teams")));
}

TEST(TemplatesRender, AcknowledgementSaysWhatNwadcsWillSendByHand) {
  Form form = test::complete_issue_form();
  Circulation circulation = circulation_of(form);
  circulation.by_hand = {{"health", "area:Cumbria", "no list is configured for health for the area \"Cumbria\""}};
  const auto out = rendered(find_kind(plan_new(form, circulation), OutboxKind::acknowledgement));
  EXPECT_TRUE(contains(out.text,
                       "NWADCS will send it by hand where no mailing list is set up:\n"
                       "  - Health (responsible ICB) \xE2\x80\x94 Cumbria: no list is configured for health "
                       "for the area \"Cumbria\""));
  EXPECT_TRUE(contains(out.html, "Cumbria: no list is configured for health for the area &quot;Cumbria&quot;"));
}

TEST(TemplatesRender, AcknowledgementOfANotificationNobodyReceivedSaysSo) {
  Circulation circulation;
  circulation.classification = "OFFICIAL";
  const auto out = rendered(find_kind(plan_new(test::complete_issue_form(), circulation), OutboxKind::acknowledgement));
  EXPECT_TRUE(contains(out.text, "It has not been circulated by e-mail"));
  EXPECT_FALSE(contains(out.text, "It has been circulated to:"));
}

TEST(TemplatesRender, AcknowledgementOfARescindSaysItIsRescinded) {
  const auto mails = plan_for(example_form("rescind"), "childrens.commissioning@salford.gov.uk", "ISP-2026-0003");
  const auto out = rendered(find_kind(mails, OutboxKind::acknowledgement));
  EXPECT_TRUE(contains(out.text, "The notification has been rescinded. Its reference is ISP-2026-0003."));
  EXPECT_TRUE(contains(out.text, "This notification was not in the ISP log"));
  EXPECT_FALSE(contains(out.text, "Review date:"));
}

// ---- The returned mail ----

TEST(TemplatesRender, ReturnedListsEveryProblem) {
  Form form = test::complete_issue_form();
  form.details.reset();
  form.concerns.clear();
  form.issuing_agency.officer_phone.reset();
  const auto mails = plan_returned(form, "");
  const PlannedMail& returned = find_kind(mails, OutboxKind::returned);
  ASSERT_EQ(returned.data["problems"].size(), 3u);
  const auto out = rendered(returned);
  int number = 0;
  for (const auto& problem : returned.data["problems"]) {
    const std::string message = problem.get<std::string>();
    EXPECT_TRUE(contains(out.text, "  " + std::to_string(++number) + ". " + message + "\n"));
    EXPECT_TRUE(contains(out.html, "<li class=\"text\">" + html_escaped(message) + "</li>"));
  }
  EXPECT_TRUE(contains(out.text, "3 things need putting right first"));
  EXPECT_TRUE(contains(out.text, "Please correct the form and send it again to this mailbox.\n"));
  EXPECT_FALSE(contains(out.text, "keeping ["));
}

TEST(TemplatesRender, ReturnedAsksForTheReferenceInTheSubjectWhenThereIsOne) {
  FormDecision decision = decided(FormAction::returned);
  decision.problems = {{12, "Section 12: the details are missing."}};
  const auto mails = protocol::plan_form_mails(replyable_mail(), test::complete_issue_form(), decision, "ISP-2026-0007",
                                               Circulation{}, kNwadcs);
  const auto out = rendered(find_kind(mails, OutboxKind::returned));
  EXPECT_TRUE(contains(out.text, "1 thing needs putting right first"));
  EXPECT_TRUE(contains(out.text,
                       "correct the form and send it again to this mailbox, keeping [ISP-2026-0007] in "
                       "the subject."));
  EXPECT_TRUE(contains(out.html, "keeping [ISP-2026-0007] in the subject."));
}

TEST(TemplatesRender, ReturnedNamesEachUnreadableFileAndWhatToSend) {
  const auto mails = plan_unreadable_files();
  const auto out = rendered(find_kind(mails, OutboxKind::returned));
  EXPECT_TRUE(contains(out.text, "  - ISP Brookvale.doc is an old Word 97-2003 .doc file; please save it as .docx"));
  EXPECT_TRUE(contains(out.text, "  - ISP Brookvale.pdf is a PDF, not the Word form; please send the Word form"));
  EXPECT_TRUE(contains(out.text, "as a Word document (.docx)"));
  EXPECT_TRUE(contains(out.text, "Please keep [ISP-2026-0007] in the subject."));
  EXPECT_TRUE(contains(out.html, "<li><strong>ISP Brookvale.pdf</strong> is a PDF, not the Word form"));
  EXPECT_FALSE(contains(out.text, "It has not been logged or circulated yet"));
}

// ---- The circulation ----

TEST(TemplatesRender, CirculationMarksClassificationTopAndBottom) {
  const auto mails =
      plan_for(example_form("restricted-criminality"), "placements.commissioning@wigan.gov.uk", "ISP-2026-0002");
  const auto out = rendered(find_kind(mails, OutboxKind::circulation));
  const auto lines = non_empty_lines(out.text);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), "OFFICIAL-SENSITIVE");
  EXPECT_EQ(lines.back(), "OFFICIAL-SENSITIVE");
  const std::string marking = "<p class=\"classification\">OFFICIAL-SENSITIVE</p>";
  EXPECT_TRUE(contains(out.html, "<body>\n" + marking + "\n<main>"));
  EXPECT_TRUE(out.html.ends_with("</main>\n" + marking + "\n</body>\n</html>\n"));
}

TEST(TemplatesRender, CirculationNeverMarksLowerThanTheFormAsksWhenTheClassificationIsMissing) {
  json data = find_kind(plan_new(test::complete_issue_form(), circulation_of(test::complete_issue_form())),
                        OutboxKind::circulation)
                  .data;
  data.erase("classification");
  data["confidentiality"] = "confidential";
  EXPECT_EQ(non_empty_lines(rendered("circulation", data).text).front(), "OFFICIAL-SENSITIVE");
  data["confidentiality"] = "internal";
  EXPECT_EQ(non_empty_lines(rendered("circulation", data).text).front(), "OFFICIAL");
}

TEST(TemplatesRender, CirculationShowsKeysInTheFormsOwnWords) {
  const auto mails =
      plan_for(example_form("internal-new-notification"), "commissioning.qa@bolton.gov.uk", "ISP-2026-0001");
  const auto out = rendered(find_kind(mails, OutboxKind::circulation));
  EXPECT_TRUE(contains(out.text, "Service types:    Residential\n"));
  EXPECT_TRUE(contains(out.text, "Concerns:         Safeguarding, Quality\n"));
  EXPECT_TRUE(contains(out.text, "Actions taken:    Actively reviewing placement(s), Action or Improvement Plan\n"));
  EXPECT_TRUE(contains(out.text,
                       "Confidentiality:  Internal: Can be shared with the named provider and ISP partners "
                       "only\n"));
  EXPECT_TRUE(contains(out.html, "<th scope=\"row\">Concerns</th><td>Safeguarding, Quality</td>"));
  for (const std::string_view key : {"reviewing_placements", "action_plan", "residential", "internal"}) {
    EXPECT_FALSE(contains(out.text, key));
  }
}

TEST(TemplatesRender, CirculationGivesTheSummaryOfficerContactAndSaysTheFormIsAttached) {
  const auto mails =
      plan_for(example_form("internal-new-notification"), "commissioning.qa@bolton.gov.uk", "ISP-2026-0001");
  const PlannedMail& circulation = find_kind(mails, OutboxKind::circulation);
  const auto out = rendered(circulation);
  EXPECT_TRUE(contains(out.text, "ISP notification ISP-2026-0001: Brookvale Care Ltd\n"));
  EXPECT_TRUE(contains(out.text, "Company number:   10482736\n"));
  EXPECT_TRUE(contains(out.text, "Setting:          Brookvale House (Ofsted URN SC512848, CQC URN not given)\n"));
  EXPECT_TRUE(contains(out.text, "Review date:      1 May 2026\n"));
  EXPECT_TRUE(contains(out.text, "Name:       Team Manager, Commissioning\n"));
  EXPECT_TRUE(contains(out.text, "E-mail:     commissioning.qa@bolton.gov.uk\n"));
  EXPECT_TRUE(contains(out.text, "Telephone:  0161 496 0123\n"));
  EXPECT_TRUE(contains(out.text, "The form is attached."));
  EXPECT_TRUE(contains(out.html, "<p>The form is attached.</p>"));
  EXPECT_TRUE(contains(out.html, "<caption><h2>Issuing officer</h2></caption>"));
  const std::string details = circulation.data["details"].get<std::string>();
  EXPECT_TRUE(contains(out.text, "Details\n" + details + "\n"));
}

TEST(TemplatesRender, CirculationOfARescindCarriesItsOutcomes) {
  const auto mails = plan_for(example_form("rescind"), "childrens.commissioning@salford.gov.uk", "ISP-2026-0003");
  const PlannedMail& circulation = find_kind(mails, OutboxKind::circulation);
  ASSERT_TRUE(circulation.data["rescind"].is_object());
  const auto out = rendered(circulation);
  EXPECT_TRUE(contains(out.text, "ISP notification rescinded ISP-2026-0003: Pennine Bridge Residential Services Ltd"));
  EXPECT_TRUE(contains(out.text, "\nRescinded\n  Date rescinded:        "));
  for (const auto& outcome : circulation.data["rescind"]["outcomes"]) {
    const auto words = form_words("outcome", outcome.get<std::string>());
    ASSERT_TRUE(words.has_value());
    EXPECT_TRUE(contains(out.text, *words));
  }
  EXPECT_FALSE(contains(out.text, "Review date:"));
}

TEST(TemplatesRender, CirculationOfAProviderResponseCarriesTheResponse) {
  Form form = test::complete_issue_form();
  form.stage = Stage::provider_response;
  form.provider_response = "We accept the findings and have recruited two night staff.";
  const auto mails = protocol::plan_form_mails(replyable_mail(), form, decided(FormAction::provider_response),
                                               "ISP-2026-0007", circulation_of(form), kNwadcs);
  const auto out = rendered(find_kind(mails, OutboxKind::circulation));
  EXPECT_TRUE(contains(out.text, "ISP notification update ISP-2026-0007: Brookvale Care Ltd"));
  EXPECT_TRUE(contains(out.text, "\nProvider response\nWe accept the findings and have recruited two night staff.\n"));
  EXPECT_TRUE(contains(out.html, "<h2>Provider response</h2>"));
}

// ---- Attention ----

TEST(TemplatesRender, AttentionForAFormSaysWhyAndNamesTheProvider) {
  const auto mails = plan_attention(test::complete_issue_form());
  const auto out = rendered(find_kind(mails, OutboxKind::attention));
  EXPECT_TRUE(contains(out.text,
                       "Why: Several open notifications from Bolton Council about this provider: "
                       "ISP-2026-0003, ISP-2026-0005; which one this form concerns needs a person.\n"));
  EXPECT_TRUE(contains(out.text, "Provider:        Brookvale Care Ltd\n"));
  EXPECT_TRUE(contains(out.text, "Stage:           Issue (Section A)\n"));
  EXPECT_TRUE(contains(out.text, "the sender has not been told"));
  EXPECT_FALSE(contains(out.text, "A mail to the ISP mailbox needs"));
}

TEST(TemplatesRender, AttentionForAMailSaysWhyAndWhetherTheSenderWasTold) {
  const auto stranger = rendered(find_kind(plan_unknown_sender(), OutboxKind::attention));
  EXPECT_TRUE(contains(stranger.text,
                       "Why: The sender's domain example.com is not a configured authority; nothing "
                       "was circulated.\n"));
  EXPECT_TRUE(contains(stranger.text, "The sender has not been told anything."));
  EXPECT_FALSE(contains(stranger.text, "A form sent to the ISP mailbox"));
  // The mail is stored, so it can be run again.
  EXPECT_TRUE(contains(stranger.text, "it can be run again with ispd reprocess"));
  EXPECT_TRUE(contains(stranger.html, "it can be run again with ispd reprocess"));

  const auto unreadable = rendered(find_kind(plan_unreadable_files(), OutboxKind::attention));
  EXPECT_TRUE(contains(unreadable.text, "Files that could not be read:\n  - ISP Brookvale.doc is an old Word"));
  EXPECT_TRUE(contains(unreadable.text, "The sender has been sent a reply naming each file"));
  EXPECT_TRUE(contains(unreadable.text, "(Bolton Council)"));
}

TEST(TemplatesRender, AttentionForADeliveryFailureSaysWhatNwadcsShouldDo) {
  for (const std::string kind : {"rejected", "bounced", "gave_up"}) {
    SCOPED_TRACE(kind);
    const auto out = rendered("attention", delivery_failure(kind));
    EXPECT_TRUE(contains(out.text, "A partner did not receive a notice sent by the ISP mailbox."));
    EXPECT_TRUE(contains(out.text, "  Sent to:    isp@gmp.police.uk"));
    EXPECT_TRUE(contains(out.text, "Reference:  ISP-2026-0007\n"));
    EXPECT_TRUE(contains(out.text, "Recipient address rejected: User unknown"));
    EXPECT_TRUE(contains(out.text, "Check the address on the circulation list"));
    EXPECT_TRUE(contains(out.text, "Send the notice to them by hand: the form for ISP-2026-0007 is in the log."));
    EXPECT_TRUE(contains(out.html, "&lt;isp-2026-0007.1@isp.example&gt;"));
    EXPECT_FALSE(contains(out.text, "A mail to the ISP mailbox needs"));
  }
  EXPECT_TRUE(contains(rendered("attention", delivery_failure("rejected")).text, "refused it"));
  EXPECT_TRUE(contains(rendered("attention", delivery_failure("bounced")).text, "came back undelivered"));
  const auto gave_up = rendered("attention", delivery_failure("gave_up"));
  EXPECT_TRUE(contains(gave_up.text, "stopped trying"));
  EXPECT_TRUE(contains(gave_up.text, "  Sent to:    isp@gmp.police.uk, lado@wigan.gov.uk\n"));
}

TEST(TemplatesRender, AttentionForADeliveryFailureWithoutAReferenceStillSaysWhatToDo) {
  json data = delivery_failure("bounced");
  data["failure"]["reference"] = nullptr;
  const auto out = rendered("attention", data);
  EXPECT_TRUE(contains(out.text, "Reference:  not given\n"));
  EXPECT_TRUE(contains(out.text, "Send the notice to them by hand.\n"));
}

// ---- The log ----

TEST(TemplatesRender, LogSaysWhatNwadcsMustDo) {
  FormDecision decision = decided(FormAction::log_new);
  decision.possible_duplicates = {"ISP-2026-0002", "ISP-2026-0004"};
  decision.not_in_log = true;
  Circulation circulation = circulation_of(test::complete_issue_form());
  circulation.by_hand = {{"health", "area:Cumbria", "no list is configured for health for the area \"Cumbria\""}};
  const auto mails = protocol::plan_form_mails(replyable_mail(), test::complete_issue_form(), decision, "ISP-2026-0008",
                                               circulation, kNwadcs);
  const auto out = rendered(find_kind(mails, OutboxKind::log));
  EXPECT_TRUE(contains(out.text, "Logged as a new notification: ISP-2026-0008\n\nACTION NEEDED\n"));
  EXPECT_TRUE(contains(out.text, "the same concern: ISP-2026-0002, ISP-2026-0004."));
  EXPECT_TRUE(contains(out.text, "not in the log"));
  EXPECT_TRUE(contains(out.text, "      Health (responsible ICB) \xE2\x80\x94 Cumbria: no list is configured"));
  EXPECT_TRUE(contains(out.text, "Circulated:       Yes, to 4 recipients\n"));
  EXPECT_TRUE(contains(out.html, "<h2>Action needed</h2>"));
}

TEST(TemplatesRender, LogOfAReturnedFormListsTheProblemsAndWhetherTheSenderWasTold) {
  FormDecision decision = decided(FormAction::returned);
  decision.problems = {{12, "Section 12: the details are missing."}};
  MailDecision mail = replyable_mail();
  mail.may_reply = false;
  const auto mails = protocol::plan_form_mails(mail, test::complete_issue_form(), decision, "", Circulation{}, kNwadcs);
  const auto out = rendered(find_kind(mails, OutboxKind::log));
  EXPECT_TRUE(contains(out.text, "Returned to the sender to be corrected\n"));
  EXPECT_TRUE(contains(out.text, "the sender was not told"));
  EXPECT_TRUE(contains(out.text, "  1. Section 12: the details are missing.\n"));
  EXPECT_TRUE(contains(out.text, "Sender told:      No\n"));
}

TEST(TemplatesRender, LogWithNothingToDoHasNoActionNeeded) {
  const auto mails = plan_new(test::complete_issue_form(), circulation_of(test::complete_issue_form()));
  const auto out = rendered(find_kind(mails, OutboxKind::log));
  EXPECT_FALSE(contains(out.text, "ACTION NEEDED"));
  EXPECT_FALSE(contains(out.html, "Action needed"));
  EXPECT_TRUE(contains(out.text, "Sender told:      Yes\n"));
}

// ---- Words ----

TEST(TemplatesWords, EveryKeyOfTheFormHasItsOwnWords) {
  const auto check = [](std::string_view field, const auto& keys) {
    for (const std::string_view key : keys) {
      const auto words = form_words(field, key);
      ASSERT_TRUE(words.has_value()) << field << " " << key;
      EXPECT_NE(*words, key) << field;
    }
  };
  check("audience", kAudiences);
  check("service_type", kServiceTypes);
  check("contract", kContracts);
  check("concern", kConcerns);
  check("action", kActions);
  check("contractual_action", kContractualActions);
  check("outcome", kOutcomes);
  check("contractual_outcome", kContractualOutcomes);
  check("placement_outcome", kPlacementOutcomes);
  check("confidentiality", std::vector<std::string_view>{"restricted", "confidential", "internal"});
  check("scope", std::vector<std::string_view>{"north_west", "national", "area"});
  check("affected", std::vector<std::string_view>{"whole_organisation", "setting_only"});
  check("stage", std::vector<std::string_view>{"issue", "provider_response", "rescind"});
  EXPECT_EQ(form_words("service_type", "send_school_or_college"), "SEND School or College");
  EXPECT_EQ(form_words("action", "lado_or_pipot_referral"), "LADO or PIPOT referral made");
  EXPECT_FALSE(form_words("concern", "residential").has_value());
}

TEST(TemplatesWords, ShowsAKeyTheFormDoesNotHaveAsPlainWords) {
  json data = find_kind(plan_new(test::complete_issue_form(), circulation_of(test::complete_issue_form())),
                        OutboxKind::circulation)
                  .data;
  data["concerns"] = {"safeguarding", "some_new_concern"};
  EXPECT_TRUE(contains(rendered("circulation", data).text, "Concerns:         Safeguarding, some new concern\n"));
}

// ---- Chasers ----

store::Notification chased_notification(Confidentiality confidentiality) {
  store::Notification n;
  n.reference = "ISP-2026-0007";
  n.form = test::complete_issue_form();
  n.form.confidentiality = confidentiality;
  n.confidentiality = confidentiality;
  n.agency = "Bolton Council";
  n.provider_name = n.form.provider.name;
  n.review_date = Date{std::chrono::year{2026}, std::chrono::May, std::chrono::day{1}};
  return n;
}

PlannedMail chaser_mail(protocol::ChaserStep step, Confidentiality confidentiality = Confidentiality::internal,
                        bool copy_nwadcs = false) {
  const auto n = chased_notification(confidentiality);
  protocol::ChaserDecision decision;
  decision.step = step;
  decision.review_date = *n.review_date;
  decision.due = protocol::chaser_due(step, *n.review_date, std::nullopt);
  decision.copy_nwadcs = copy_nwadcs;
  decision.remind_provider = confidentiality != Confidentiality::internal;
  const auto mail = protocol::plan_chaser_mail(n, decision, std::nullopt, kNwadcs);
  EXPECT_TRUE(mail.has_value());
  return mail.value_or(PlannedMail{});
}

using Step = protocol::ChaserStep;

TEST(TemplatesRender, ChaserBeforeTheReviewDateSaysWhenAndWhatToDo) {
  const auto out = rendered(chaser_mail({Step::Kind::before, 0}));
  EXPECT_TRUE(contains(out.text,
                       "The review date of ISP notification ISP-2026-0007 about Brookvale Care Ltd is in 14 "
                       "days, on 1 May 2026."));
  EXPECT_TRUE(contains(out.text, "send the form again with a later review date"));
  EXPECT_TRUE(contains(out.text, "send the rescind form"));
  EXPECT_TRUE(contains(out.text, "keeping [ISP-2026-0007] in the subject"));
  EXPECT_FALSE(contains(out.text, "provider can now be told").operator bool());
  EXPECT_FALSE(contains(out.text, "NWADCS has been copied").operator bool());
  EXPECT_TRUE(contains(out.html, "is in 14 days, on 1 May 2026."));
}

TEST(TemplatesRender, ChaserOnTheReviewDateSaysToday) {
  const auto out = rendered(chaser_mail({Step::Kind::on, 0}));
  EXPECT_TRUE(contains(out.text, "is today, 1 May 2026."));
  EXPECT_TRUE(contains(out.html, "is today, 1 May 2026."));
}

TEST(TemplatesRender, OverdueChaserCountsTheWeeksAndSaysNwadcsWasCopied) {
  const auto one = rendered(chaser_mail({Step::Kind::overdue, 1}));
  EXPECT_TRUE(contains(one.text, "was due for review on 1 May 2026, 1 week ago, and it is still open."));
  const auto third = rendered(chaser_mail({Step::Kind::overdue, 3}, Confidentiality::internal, true));
  EXPECT_TRUE(contains(third.text, "3 weeks ago"));
  EXPECT_TRUE(contains(third.text, "NWADCS has been copied, as the review is 3 weeks overdue."));
  EXPECT_TRUE(contains(third.html, "NWADCS has been copied, as the review is 3 weeks overdue."));
}

TEST(TemplatesRender, ChaserOfAConfidentialNotificationRemindsTheOfficerAboutTheProvider) {
  for (const auto confidentiality : {Confidentiality::confidential, Confidentiality::restricted}) {
    const auto out = rendered(chaser_mail({Step::Kind::on, 0}, confidentiality));
    const std::string level(to_string(confidentiality));
    EXPECT_TRUE(contains(out.text, "Please also review whether the provider can now be told")) << level;
    EXPECT_TRUE(contains(out.html, "Please also review whether the provider can now be told")) << level;
    EXPECT_TRUE(contains(out.text, "Classification:   OFFICIAL-SENSITIVE")) << level;
  }
}

TEST(TemplatesRender, CloseRequestAsksNwadcsToCloseIt) {
  const auto mail = chaser_mail({Step::Kind::close_request, 0});
  EXPECT_EQ(mail.to, std::vector<std::string>{std::string(kNwadcs)});
  const auto out = rendered(mail);
  EXPECT_TRUE(contains(out.text,
                       "passed its review date on 1 May 2026, and nothing has been heard from the "
                       "issuing agency for six months"));
  EXPECT_TRUE(contains(out.text, "ispd close --config FILE ISP-2026-0007"));
  EXPECT_TRUE(contains(out.html, "ispd close --config FILE ISP-2026-0007"));
  EXPECT_TRUE(contains(out.text, "reply to this mail with CLOSE as the first word of your reply"));
  EXPECT_TRUE(contains(out.html, "reply to this mail with <strong>CLOSE</strong> as the first word"));
  EXPECT_FALSE(contains(out.text, "As its issuing officer").operator bool());
}

TEST(TemplatesRender, ChaserEscapesTheProviderNameInHtml) {
  auto mail = chaser_mail({Step::Kind::on, 0});
  mail.data["provider"]["name"] = std::string(kScript);
  const auto out = rendered(mail);
  EXPECT_TRUE(contains(out.html, html_escaped(kScript)));
  EXPECT_FALSE(contains(out.html, kScript).operator bool());
  EXPECT_TRUE(contains(out.text, kScript));
}

TEST(TemplatesRender, LogOfAClosureSaysNwadcsClosedIt) {
  const json data = {{"reference", "ISP-2026-0007"}, {"action", "close"}, {"agency", "Bolton Council"}};
  const auto out = rendered("log", data);
  EXPECT_TRUE(contains(out.text, "Closed by NWADCS: no further concerns: ISP-2026-0007"));
  EXPECT_TRUE(contains(out.text, "Closed by:        NWADCS"));
  EXPECT_FALSE(contains(out.text, "Sender told").operator bool());
  EXPECT_TRUE(contains(out.html, "<tr><th scope=\"row\">Closed by</th><td>NWADCS</td></tr>"));
}

// ---- NWADCS's scheduled mails ----

json digest_data() {
  return {{"period", {{"from", "2026-12-02"}, {"last", "2026-12-02"}}},
          {"one_day", true},
          {"counts",
           {{"received", 7},
            {"logged", 2},
            {"updated", 1},
            {"rescinded", 0},
            {"closed", 0},
            {"circulated", 3},
            {"returned", 1},
            {"attention", 1},
            {"ignored", 2},
            {"failures", 1},
            {"open", 40},
            {"overdue", 1},
            {"waiting", 1}}},
          {"overdue",
           {{{"reference", "ISP-2026-0007"},
             {"agency", "Bolton Council"},
             {"provider", "Brookvale Care Ltd"},
             {"review_date", "2026-11-20"}}}},
          {"waiting",
           {{{"received", "2 December 2026 at 09:00"},
             {"message_id", "odd@example.org"},
             {"reason", "the sender's domain is not an authority"}}}},
          {"failed_mails",
           {{{"reference", "ISP-2026-0009"},
             {"subject", "OFFICIAL [ISP-2026-0009] circulation"},
             {"recipients", "gone@wigan.gov.uk"},
             {"reply", "550 no such user"}}}},
          {"more_failed", 3},
          {"attention_folder", "ISP/Needs attention"}};
}

TEST(TemplatesRender, DigestGivesTheDaysCountsAndWhatNeedsAPerson) {
  const auto out = rendered("digest", digest_data());
  for (const auto& body : {out.text, out.html}) {
    EXPECT_TRUE(contains(body, "ISP mailbox digest for 2 December 2026")) << body;
    EXPECT_TRUE(contains(body, "OFFICIAL-SENSITIVE"));
    EXPECT_TRUE(contains(body, "ISP-2026-0007, Brookvale Care Ltd (Bolton Council): review date 20 November 2026"));
    EXPECT_TRUE(contains(body, "odd@example.org"));
    EXPECT_TRUE(contains(body, "domain is not an authority"));
    EXPECT_TRUE(contains(body, "550 no such user"));
    EXPECT_TRUE(contains(body, "and 3 more"));
    EXPECT_TRUE(contains(body, "ISP/Needs attention"));
  }
  EXPECT_TRUE(contains(out.text, "Mails received:              7"));
  EXPECT_TRUE(contains(out.text, "Open notifications:          40"));
  EXPECT_TRUE(contains(out.html, "<tr><th scope=\"row\">Mails received</th><td>7</td></tr>"));
}

TEST(TemplatesRender, DigestOfSeveralDaysGivesTheirRange) {
  auto data = digest_data();
  data["period"] = {{"from", "2026-11-28"}, {"last", "2026-12-02"}};
  data["one_day"] = false;
  const auto out = rendered("digest", data);
  EXPECT_TRUE(contains(out.text, "ISP mailbox digest from 28 November 2026 to 2 December 2026"));
}

TEST(TemplatesRender, DigestOfAQuietDayHasNoEmptyLists) {
  auto data = digest_data();
  data["overdue"] = json::array();
  data["waiting"] = json::array();
  data["failed_mails"] = json::array();
  data.erase("more_failed");
  const auto out = rendered("digest", data);
  EXPECT_FALSE(contains(out.text, "OVERDUE FOR REVIEW"));
  EXPECT_FALSE(contains(out.text, "WAITING FOR A PERSON"));
  EXPECT_FALSE(contains(out.text, "NOT DELIVERED"));
  EXPECT_FALSE(contains(out.html, "<ul>"));
}

TEST(TemplatesRender, DigestEscapesWhatCameFromOutsideInHtml) {
  auto data = digest_data();
  data["waiting"][0]["reason"] = "<script>alert(1)</script>";
  data["failed_mails"][0]["subject"] = "<img src=x onerror=alert(1)>";
  const auto out = rendered("digest", data);
  EXPECT_FALSE(contains(out.html, "<script>"));
  EXPECT_FALSE(contains(out.html, "<img"));
  EXPECT_TRUE(contains(out.html, "&lt;script&gt;"));
}

TEST(TemplatesRender, SpreadsheetNamesTheMonthTheFileAndTheRestrictedRows) {
  const json data = {{"month_name", "November 2026"},
                     {"rows", 12},
                     {"restricted_rows", 2},
                     {"file_name", "ISP notifications 2026-11.xlsx"},
                     {"classification", "OFFICIAL-SENSITIVE"}};
  const auto out = rendered("spreadsheet", data);
  for (const auto& body : {out.text, out.html}) {
    EXPECT_TRUE(contains(body, "The ISP spreadsheet for November 2026 is attached (ISP notifications 2026-11.xlsx)"));
    EXPECT_TRUE(contains(body, "the 12 notifications open at any time in November 2026"));
    EXPECT_TRUE(contains(body, "2 of them are restricted"));
    EXPECT_TRUE(contains(body, "OFFICIAL-SENSITIVE"));
  }
  json none = data;
  none.erase("restricted_rows");
  EXPECT_FALSE(contains(rendered("spreadsheet", none).text, "restricted"));
}

TEST(TemplatesRender, AlertSaysWhatIsWrongAndWhatToDo) {
  const json data = {{"reason", "Since 3 December 2026 at 09:00, ispd has not been able to use the ISP mailbox."},
                     {"alert_lines", {"The last error: Login denied"}},
                     {"advice", "Check the mailbox's password."},
                     {"alert_every", "24 hours"}};
  const auto out = rendered("alert", data);
  for (const auto& body : {out.text, out.html}) {
    EXPECT_TRUE(contains(body, "Since 3 December 2026 at 09:00, ispd has not been able to use the ISP mailbox."));
    EXPECT_TRUE(contains(body, "The last error: Login denied"));
    EXPECT_TRUE(contains(body, "at most once every 24 hours"));
  }
  EXPECT_TRUE(contains(out.text, "WHAT TO DO\nCheck the mailbox's password."));
}

}  // namespace
}  // namespace ispd::templates
