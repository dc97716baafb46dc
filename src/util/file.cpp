#include "src/util/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>

namespace dg::util {
namespace fs = std::filesystem;

Expected<std::string> read_file(const fs::path& path, std::size_t extra) {
  const std::string name = path.string();
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return fail(ErrorKind::Input, "no such file", name);
  if (fs::is_directory(st)) return fail(ErrorKind::Input, "is a directory, not a report file", name);
  const bool regular = fs::is_regular_file(st);
  std::uintmax_t size = regular ? fs::file_size(path, ec) : 0;
  if (ec) return fail(ErrorKind::Input, "cannot stat: " + ec.message(), name);
  if (size > kMaxInputBytes)
    return fail(ErrorKind::Input, "file is " + std::to_string(size) + " bytes, over the limit of " +
                                      std::to_string(kMaxInputBytes),
                name);

  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorKind::Input, std::string("cannot open: ") + std::strerror(errno), name);
  std::string data;
  std::size_t used = 0;
  if (regular) {
    // Read straight into the string: zero-filling 100 MB first only to overwrite it costs a pass
    // over memory (and its page faults) for nothing. Only the slack past the end is zeroed.
    int err = 0;
    data.resize_and_overwrite(static_cast<std::size_t>(size) + extra, [&](char* p, std::size_t n) {
      while (used < size) {
        ssize_t k = ::read(fd, p + used, static_cast<std::size_t>(size) - used);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) err = errno;
        if (k <= 0) break;  // a file that shrank since the stat ends here
        used += static_cast<std::size_t>(k);
      }
      std::memset(p + used, 0, n - used);
      return used;
    });
    ::close(fd);
    if (err) return fail(ErrorKind::Input, std::string("read error: ") + std::strerror(err), name);
    return data;  // size() == used; capacity() >= used + extra with the slack zeroed
  }
  // Pipes and /dev/stdin have no size: grow as needed.
  data.resize(static_cast<std::size_t>(size) + extra);
  for (;;) {
    if (data.size() - used < extra + 65536 && !regular) data.resize(data.size() * 2 + 65536 + extra);
    std::size_t room = data.size() - extra - used;
    if (room == 0) {
      if (regular) break;
      continue;
    }
    ssize_t n = ::read(fd, data.data() + used, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return fail(ErrorKind::Input, std::string("read error: ") + std::strerror(e), name);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used > kMaxInputBytes) {
      ::close(fd);
      return fail(ErrorKind::Input, "input over the size limit", name);
    }
  }
  ::close(fd);
  data.resize(used + extra);
  std::memset(data.data() + used, 0, extra);
  data.resize(used);  // capacity keeps the zeroed slack
  data.reserve(used + extra);
  return data;
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
  const std::string name = path.string();
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::random_device rd;
  fs::path tmp = dir / ("." + path.filename().string() + ".tmp" + std::to_string(rd()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail(ErrorKind::Input, std::string("cannot create output: ") + std::strerror(errno), name);
  auto ok = write_all(fd, data, name);
  if (ok && ::fsync(fd) != 0 && errno != EINVAL) ok = fail(ErrorKind::Input, "fsync failed", name);
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), name.c_str()) != 0)
    ok = fail(ErrorKind::Input, std::string("cannot rename into place: ") + std::strerror(errno), name);
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

Expected<void> append_file(const fs::path& path, std::string_view data) {
  const std::string name = path.string();
  int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorKind::Input, std::string("cannot open: ") + std::strerror(errno), name);
  auto ok = write_all(fd, data, name);
  ::close(fd);
  return ok;
}

}  // namespace dg::util
