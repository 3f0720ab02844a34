#include "daemon/config/secrets.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace ispd {

bool open_to_others(mode_t mode, uid_t owner, uid_t runner) {
  const bool granted_by_root = owner == 0 && runner != 0;
  return (mode & (granted_by_root ? S_IRWXO : (S_IRWXG | S_IRWXO))) != 0;
}

std::optional<std::string> unprotected_secret_file(const std::string& file, const std::string& what) {
  struct stat info {};
  if (file.empty() || ::stat(file.c_str(), &info) != 0) return std::nullopt;
  if (!open_to_others(info.st_mode, info.st_uid, ::geteuid())) return std::nullopt;
  char mode[8];
  (void)std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  return what + ": the file " + file + " is open to others (mode " + mode +
         "); a secret must be readable by ispd's user alone: chmod 600 " + file;
}

std::vector<std::string> unprotected_secret_files(const config::Config& config) {
  std::vector<std::string> out;
  const auto check = [&](const std::string& file, const std::string& what) {
    if (auto problem = unprotected_secret_file(file, what)) out.push_back(std::move(*problem));
  };
  check(config.mailbox.password_file, "[mailbox] password");
  check(config.smtp.password_file, "[smtp] password");
  if (config.oauth2) check(config.oauth2->client_secret_file, "[oauth2] client secret");
  return out;
}

Result<std::string> read_secret(const std::string& file, const std::string& env, const std::string& what) {
  if (!env.empty()) {
    const char* value = std::getenv(env.c_str());
    if (value == nullptr || *value == '\0') return Error{what + ": the environment variable " + env + " is not set"};
    return std::string(value);
  }
  if (file.empty()) return Error{what + ": neither a password file nor an environment variable is configured"};
  if (auto problem = unprotected_secret_file(file, what)) return Error{std::move(*problem)};
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{what + ": cannot read the password file " + file};
  // A secret is one short line; anything longer is not the file that was meant.
  constexpr std::size_t kMaxSecret = std::size_t{64} * 1024;
  std::string secret;
  char c = 0;
  bool too_long = false;
  while (!too_long && in.get(c) && c != '\n') {
    too_long = secret.size() == kMaxSecret;
    if (!too_long) secret.push_back(c);
  }
  if (too_long) return Error{what + ": the password file " + file + " is not a password"};
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return Error{what + ": the password file " + file + " is empty"};
  return secret;
}

}  // namespace ispd
