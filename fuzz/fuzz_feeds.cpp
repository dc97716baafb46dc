// libFuzzer harness for the feeds target: fuzz/targets.hpp says what it runs, fuzz/README.md how.
#include "fuzz/targets.hpp"

DG_FUZZ_TARGET(feeds)
