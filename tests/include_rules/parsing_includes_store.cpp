// Must not compile: the form reader knows nothing of the store.
#include "parsing/parse.hpp"
#include "store/store.hpp"
