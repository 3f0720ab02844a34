#pragma once
// The keys a provider is matched by. Officers write the same provider many
// ways ("Sunrise Care Ltd", "SUNRISE CARE LIMITED", "Sunrise Care"), so the
// store keeps normalised keys beside what the form said.

#include <string>
#include <string_view>

#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::store {

// Lower case, "&" read as "and", punctuation as spaces, apostrophes dropped,
// a leading "the" and trailing legal forms (ltd, limited, plc, llp, cic) dropped.
std::string normalise_provider_name(std::string_view name);
// Upper-case letters and digits only; all digits are padded to Companies
// House's eight ("1234567" → "01234567"); text without a digit ("N/A") is empty.
std::string normalise_company_number(std::string_view number);
// Upper-case letters and digits only, without a leading "URN"; text without a digit is empty.
std::string normalise_ofsted_urn(std::string_view urn);

ProviderKeys provider_keys(const Provider& provider);

}  // namespace ispd::store
