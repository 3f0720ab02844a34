#pragma once
// The exit codes of ispd's commands, in one place (README.md lists them).

namespace ispd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;    // a form with problems, an unknown reference, a bad store
inline constexpr int kExitUnreadable = 2;  // a file ispd cannot or will not read
inline constexpr int kExitUsage = 2;       // an argument that is not what the command takes
// The mailbox, the SMTP server or ispd's own storage (a full or read-only disk) could not be used; nothing lost, the
// next run carries on.
inline constexpr int kExitTemporary = 3;
inline constexpr int kExitSoftware = 70;   // EX_SOFTWARE: a bug in ispd, reported as one
inline constexpr int kExitLocked = 75;     // EX_TEMPFAIL: another ispd is polling
inline constexpr int kExitBadConfig = 78;  // EX_CONFIG

}  // namespace ispd
