// libFuzzer harness for the docker_archive target: fuzz/targets.hpp says what it runs, fuzz/README.md how.
#include "fuzz/targets.hpp"

DG_FUZZ_TARGET(docker_archive)
