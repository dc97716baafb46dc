#include "src/util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <utility>

#include "src/util/cleanup.hpp"

namespace dg::util {
namespace fs = std::filesystem;

InputFile::~InputFile() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}
InputFile::InputFile(InputFile&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_), regular_(o.regular_), size_(o.size_), name_(std::move(o.name_)) {}
InputFile& InputFile::operator=(InputFile&& o) noexcept {
  if (this != &o) {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    owned_ = o.owned_;
    regular_ = o.regular_;
    size_ = o.size_;
    name_ = std::move(o.name_);
  }
  return *this;
}

static const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

static std::string over_limit(std::uintmax_t size, std::uintmax_t max) {
  return "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max);
}

Expected<InputFile> open_input(const fs::path& path, std::uintmax_t max_bytes) {
  InputFile f;
  f.name_ = path.string();
  if (f.name_ == "-") {
    f.fd_ = STDIN_FILENO;
    f.name_ = "<stdin>";
  } else {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    f.fd_ = ::open(f.name_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (f.fd_ < 0) {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR) return fail(ErrorKind::Input, "no such file", f.name_);
      return fail(ErrorKind::Input, std::string("cannot open: ") + std::strerror(e), f.name_);
    }
    f.owned_ = true;
  }
  struct stat st {};
  if (::fstat(f.fd_, &st) != 0) return fail(ErrorKind::Input, std::string("cannot stat: ") + std::strerror(errno), f.name_);
  f.regular_ = S_ISREG(st.st_mode);
  if (!f.regular_ && f.owned_) {
    if (S_ISDIR(st.st_mode)) return fail(ErrorKind::Input, "is a directory, not a file", f.name_);
    return fail(ErrorKind::Input,
                std::string("is ") + kind_of(st.st_mode) + ", not a regular file: dockgate reads only regular files (or - for stdin)",
                f.name_);
  }
  if (f.regular_) {
    f.size_ = static_cast<std::uint64_t>(st.st_size);
    if (f.size_ > max_bytes) return fail(ErrorKind::Input, over_limit(f.size_, max_bytes), f.name_);
    // Back to blocking reads: a regular file never blocks, and a plain read loop is simpler.
    if (f.owned_) ::fcntl(f.fd_, F_SETFL, ::fcntl(f.fd_, F_GETFL) & ~O_NONBLOCK);
  }
  return f;
}

Expected<std::string> read_all(InputFile& in, std::size_t extra, std::uintmax_t max_bytes) {
  const int fd = in.fd();
  std::string data;
  std::size_t used = 0;
  if (in.regular()) {
    const std::size_t size = static_cast<std::size_t>(in.size());
    // Read straight into the string: zero-filling 100 MB first only to overwrite it costs a pass
    // over memory (and its page faults) for nothing. Only the slack past the end is zeroed.
    int err = 0;
    data.resize_and_overwrite(size + extra, [&](char* p, std::size_t n) {
      while (used < size) {
        ssize_t k = ::read(fd, p + used, size - used);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) err = errno;
        if (k <= 0) break;  // a file that shrank since the stat ends here
        used += static_cast<std::size_t>(k);
      }
      std::memset(p + used, 0, n - used);
      return used;
    });
    if (err) return fail(ErrorKind::Input, std::string("read error: ") + std::strerror(err), in.name());
    return data;  // size() == used; capacity() >= used + extra with the slack zeroed
  }
  // stdin as a pipe has no size: grow in steps, and stop at the limit rather than at memory's end.
  const std::size_t cap = max_bytes >= kMaxInputBytes ? static_cast<std::size_t>(kMaxInputBytes) + 1
                                                      : static_cast<std::size_t>(max_bytes) + 1;
  for (;;) {
    if (data.size() - used < 65536) data.resize(std::min<std::size_t>(data.size() * 2 + 65536, cap));
    std::size_t room = data.size() - used;
    if (room == 0) return fail(ErrorKind::Input, "input over the size limit of " + std::to_string(max_bytes), in.name());
    ssize_t n = ::read(fd, data.data() + used, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::Input, std::string("read error: ") + std::strerror(errno), in.name());
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used > max_bytes) return fail(ErrorKind::Input, "input over the size limit of " + std::to_string(max_bytes), in.name());
  }
  data.resize(used + extra);
  std::memset(data.data() + used, 0, extra);
  data.resize(used);  // capacity keeps the zeroed slack
  data.reserve(used + extra);
  return data;
}

