#!/usr/bin/env bash
# clang-tidy 19 with the checked-in .clang-tidy over every C++ source of the repository (src/,
# adapters/, tests/, fuzz/), using the asan preset's compile commands (configured here when
# missing). Exit status 1 on any finding. Optional arguments: a subset of files.
#   scripts/tidy.sh [FILE...]      JOBS=2 by default; about 30 s of CPU per file
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build-asan/compile_commands.json ] || cmake --preset asan >/dev/null
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  mapfile -t files < <(git ls-files 'src/*.cpp' 'adapters/*.cpp' 'tests/*.cpp' 'fuzz/*.cpp')
fi
# The compile commands name each target's precompiled header: build every one that is missing.
mapfile -t pchs < <(ninja -C build-asan -t targets all | sed -n 's/^\([^:]*cmake_pch\.hxx\.pch\):.*/\1/p')
nice -n 19 ninja -C build-asan "${pchs[@]}" >/dev/null
nice -n 19 run-clang-tidy-19 -quiet -p build-asan -j "${JOBS:-2}" \
  -extra-arg=-Wno-unused-command-line-argument "${files[@]}"
