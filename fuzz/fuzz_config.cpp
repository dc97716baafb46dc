// libFuzzer harness for the config target: fuzz/targets.hpp says what it runs, fuzz/README.md how.
#include "fuzz/targets.hpp"

DG_FUZZ_TARGET(config)
