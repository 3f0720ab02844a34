#pragma once
// The protocol's hard rule: no personal data of children or named individuals.
// Detectors for what officers paste into free text by mistake: NHS and National
// Insurance numbers, dates of birth, e-mail addresses and phone numbers.

#include <string>
#include <string_view>
#include <vector>

namespace ispd::protocol {

enum class PersonalData { nhs_number, national_insurance_number, date_of_birth, email_address, phone_number };

struct PersonalDataFinding {
  PersonalData kind = PersonalData::nhs_number;
  std::string masked;  // only the last 3 characters shown: "••• ••• •919", "j•••@example.com"
  bool operator==(const PersonalDataFinding&) const = default;
};

// Contact details the form may repeat: the officers' own addresses and numbers.
struct KnownContacts {
  std::vector<std::string> emails;
  std::vector<std::string> phones;
};

// What in this free text looks like personal data, each distinct value once, in
// order of appearance. Never returns the value itself, only a masked fragment.
std::vector<PersonalDataFinding> find_personal_data(std::string_view text, const KnownContacts& known = {});

// What a finding is, in words for the sender: "an NHS number".
std::string_view what(PersonalData kind);

// Whether the text is one e-mail address (a local part, @, a domain of two labels or more).
bool is_email_address(std::string_view text);

// The normalised numbers in an officer's phone field ("0161 496 0123 ext. 4"), to recognise them in free text.
std::vector<std::string> phone_keys(std::string_view text);

}  // namespace ispd::protocol
