// Must not compile: the templates render data; they never see the rules that made it.
#include "daemon/protocol/decision.hpp"
#include "templates/render.hpp"
