#include "tests/support.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "src/app/app.hpp"
#include "src/util/process.hpp"

namespace dg::test {

fs::path source_dir() { return fs::path(DOCKGATE_SOURCE_DIR); }

fs::path corpus() {
  if (const char* c = std::getenv("DOCKGATE_CORPUS")) return fs::path(c);
  return source_dir() / "tests" / "data" / "corpus";
}
fs::path corpus(const std::string& rel) { return corpus() / rel; }
fs::path data(const std::string& rel) { return source_dir() / "tests" / "data" / rel; }
std::string dockgate_binary() { return DOCKGATE_BINARY; }

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << text;
}

TempDir::TempDir() {
  std::random_device rd;
  path = fs::temp_directory_path() / ("dockgate-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

CliResult cli(const std::vector<std::string>& args, std::map<std::string, std::string> env) {
  env.emplace("SOURCE_DATE_EPOCH", "1795000000");
  std::vector<std::string> full{"dockgate"};
  full.insert(full.end(), args.begin(), args.end());
  std::ostringstream out, err;
  CliResult r;
  r.code = app::run(full, out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// The product's own runner (no shell, own process group, timeout): tests only translate its result.
ProcResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const std::string& stdin_data, int timeout_s, const fs::path& cwd) {
  util::ProcessSpec spec;
  spec.argv = argv;
  spec.env_extra = env;
  spec.stdin_data = stdin_data;
  spec.timeout = std::chrono::seconds(timeout_s);
  spec.cwd = cwd;
  spec.max_output = std::size_t{1} << 30;  // tests compare whole outputs
  ProcResult r;
  auto p = util::run_process(spec);
  if (!p || p->not_found) {
    r.code = 127;
    r.err = "cannot run " + (argv.empty() ? std::string() : argv[0]);
    return r;
  }
  r.code = p->signal ? 128 + p->signal : p->exit_code;
  r.out = std::move(p->out);
  r.err = std::move(p->err);
  return r;
}

bool have_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':'))
    if (!dir.empty() && ::access((fs::path(dir) / name).c_str(), X_OK) == 0) return true;
  return false;
}

std::set<std::string>& skipped_for() {
  static std::set<std::string> s;
  return s;
}

bool need(bool found, const std::string& what) {
  if (found) return true;
  auto env_is = [](const char* name, std::string_view v) {
    const char* e = std::getenv(name);
    return e && v == e;
  };
  if (env_is("CI", "true") && !env_is("DOCKGATE_ALLOW_MISSING_TOOLS", "1")) {
    FAIL_CHECK(what << " is missing under CI=true: scripts/bootstrap.sh must install it");
  } else {
    MESSAGE(what << " is not installed (scripts/bootstrap.sh installs it): skipped");
    skipped_for().insert(what);
  }
  return false;
}

std::string validate_json_schema(const fs::path& schema, const fs::path& instance) {
  // Debian's python3 (with python3-jsonschema), not whatever python3 comes first on PATH.
  static const char* script =
      "import json,sys,jsonschema\n"
      "s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n"
      "cls=jsonschema.validators.validator_for(s)\n"
      "errs=sorted(cls(s).iter_errors(d), key=lambda e: list(e.path))\n"
      "for e in errs[:20]: print('/'.join(map(str,e.path)), ':', e.message[:300])\n"
      "sys.exit(1 if errs else 0)\n";
  auto r = run_process({"/usr/bin/python3", "-c", script, schema.string(), instance.string()});
  if (r.code == 0) return "";
  return "exit " + std::to_string(r.code) + ": " + r.out + r.err;
}

std::optional<std::string> dynamic_section() {
  if (!need_program("readelf")) return std::nullopt;
  auto r = run_process({"readelf", "-d", dockgate_binary()});
  REQUIRE(r.code == 0);
  REQUIRE(r.out.find("(NEEDED)") != std::string::npos);
  return r.out;
}

}  // namespace dg::test
