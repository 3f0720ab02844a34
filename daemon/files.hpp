#pragma once
// Reading a file named on the command line, and refusing it in one line.

#include <cstddef>
#include <string>

#include "util/result.hpp"

namespace ispd {

// The exit code for a file ispd cannot or will not read.
inline constexpr int kExitUnreadable = 2;

// Reads the file in chunks and stops past the limit, so an oversized file
// (or an endless pipe) is refused without being read whole.
Result<std::string> read_input(const std::string& path, std::size_t limit,
                               const std::string& too_large = "an ISP form is far smaller");

// Prints "PATH: why" on stderr and gives kExitUnreadable.
int refuse(const std::string& path, const Error& error);

}  // namespace ispd
