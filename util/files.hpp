#pragma once
// Reading a file named on the command line, and refusing it in one line.

#include <cstddef>
#include <fstream>
#include <iostream>
#include <string>

#include "util/exit_codes.hpp"
#include "util/result.hpp"

namespace ispd {

// Reads the file in chunks and stops past the limit, so an oversized file
// (or an endless pipe) is refused without being read whole.
inline Result<std::string> read_input(const std::string& path, std::size_t limit,
                                      const std::string& too_large = "an ISP form is far smaller") {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot be opened (no such file, or no permission to read it)"};
  std::string bytes;
  std::string chunk(std::size_t{65536}, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > limit) {
      return Error{"is larger than " + std::to_string(limit >> 20) + " MiB; " + too_large};
    }
  }
  if (in.bad()) return Error{"cannot be read"};
  return bytes;
}

// Prints "PATH: why" on stderr and gives kExitUnreadable.
inline int refuse(const std::string& path, const Error& error) {
  std::cerr << path << ": " << error.message << '\n';
  return kExitUnreadable;
}

}  // namespace ispd
