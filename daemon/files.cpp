#include "daemon/files.hpp"

#include <fstream>
#include <iostream>

namespace ispd {

Result<std::string> read_input(const std::string& path, std::size_t limit, const std::string& too_large) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot be opened (no such file, or no permission to read it)"};
  std::string bytes;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > limit) {
      return Error{"is larger than " + std::to_string(limit >> 20) + " MiB; " + too_large};
    }
  }
  if (in.bad()) return Error{"cannot be read"};
  return bytes;
}

int refuse(const std::string& path, const Error& error) {
  std::cerr << path << ": " << error.message << '\n';
  return kExitUnreadable;
}

}  // namespace ispd
