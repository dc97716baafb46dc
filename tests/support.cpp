#include "tests/support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "src/app/app.hpp"

extern char** environ;

namespace dg::test {

fs::path source_dir() { return fs::path(DOCKGATE_SOURCE_DIR); }

fs::path corpus() {
  if (const char* c = std::getenv("DOCKGATE_CORPUS")) return fs::path(c);
  return source_dir().parent_path() / "shared" / "corpus";
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

static void drain(int fd, std::string& into) {
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) into.append(buf, static_cast<std::size_t>(n));
}

ProcResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const std::string& stdin_data, int timeout_s, const fs::path& cwd) {
  ProcResult r;
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) || ::pipe2(in_pipe, O_CLOEXEC)) return r;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::map<std::string, std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> envs;
  for (auto& [k, v] : merged) envs.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::close(in_pipe[1]);
    r.code = 127;
    r.err = "cannot run " + argv[0];
    return r;
  }
  if (!stdin_data.empty()) {
    signal(SIGPIPE, SIG_IGN);
    (void)!::write(in_pipe[1], stdin_data.data(), stdin_data.size());
  }
  ::close(in_pipe[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int n = ::poll(fds, 2, 200);
    if (n > 0) {
      for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        std::string& into = i == 0 ? r.out : r.err;
        char buf[65536];
        ssize_t k = ::read(fds[i].fd, buf, sizeof buf);
        if (k > 0) into.append(buf, static_cast<std::size_t>(k));
        else (i == 0 ? out_open : err_open) = false;
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      break;
    }
  }
  drain(out_pipe[0], r.out);
  drain(err_pipe[0], r.err);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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

bool need(bool found, const std::string& what) {
  if (found) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true")
    FAIL_CHECK(what << " is missing under CI=true: scripts/bootstrap.sh must install it");
  else
    MESSAGE(what << " is not installed (scripts/bootstrap.sh installs it): skipped");
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

}  // namespace dg::test
