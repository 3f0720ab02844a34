#pragma once
// Complete forms built in code, for tests of the rules: each one is what its
// example file under tests/data/forms reads as, so check_form finds nothing wrong.

#include <string>

#include "parsing/form.hpp"

namespace ispd::test {

Date ymd(int year, unsigned month, unsigned day);

// tests/data/forms/internal-new-notification.json, by hand.
Form complete_issue_form();

// tests/data/forms/internal-new-notification.docx with no circulation date and this review date, so that the
// review date is checked against the day the form is received (or checked by hand).
std::string undated_example_docx(Date review);

}  // namespace ispd::test
