#!/usr/bin/env bash
# clang-tidy 19 with the checked-in .clang-tidy over every C++ source of the repository (src/,
# adapters/, tests/, fuzz/), using the asan preset's compile commands (configured here when
# missing). Exit status 1 on any finding. Optional arguments: a subset of files.
#   scripts/tidy.sh [FILE...]      JOBS=2 by default; about 15 s of CPU per file
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build-asan/compile_commands.json ] || cmake --preset asan >/dev/null
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  mapfile -t files < <(git ls-files 'src/*.cpp' 'adapters/*.cpp' 'tests/*.cpp' 'fuzz/*.cpp')
fi
# The compile commands name each target's precompiled header: build every one that is missing
# (which also re-runs CMake when a source file was added, so the commands below list it).
mapfile -t pchs < <(ninja -C build-asan -t targets all | sed -n 's/^\([^:]*cmake_pch\.hxx\.pch\):.*/\1/p')
nice -n 19 ninja -C build-asan "${pchs[@]}" >/dev/null
# The core is compiled twice (dockgate_core and the release binary's dockgate_core_portable), and
# clang-tidy checks a file once per compile command: keep the first command of each file.
db=build-asan/tidy
mkdir -p "$db"
python3 - build-asan/compile_commands.json "$db/compile_commands.json" <<'PY'
import json, sys
seen, kept = set(), []
for entry in json.load(open(sys.argv[1])):
    if entry["file"] not in seen:
        seen.add(entry["file"])
        kept.append(entry)
json.dump(kept, open(sys.argv[2], "w"), indent=1)
PY
nice -n 19 run-clang-tidy-19 -quiet -p "$db" -j "${JOBS:-2}" \
  -extra-arg=-Wno-unused-command-line-argument "${files[@]}"
