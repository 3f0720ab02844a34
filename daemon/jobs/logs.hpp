#pragma once
// The daemon's named loggers, one per part, as STYLE.md asks: a fixed message
// with key=value fields ("mail handled inbound=12 uid=40 state=processed"), and
// levels that mean something: info for what ispd did, warn for what a person
// may want to look at, error for what failed and will be tried again. Never a
// mail's body, a form's text or a password.

#include <memory>

#include <spdlog/spdlog.h>

namespace ispd::logs {

std::shared_ptr<spdlog::logger> daemon();    // the loop, signals, reloads, each cycle's counts
std::shared_ptr<spdlog::logger> mail();      // the mailbox: polls, mails fetched and filed
std::shared_ptr<spdlog::logger> intake();    // what the rules decided for a mail
std::shared_ptr<spdlog::logger> send();      // the outbox: copies delivered, refused, deferred
std::shared_ptr<spdlog::logger> schedule();  // the daily jobs: chasers, reports, alerts
std::shared_ptr<spdlog::logger> store();     // ispd's own storage

// Every logger above writes to stderr (the journal, under systemd), each line naming its part.
void to_stderr();

}  // namespace ispd::logs
