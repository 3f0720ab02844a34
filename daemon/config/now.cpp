#include "daemon/config/now.hpp"

#include <cstdlib>
#include <exception>
#include <string>

#include "store/timestamps.hpp"

namespace ispd::config {

Result<std::optional<std::chrono::system_clock::time_point>> fixed_now() {
  const char* fixed = std::getenv("ISPD_NOW");
  if (fixed == nullptr || *fixed == '\0') return std::optional<std::chrono::system_clock::time_point>{};
  try {
    return std::optional<std::chrono::system_clock::time_point>{store::time_from_text(fixed)};
  } catch (const std::exception&) {
    return Error{std::string("ISPD_NOW \"") + fixed + "\" is not a time such as 2026-05-01T09:00:00Z"};
  }
}

}  // namespace ispd::config