Expected<std::string> read_file(const fs::path& path, std::size_t extra, std::uintmax_t max_bytes) {
  auto in = open_input(path, max_bytes);
  if (!in) return std::unexpected(in.error());
  return read_all(*in, extra, max_bytes);
}

Expected<void> check_output_path(const fs::path& path) {
  if (path == "-") return {};
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};  // absent (or unreachable: the write will say)
  if (S_ISREG(st.st_mode)) return {};
  const char* what = S_ISLNK(st.st_mode) ? "a symbolic link" : kind_of(st.st_mode);
  return fail(ErrorKind::Usage,
              std::string("the output path exists and is ") + what +
                  "; dockgate replaces only regular files (remove it or choose another path)",
              path.string());
}

static Expected<void> write_all(int fd, std::string_view data, const std::string& name) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::Input, std::string("write error: ") + std::strerror(errno), name);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Expected<void> write_file_atomic(const fs::path& path, std::string_view data) {
  if (path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    return {};
  }
  // One way to a temporary file renamed into place, for a whole text as for one written in pieces.
  OutputFile file;
  if (auto ok = file.open(path); !ok) return ok;
  if (auto ok = file.write(data); !ok) return ok;  // the destructor removes the temporary file
  return file.commit();
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
  forget_temp(slot_);
  fd_ = -1;
}

Expected<void> OutputFile::open(const fs::path& path) {
  path_ = path;
  if (path == "-") {
    stdout_ = true;
    return {};
  }
  if (auto ok = check_output_path(path); !ok) return ok;
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::random_device rd;
  tmp_ = dir / ("." + path.filename().string() + ".tmp" + std::to_string(rd()));
  // Remembered before it exists: from the open until the rename, a SIGINT/SIGTERM removes it
  // (cleanup.hpp). Remembered after the open, a signal in between left it behind.
  slot_ = remember_temp(tmp_.c_str());
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    int e = errno;
    forget_temp(slot_);
    return fail(ErrorKind::Input, std::string("cannot create output: ") + std::strerror(e), path.string());
  }
  return {};
}

Expected<void> OutputFile::write(std::string_view data) {
  if (stdout_) {
    held_ += data;
    return {};
  }
  if (fd_ < 0) return fail(ErrorKind::Input, "output not open", path_.string());
  return write_all(fd_, data, path_.string());
}

Expected<void> OutputFile::rewind() {
  if (stdout_) {
    held_.clear();
    return {};
  }
  if (fd_ < 0 || ::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)
    return fail(ErrorKind::Input, std::string("cannot start the output over: ") + std::strerror(errno), path_.string());
  return {};
}

Expected<void> OutputFile::commit() {
  if (stdout_) return write_file_atomic("-", held_);
  if (fd_ < 0) return fail(ErrorKind::Input, "output not open", path_.string());
  const std::string name = path_.string();
  Expected<void> ok;
  // Not fsync()ed: the rename is what makes the write atomic for readers and for a dockgate that
  // is killed; only a power cut could leave an empty file, and a CI job then runs again. fsync
  // was 16 ms of gating a 57 MB report, more than writing its 20 MB result. close() still says
  // an error a network file system kept until then.
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) ok = fail(ErrorKind::Input, std::string("write error: ") + std::strerror(errno), name);
  if (ok) ok = check_output_path(path_);
  if (ok && ::rename(tmp_.c_str(), name.c_str()) != 0)
    ok = fail(ErrorKind::Input, std::string("cannot rename into place: ") + std::strerror(errno), name);
  if (!ok) ::unlink(tmp_.c_str());
  forget_temp(slot_);
  return ok;
}

Expected<void> append_file(const fs::path& path, std::string_view data) {
  const std::string name = path.string();
  // O_NONBLOCK: a FIFO without a reader fails the open (ENXIO) instead of waiting for one.
  int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
  if (fd < 0) return fail(ErrorKind::Input, std::string("cannot open: ") + std::strerror(errno), name);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorKind::Input, std::string("is ") + kind_of(st.st_mode) + ", not a regular file", name);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  auto ok = write_all(fd, data, name);
  ::close(fd);
  return ok;
}

}  // namespace dg::util
