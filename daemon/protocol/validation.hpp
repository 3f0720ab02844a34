#pragma once
// "Complete or returned": everything a sender must fix before a form can be
// logged and circulated, in words a council officer understands.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/protocol/personal_data.hpp"
#include "parsing/form.hpp"

namespace ispd::protocol {

struct Problem {
  int section = 0;      // the form's section number (1-21); 0 for the form as a whole
  std::string message;  // "Section 2: the review date 12/09/2026 is more than 3 months after ..."
  bool operator==(const Problem&) const = default;
};

struct CheckContext {
  // When the form was received; stands in for a missing circulation date.
  std::optional<Date> received;
  int max_review_months = 3;
  // The agency that issued the stored notification this form updates; a rescind
  // from any other agency is refused. Unset when there is no stored notification.
  std::optional<std::string> issuing_agency_on_record;
};

// Whether two agency names are the same as people type them: case, spacing and a final full stop ignored.
bool same_agency(std::string_view a, std::string_view b);

// Every problem with the form, in section order. Empty means complete.
std::vector<Problem> check_form(const Form& form, const CheckContext& context = {});

}  // namespace ispd::protocol
