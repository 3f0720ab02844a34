#pragma once
// Passwords and tokens come from a file or the environment, never from the
// config; and no error message ever holds one.

#include <string>

#include "util/result.hpp"

namespace ispd {

// The secret in `file` (its first line, without the line end) or in the
// environment variable `env`; `what` names it in errors ("[mailbox] password").
Result<std::string> read_secret(const std::string& file, const std::string& env, const std::string& what);

}  // namespace ispd
