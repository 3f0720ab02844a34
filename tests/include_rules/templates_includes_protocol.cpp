// Must not compile: the templates render data; they never see the rules that made it.
#include "templates/render.hpp"
#include "daemon/protocol/decision.hpp"
