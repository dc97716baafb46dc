#pragma once
// Shared by every test: where the corpus is, running dockgate in-process or as a process,
// temporary directories, and the independent validators.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dg::test {

namespace fs = std::filesystem;

// tests/data/corpus: real scanner reports copied with their origin in tests/data/corpus/SOURCES.md
// (DOCKGATE_CORPUS overrides).
fs::path corpus();
fs::path corpus(const std::string& rel);
fs::path source_dir();             // the checkout
fs::path data(const std::string& rel);  // tests/data/REL
std::string dockgate_binary();     // the built executable

std::string read(const fs::path& p);
void write(const fs::path& p, const std::string& text);

// A fresh directory, removed when the object goes away.
struct TempDir {
  fs::path path;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& rel) const { return path / rel; }
};

struct CliResult {
  int code = -1;
  std::string out, err;
};
// Runs dockgate in-process (app::run) with the given env (SOURCE_DATE_EPOCH is pinned).
CliResult cli(const std::vector<std::string>& args, std::map<std::string, std::string> env = {});

struct ProcResult {
  int code = -1;  // exit status, or 128+signal
  std::string out, err;
};
// Runs a program (no shell) with extra env vars and optional stdin; times out after `timeout_s`.
ProcResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                       const std::string& stdin_data = {}, int timeout_s = 120, const fs::path& cwd = {});

bool have_program(const std::string& name);  // on PATH

// For tests that need an outside program (umoci, skopeo, bandit, node tools). A missing one skips the
// test on a developer's machine but fails it under CI=true, where scripts/bootstrap.sh installs it:
// a skipped check must never turn into a green CI run.
// The test then counts as skipped: the test binary exits with $DOCKGATE_TEST_SKIP_CODE (ctest's
// SKIP_RETURN_CODE) when nothing failed, so ctest's summary lists it instead of a silent pass.
// Under CI=true a missing program fails the test unless DOCKGATE_ALLOW_MISSING_TOOLS=1.
bool need(bool found, const std::string& what);
std::set<std::string>& skipped_for();  // what need() found missing in this process
inline bool need_program(const std::string& name) { return need(have_program(name), name); }

// readelf -d of the built executable (its dynamic section, with a NEEDED line per shared library
// it links), for tests that check a library is loaded at run time instead of linked; nullopt
// when readelf is missing (need() has said so). Requires readelf to succeed and list NEEDED lines.
std::optional<std::string> dynamic_section();

// python3 jsonschema (Debian python3-jsonschema) over a JSON file; "" when valid, else the errors.
std::string validate_json_schema(const fs::path& schema, const fs::path& instance);

}  // namespace dg::test
