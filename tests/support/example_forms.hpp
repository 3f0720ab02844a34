#pragma once
// Complete forms built in code, for tests of the rules: each one is what its
// example file under tests/data/forms reads as, so check_form finds nothing wrong.

#include "parsing/form.hpp"

namespace ispd::test {

Date ymd(int year, unsigned month, unsigned day);

// tests/data/forms/internal-new-notification.json, by hand.
Form complete_issue_form();

}  // namespace ispd::test
