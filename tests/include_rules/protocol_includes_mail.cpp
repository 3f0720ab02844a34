// Must not compile: the rules (daemon/protocol) do not link mail/, so its headers are not theirs to see.
#include "daemon/protocol/routing.hpp"
#include "mail/imap.hpp"
