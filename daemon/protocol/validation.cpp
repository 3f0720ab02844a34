#include "daemon/protocol/validation.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <set>
#include <utility>

#include "daemon/protocol/calendar.hpp"
#include "parsing/dates.hpp"
#include "util/text.hpp"

namespace ispd::protocol {

namespace {

// A form's own text is echoed back to its sender, so keep the echo short.
constexpr std::size_t kMaxQuoted = 80;

using text::is_alnum;
using text::is_alpha;
using text::is_digit;
using text::is_space;
using text::is_upper;
using text::lower;
using text::lowercase;
using text::present;
using text::trimmed;
using text::upper;

constexpr std::string_view kRemovePersonalData = "remove personal data of children or named individuals.";

// dd/mm/yyyy, as officers write dates.
std::string british(const Date& date) {
  const auto two_digits = [](unsigned value) {
    return std::string{static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
  };
  return two_digits(static_cast<unsigned>(date.day())) + "/" + two_digits(static_cast<unsigned>(date.month())) + "/" +
         std::to_string(static_cast<int>(date.year()));
}

// The form's own words, shortened, for quoting back to the sender.
std::string quoted(std::string_view text) {
  text = trimmed(text);
  if (text.size() <= kMaxQuoted) return std::string(text);
  std::size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  return std::string(text.substr(0, cut)) + "...";
}

// ---- The form's sections ----

bool contains(const std::vector<std::string>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

class Checker {
 public:
  Checker(const Form& form, const CheckContext& context) : form_(form), context_(context) {
    for (const auto* email :
         {&form.issuing_agency.officer_email, form.rescind ? &form.rescind->officer_email : nullptr}) {
      if (email && present(*email)) known_.emails.emplace_back(trimmed(**email));
    }
    if (present(form.issuing_agency.officer_phone)) known_.phones.push_back(*form.issuing_agency.officer_phone);
  }

  std::vector<Problem> run() {
    check_section_a();
    if (present(form_.provider_response)) check_provider_response();
    if (form_.stage == Stage::rescind || section_b_started()) check_section_b();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) { return a.section < b.section; });
    return std::move(problems_);
  }

 private:
  // Officers often tick Yes in all three data minimisation boxes; that alone is not a rescind.
  bool section_b_started() const {
    if (!form_.rescind) return false;
    const Rescind& r = *form_.rescind;
    return r.date || present(r.officer_name) || present(r.officer_email) || !r.outcomes.empty() ||
           present(r.outcome_explanation) || !r.contractual_outcomes.empty() || present(r.contractual_outcome_other) ||
           !r.placement_outcomes.empty() || present(r.placement_outcome_other) || present(r.additional_information);
  }

  void add(int section, std::string_view text) {
    problems_.push_back({section, "Section " + std::to_string(section) + ": " + std::string(text)});
  }

  void require(int section, const Text& field, std::string_view text) {
    if (!present(field)) add(section, text);
  }

  void require_email(int section, const Text& field, std::string_view whose) {
    if (!present(field)) {
      add(section, std::string(whose) + " e-mail address is missing.");
    } else if (!is_email_address(trimmed(*field))) {
      add(section, std::string(whose) + " e-mail address \"" + quoted(*field) +
                       "\" does not look like an e-mail address; give one such as name@council.gov.uk.");
    }
  }

  // The "Other" box ticked but nothing said about it.
  void require_other(int section, const std::vector<std::string>& ticked, const Text& other, std::string_view text) {
    if (contains(ticked, "other") && !present(other)) add(section, text);
  }

  void require_data_minimisation(int section, const std::optional<bool>& confirmed) {
    if (!confirmed) {
      add(section,
          "the data minimisation confirmation is not answered; check that the form holds no personal data of "
          "children or named individuals and tick Yes.");
    } else if (!*confirmed) {
      add(section,
          "you ticked No for data minimisation: remove any personal data of children or named individuals "
          "and tick Yes.");
    }
  }

  // `subject` is the field in words with its verb: "the details seem".
  void scan(int section, const Text& field, std::string_view subject, bool contacts_allowed) {
    if (!present(field)) return;
    for (const auto& finding : find_personal_data(*field, known_)) {
      if (contacts_allowed &&
          (finding.kind == PersonalData::email_address || finding.kind == PersonalData::phone_number)) {
        continue;
      }
      add(section, std::string(subject) + " to include " + std::string(what(finding.kind)) + " (" + finding.masked +
                       "); " + std::string(kRemovePersonalData));
    }
  }

  void check_section_a() {
    // Section 1
    if (!form_.confidentiality) {
      add(1, "no confidentiality level is ticked; tick Restricted, Confidential or Internal.");
    } else if (*form_.confidentiality != Confidentiality::internal && !present(form_.not_shared_justification)) {
      add(1, std::string("the notification is ticked ") +
                 (*form_.confidentiality == Confidentiality::restricted ? "Restricted" : "Confidential") +
                 ", so it needs a justification for not sharing it with the provider, including a point at "
                 "which this can be reviewed.");
    }
    scan(1, form_.not_shared_justification, "the justification for not sharing seems", false);

    // Section 2
    const auto& agency = form_.issuing_agency;
    require(2, agency.agency, "the agency issuing the ISP is missing.");
    require(2, agency.officer_name, "the officer's name is missing.");
    require_email(2, agency.officer_email, "the officer's");
    require(2, agency.officer_phone, "the officer's telephone number is missing.");
    check_review_date();

    // Section 3
    if (form_.circulation.empty()) {
      add(3, "no circulation is ticked; tick at least one audience under North West, National or Specify area.");
    }
    for (const auto& choice : form_.circulation) {
      if (choice.scope == Scope::area && !present(choice.area)) {
        add(3, "\"Specify area\" is ticked for " + std::string(audience_names(choice.audience).on_form) +
                   " but no area is named; write the area's name in that box.");
      }
    }

    // Section 4
    require(4, form_.provider.name, "the provider's organisation name is missing.");

    // Sections 6 to 11
    if (form_.service_types.empty()) add(6, "no type of service is ticked; tick at least one.");
    require_other(6, form_.service_types, form_.service_type_other,
                  "\"Other\" type of service is ticked but the service is not described; say what it is.");
    scan(6, form_.service_type_other, "the other type of service seems", false);
    require_other(7, form_.contracts, form_.contract_other,
                  "\"Other\" contractual relationship is ticked but not specified; say what it is.");
    scan(7, form_.contract_other, "the other contractual relationship seems", false);
    if (form_.concerns.empty()) add(8, "no type of concern is ticked; tick at least one.");
    require_other(8, form_.concerns, form_.concern_other,
                  "\"Other\" concern is ticked but not specified; describe it, making clear what are "
                  "allegations and what are proven facts.");
    scan(8, form_.concern_other, "the other concern seems", false);
    scan(9, form_.regulator_informed, "the answer about regulators seems", false);
    scan(9, form_.other_agencies, "the answer about other agencies seems", false);
    require_other(10, form_.actions, form_.action_other,
                  "\"Other actions\" is ticked but the actions are not specified; say what they are.");
    scan(10, form_.action_other, "the other actions seem", false);
    require_other(11, form_.contractual_actions, form_.contractual_action_other,
                  "\"Other\" contractual action is ticked but not specified; say what it is.");
    scan(11, form_.contractual_action_other, "the other contractual action seems", false);

    // Sections 12 and 13
    require(12, form_.details,
            "the details are missing; describe the actions taken to investigate the concerns, their status "
            "and what the provider is doing, or explain why no action is being taken.");
    scan(12, form_.details, "the details seem", false);
    require_data_minimisation(13, form_.data_minimisation_issuer);
  }

  void check_review_date() {
    const auto& agency = form_.issuing_agency;
    const int months = context_.max_review_months;
    const std::string limit = std::to_string(months) + (months == 1 ? " month" : " months");
    if (!agency.review_date) {
      add(2, "the review date is missing or could not be read; give a date no more than " + limit +
                 " after the circulation date, as dd/mm/yyyy.");
      return;
    }
    const bool from_form = agency.date_sent_for_circulation.has_value();
    const auto start = from_form ? agency.date_sent_for_circulation : context_.received;
    if (!start) return;
    const std::string start_words =
        (from_form ? "the circulation date " : "the date the form was received, ") + british(*start);
    const Date review = *agency.review_date;
    const Date latest = add_months(*start, months);
    if (review < *start) {
      add(2, "the review date " + british(review) + " is before " + start_words + "; give a review date after it.");
    } else if (review > latest) {
      add(2, "the review date " + british(review) + " is more than " + limit + " after " + start_words +
                 "; give a review date no later than " + british(latest) + ".");
    }
  }

  void check_provider_response() {
    scan(14, form_.provider_response, "the provider response seems", true);
    require_data_minimisation(15, form_.data_minimisation_provider);
  }

  void check_section_b() {
    const Rescind none;
    const Rescind& rescind = form_.rescind ? *form_.rescind : none;

    if (context_.issuing_agency_on_record && present(form_.issuing_agency.agency) &&
        !same_agency(*context_.issuing_agency_on_record, *form_.issuing_agency.agency)) {
      problems_.push_back({16, "Section B: a notification can only be rescinded by the agency that issued it (" +
                                   quoted(*context_.issuing_agency_on_record) + "), but this form is from " +
                                   quoted(*form_.issuing_agency.agency) + "."});
    }

    if (!rescind.date) {
      add(16,
          "the date the ISP notification was rescinded is missing or could not be read; give it as "
          "dd/mm/yyyy.");
    }
    require(16, rescind.officer_name, "the name of the officer rescinding the notification is missing.");
    require_email(16, rescind.officer_email, "the rescinding officer's");

    if (rescind.outcomes.empty()) add(17, "no outcome is ticked; tick at least one.");
    if (contains(rescind.outcomes, "unresolved") && !present(rescind.outcome_explanation)) {
      add(17, "\"Unable to find a resolution\" is ticked but not explained; explain why below the outcomes.");
    }
    scan(17, rescind.outcome_explanation, "the explanation of the outcome seems", false);
    require_other(18, rescind.contractual_outcomes, rescind.contractual_outcome_other,
                  "\"Other\" contractual outcome is ticked but not specified; say what it is.");
    scan(18, rescind.contractual_outcome_other, "the other contractual outcome seems", false);
    require_other(19, rescind.placement_outcomes, rescind.placement_outcome_other,
                  "\"Other actions\" is ticked under placement outcomes but not specified; say what they are.");
    scan(19, rescind.placement_outcome_other, "the other placement outcome seems", false);
    scan(20, rescind.additional_information, "the additional information seems", false);
    require_data_minimisation(21, rescind.data_minimisation);
  }

  const Form& form_;
  const CheckContext& context_;
  KnownContacts known_;
  std::vector<Problem> problems_;
};

}  // namespace

bool same_agency(std::string_view a, std::string_view b) {
  // Agency names as people type them: "Bolton Council" matches " bolton  council. ".
  const auto key = [](std::string_view name) {
    std::string out;
    for (const char c : trimmed(name)) {
      if (is_space(c)) {
        if (!out.empty() && out.back() != ' ') out += ' ';
      } else {
        out += lower(c);
      }
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    return out;
  };
  return key(a) == key(b);
}

std::vector<Problem> check_form(const Form& form, const CheckContext& context) { return Checker(form, context).run(); }

}  // namespace ispd::protocol
