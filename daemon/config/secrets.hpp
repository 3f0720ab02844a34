#pragma once
// Passwords and tokens come from a file or the environment, never from the
// config; and no error message ever holds one. A file holding one must be
// readable by ispd's user alone, as OpenSSH asks of a private key.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "daemon/config/config.hpp"
#include "util/result.hpp"

namespace ispd {

// Whether a secret file of this mode and owner is open to more than ispd's user, when ispd runs as `runner`: any
// access by group or others is, unless root owns the file and ispd runs as another user, when root's grant to
// ispd's group (root:ispd 0640, or systemd's credentials with their ACL) is not, but others' access still is.
bool open_to_others(mode_t mode, uid_t owner, uid_t runner);

// What is wrong with `file` as a secret file, for this process's user, in one sentence naming the file, its mode
// and the fix; nothing when it is owner-only or cannot be looked at (reading it then says why).
std::optional<std::string> unprotected_secret_file(const std::string& file, const std::string& what);

// The same for every secret file the config names: [mailbox] and [smtp] passwords, the [oauth2] client secret.
std::vector<std::string> unprotected_secret_files(const config::Config& config);

// The secret in `file` (its first line, without the line end) or in the
// environment variable `env`; `what` names it in errors ("[mailbox] password").
// A file open to others is refused (unprotected_secret_file).
Result<std::string> read_secret(const std::string& file, const std::string& env, const std::string& what);

}  // namespace ispd
