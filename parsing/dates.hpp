#pragma once
// Dates as British officers write them: 01/02/2026 is 1 February 2026.

#include <optional>
#include <string_view>

#include "parsing/form.hpp"

namespace ispd {

// Reads dd/mm/yyyy, d/m/yy, dd.mm.yyyy, dd-mm-yyyy, "1 Feb 2026",
// "1st February 2026", "Monday 1 February 2026", "February 1, 2026",
// 2026-02-01 and 2026-02-01T00:00:00Z (Word's w:fullDate). Returns nullopt for
// anything else, including impossible dates such as 31/02/2026.
std::optional<Date> parse_british_date(std::string_view text);

}  // namespace ispd
