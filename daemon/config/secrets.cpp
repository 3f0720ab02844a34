#include "daemon/config/secrets.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace ispd {

Result<std::string> read_secret(const std::string& file, const std::string& env, const std::string& what) {
  if (!env.empty()) {
    const char* value = std::getenv(env.c_str());
    if (value == nullptr || *value == '\0') return Error{what + ": the environment variable " + env + " is not set"};
    return std::string(value);
  }
  if (file.empty()) return Error{what + ": neither a password file nor an environment variable is configured"};
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{what + ": cannot read the password file " + file};
  // A secret is one short line; anything longer is not the file that was meant.
  constexpr std::size_t kMaxSecret = 64 * 1024;
  std::string secret;
  char c = 0;
  while (in.get(c) && c != '\n') {
    if (secret.size() == kMaxSecret) return Error{what + ": the password file " + file + " is not a password"};
    secret.push_back(c);
  }
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return Error{what + ": the password file " + file + " is empty"};
  return secret;
}

}  // namespace ispd
