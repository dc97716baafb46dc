#include "src/util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "src/util/file.hpp"

extern char** environ;

namespace dg::util {

namespace {
// A child that exits before reading all its input closes the pipe: the write must fail with EPIPE,
// not raise SIGPIPE, whose default action kills dockgate (or the test binary) on the spot. SIGPIPE
// is blocked in this thread for the write and a pending one is taken back before unblocking.
ssize_t write_no_sigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t k = ::write(fd, data, size);
  int saved = errno;
  if (k < 0 && errno == EPIPE) {
    const timespec zero{};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return k;
}
}  // namespace

std::string which(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    auto p = std::filesystem::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0 && !std::filesystem::is_directory(p)) return p.string();
  }
  return {};
}

std::string last_lines(const std::string& text, std::size_t n) {
  if (n == 0) return {};
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  std::size_t pos = end;
  std::size_t lines = 0;
  while (pos > 0) {
    if (text[pos - 1] == '\n' && ++lines == n) break;
    --pos;
  }
  return text.substr(pos, end - pos);
}

static void keep_tail(std::string& s, std::size_t max) {
  if (s.size() > max * 2) s.erase(0, s.size() - max);
}

// Spawns `exe` in a process group of its own (so a timeout or cleanup kills everything it
// started), with default signal handling and an empty mask, and the parent's environment plus
// `env_extra`. Returns posix_spawn's error code.
static int spawn_in_own_group(const std::string& exe, const posix_spawn_file_actions_t* fa,
                              const std::vector<std::string>& argv_in,
                              const std::map<std::string, std::string>& env_extra, pid_t* pid) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);

  std::map<std::string, std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : env_extra) merged[k] = v;
  std::vector<std::string> envs;
  envs.reserve(merged.size());
  for (auto& [k, v] : merged) envs.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  envp.reserve(envs.size() + 1);
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv = argv_in;
  args.reserve(argv.size() + 1);
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  int rc = ::posix_spawn(pid, exe.c_str(), fa, &attr, args.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  return rc;
}

