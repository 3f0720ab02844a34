#pragma once
// The time ispd takes as now: the system clock, or ISPD_NOW (e.g.
// 2026-05-01T09:00:00Z), read once, for demos and tests.

#include <chrono>
#include <optional>

#include "util/result.hpp"

namespace ispd::config {

// ISPD_NOW's time when it is set, else nothing; an error names a value that is no time.
Result<std::optional<std::chrono::system_clock::time_point>> fixed_now();

}  // namespace ispd::config
