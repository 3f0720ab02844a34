#pragma once
// Times and dates as the store writes them: UTC "2026-05-01T09:00:00Z" (whole
// seconds, so text order is time order) and "2026-05-01".

#include <optional>
#include <string>
#include <string_view>

#include "parsing/form.hpp"
#include "store/records.hpp"

namespace ispd::store {

std::string time_text(TimePoint time);
// Throws std::runtime_error for text the store did not write.
TimePoint time_from_text(std::string_view text);
std::optional<Date> date_from_text(std::string_view text);
// The UTC calendar date of a time.
Date utc_date(TimePoint time);

}  // namespace ispd::store
