// Compiles: the control, so a probe above fails for its include and not for a broken set-up.
#include "daemon/protocol/routing.hpp"
#include "parsing/parse.hpp"
#include "store/store.hpp"
#include "util/text.hpp"
