#pragma once
// The clock every job reads the time from: the system's, ISPD_NOW's, or a test's.

#include <functional>

#include "store/timestamps.hpp"

namespace ispd {

using Clock = std::function<store::TimePoint()>;

}  // namespace ispd
