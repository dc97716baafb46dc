#include "src/util/cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace dg::util {

namespace {

// A fixed table, not a container: the signal handler may only read memory that no allocation
// moves. State 0 free, 1 being written, 2 holds a path the handler may unlink. constinit keeps
// the 256 KB table in .bss: initialized at run time, it cost 64 page faults at every start.
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
struct TempSlot {
  std::atomic<int> state{0};
  char path[kPathMax]{};
};
constinit TempSlot g_temps[kSlots];

void unlink_temps() {
  for (auto& s : g_temps)
    if (s.state.load() == 2) ::unlink(s.path);
}

// Parses a decimal number; -1 when `s` is not one.
long parse_pid(const char* s) {
  if (!*s) return -1;
  long v = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

// The parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces and
// parentheses, so the field after the last ')' counts). -1 when unreadable.
long parent_of(long pid) {
  char path[64] = "/proc/";
  char num[24];
  int n = 0;
  for (long v = pid; v > 0; v /= 10) num[n++] = static_cast<char>('0' + v % 10);
  int p = 6;
  while (n > 0) path[p++] = num[--n];
  std::memcpy(path + p, "/stat", 6);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[1024];
  ssize_t got = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (got <= 0) return -1;
  buf[got] = 0;
  char* close = nullptr;
  for (char* c = buf; *c; ++c)
    if (*c == ')') close = c;
  if (!close || close[1] != ' ' || !close[2] || close[3] != ' ') return -1;
  long ppid = 0;
  for (char* c = close + 4; *c >= '0' && *c <= '9'; ++c) ppid = ppid * 10 + (*c - '0');
  return ppid;
}

// Children of this process found by scanning /proc (/proc/PID/task/TID/children needs a kernel
// option that is often off). Writes up to `max` pids; returns how many.
int list_children(pid_t* out, int max) {
  int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return 0;
  const long self = ::getpid();
  int count = 0;
  alignas(8) char buf[8192];
  for (;;) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      long pid = parse_pid(d->d_name);
      if (pid <= 0 || pid == self) continue;
      if (parent_of(pid) == self && count < max) out[count++] = static_cast<pid_t>(pid);
    }
  }
  ::close(dir);
  return count;
}

extern "C" void on_exit_signal(int sig) {
  int saved = errno;
  run_exit_cleanup();
  errno = saved;
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

int remember_temp(const char* path) {
  std::size_t len = std::strlen(path);
  if (len >= kPathMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_temps[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_temps[i].path, path, len + 1);
    g_temps[i].state.store(2);
    return i;
  }
  return -1;
}

void forget_temp(int slot) {
  if (slot >= 0 && slot < kSlots) g_temps[slot].state.store(0);
}

bool become_subreaper() { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

void kill_descendants() {
  // Each round kills the children we have now; their own children are handed to us as they
  // die (we are the subreaper), and the next round finds them.
  for (int round = 0; round < 32; ++round) {
    // No child at all, the common case (nothing was run, or all were reaped): one system call
    // instead of reading every process's /proc/PID/stat at each exit. WNOWAIT reaps nothing.
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD) return;
    pid_t kids[256];
    int n = list_children(kids, 256);
    if (n == 0) return;
    for (int i = 0; i < n; ++i) {
      ::kill(-kids[i], SIGKILL);  // every child we spawn leads its own process group
      ::kill(kids[i], SIGKILL);
    }
    for (int i = 0; i < n; ++i)
      while (::waitpid(kids[i], nullptr, 0) < 0 && errno == EINTR) {
      }
  }
}

void run_exit_cleanup() {
  unlink_temps();
  kill_descendants();
}

void install_exit_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_exit_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace dg::util