Expected<ProcessResult> run_process(const ProcessSpec& spec) {
  ProcessResult r;
  if (spec.argv.empty()) return fail(ErrorKind::Internal, "run_process: empty argv");
  std::string exe = which(spec.argv[0]);
  if (exe.empty()) {
    r.not_found = true;
    r.exit_code = 127;
    return r;
  }
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) || ::pipe2(in_pipe, O_CLOEXEC))
    return fail(ErrorKind::Step, std::string("pipe: ") + std::strerror(errno));

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, spec.cwd.c_str());
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = spawn_in_own_group(exe, &fa, spec.argv, spec.env_extra, &pid);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::close(in_pipe[1]);
    return fail(ErrorKind::Step, "cannot start " + spec.argv[0] + ": " + std::strerror(rc));
  }

  // stdin is written from the poll loop so a child that does not read it cannot block us.
  std::size_t in_off = 0;
  int in_fd = in_pipe[1];
  if (spec.stdin_data.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[3];
    int nfds = 0;
    int idx_out = -1, idx_err = -1, idx_in = -1;
    if (out_open) { idx_out = nfds; fds[nfds++] = {out_pipe[0], POLLIN, 0}; }
    if (err_open) { idx_err = nfds; fds[nfds++] = {err_pipe[0], POLLIN, 0}; }
    if (in_fd >= 0) { idx_in = nfds; fds[nfds++] = {in_fd, POLLOUT, 0}; }
    int wait_ms = 200;
    int n = ::poll(fds, static_cast<nfds_t>(nfds), wait_ms);
    if (n < 0 && errno != EINTR) break;
    auto read_into = [&](int i, int fd, std::string& into, bool& open) {
      if (i < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) return;
      char buf[65536];
      ssize_t k = ::read(fd, buf, sizeof buf);
      if (k > 0) {
        into.append(buf, static_cast<std::size_t>(k));
        keep_tail(into, spec.max_output);
      } else if (k == 0 || errno != EINTR) {
        open = false;
      }
    };
    read_into(idx_out, out_pipe[0], r.out, out_open);
    read_into(idx_err, err_pipe[0], r.err, err_open);
    if (idx_in >= 0 && (fds[idx_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t k = write_no_sigpipe(in_fd, spec.stdin_data.data() + in_off, spec.stdin_data.size() - in_off);
      if (k > 0) in_off += static_cast<std::size_t>(k);
      if (k < 0 && errno != EAGAIN && errno != EINTR) in_off = spec.stdin_data.size();
      if (in_off >= spec.stdin_data.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
    if (spec.timeout.count() > 0 && std::chrono::steady_clock::now() - start > spec.timeout) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (int sig = cancel_signal()) {
      r.cancelled = sig;
      ::kill(-pid, SIGKILL);
      break;
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (r.timed_out || r.cancelled) ::kill(-pid, SIGKILL);  // anything the child left in its group
  r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.out.size() > spec.max_output) r.out.erase(0, r.out.size() - spec.max_output);
  if (r.err.size() > spec.max_output) r.err.erase(0, r.err.size() - spec.max_output);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Cancellation

namespace {
volatile sig_atomic_t g_cancel = 0;
extern "C" void on_cancel_signal(int sig) { g_cancel = sig; }
}  // namespace

int cancel_signal() { return g_cancel; }
void request_cancel(int sig) { g_cancel = sig; }
void reset_cancel() { g_cancel = 0; }

SignalGuard::SignalGuard() {
  struct sigaction sa {};
  sa.sa_handler = on_cancel_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking wait returns EINTR and sees the flag sooner
  ::sigaction(SIGINT, &sa, &old_int_);
  ::sigaction(SIGTERM, &sa, &old_term_);
}

SignalGuard::~SignalGuard() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
}

// ---------------------------------------------------------------------------------------------
// BackgroundProcess

BackgroundProcess::~BackgroundProcess() { kill_now(); }

BackgroundProcess::BackgroundProcess(BackgroundProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, 0)),
      reaped_(o.reaped_),
      done_(o.done_),
      status_(o.status_),
      log_(std::move(o.log_)) {}

BackgroundProcess& BackgroundProcess::operator=(BackgroundProcess&& o) noexcept {
  if (this != &o) {
    kill_now();
    pid_ = std::exchange(o.pid_, 0);
    reaped_ = o.reaped_;
    done_ = o.done_;
    status_ = o.status_;
    log_ = std::move(o.log_);
  }
  return *this;
}

Expected<BackgroundProcess> BackgroundProcess::start(const BackgroundSpec& spec, bool* not_found) {
  if (not_found) *not_found = false;
  if (spec.argv.empty()) return fail(ErrorKind::Internal, "BackgroundProcess: empty argv");
  std::string exe = which(spec.argv[0]);
  if (exe.empty()) {
    if (not_found) *not_found = true;
    return fail(ErrorKind::Step, spec.argv[0] + " not found on PATH");
  }
  // The log is an output like any other: opened here, not in the child, so that a symlink at its
  // path is refused rather than followed (its target was truncated and overwritten) and a FIFO
  // cannot block (posix_spawn waits for the child's open, and no signal ends that wait).
  int log_fd = -1;
  if (!spec.log.empty()) {
    if (auto ok = check_output_path(spec.log); !ok) return fail(ErrorKind::Step, ok.error().to_string());
    log_fd = ::open(spec.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
                    0644);
    struct stat st {};
    if (log_fd >= 0 && (::fstat(log_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
      ::close(log_fd);
      return fail(ErrorKind::Step,
                  spec.log.string() + ": the log path is not a regular file; dockgate replaces only regular files");
    }
    if (log_fd < 0 || ::ftruncate(log_fd, 0) != 0) {
      int e = errno;
      if (log_fd >= 0) ::close(log_fd);
      return fail(ErrorKind::Step, spec.log.string() + ": cannot open the log: " + std::strerror(e));
    }
    ::fcntl(log_fd, F_SETFL, ::fcntl(log_fd, F_GETFL) & ~O_NONBLOCK);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (log_fd >= 0) {
    posix_spawn_file_actions_adddup2(&fa, log_fd, 1);  // dup2 clears O_CLOEXEC on the copy
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
  } else {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
  }
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, spec.cwd.c_str());
  pid_t pid = 0;
  int rc = spawn_in_own_group(exe, &fa, spec.argv, spec.env_extra, &pid);
  posix_spawn_file_actions_destroy(&fa);
  if (log_fd >= 0) ::close(log_fd);  // the child has its own copy
  if (rc != 0) return fail(ErrorKind::Step, "cannot start " + spec.argv[0] + ": " + std::strerror(rc));
  BackgroundProcess p;
  p.pid_ = pid;
  p.log_ = spec.log;
  return p;
}

bool BackgroundProcess::running() {
  if (pid_ <= 0 || reaped_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = status;
    return false;
  }
  return r == 0;
}

std::string BackgroundProcess::exit_description() const {
  if (!reaped_) return {};
  if (WIFEXITED(status_)) return "exit " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) return "signal " + std::to_string(WTERMSIG(status_));
  return "ended";
}

bool BackgroundProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0 || done_) return true;
  ::kill(-pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  bool stopped = false;
  while (true) {
    if (!running()) {
      stopped = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  reap_group();
  return stopped;
}

void BackgroundProcess::kill_now() {
  if (pid_ <= 0 || done_) return;
  reap_group();
}

void BackgroundProcess::reap_group() {
  // The leader may be gone while children it started still hold the group: kill them all.
  ::kill(-pid_, SIGKILL);
  if (!reaped_) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = status;
  }
  done_ = true;  // never signal this number again: it may be reused
}

std::string BackgroundProcess::log_tail(std::size_t n) const {
  if (log_.empty()) return {};
  std::ifstream f(log_, std::ios::binary);
  if (!f) return {};
  // Only the end matters; a chatty service must not cost us its whole log in memory.
  constexpr std::streamoff kMax = 256 * 1024;
  f.seekg(0, std::ios::end);
  std::streamoff size = f.tellg();
  std::streamoff from = size > kMax ? size - kMax : 0;
  f.seekg(from);
  std::string data(static_cast<std::size_t>(size - from), '\0');
  f.read(data.data(), static_cast<std::streamsize>(data.size()));
  return last_lines(data, n);
}

}  // namespace dg::util
