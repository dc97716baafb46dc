#include "adapters/ingest/input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>

#include "src/util/file.hpp"
#include "src/util/parallel.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

// Smaller files are read: a mapping costs more than it saves there.
constexpr std::size_t kMapFrom = 8u << 20;
// Pages are given back in steps of this much, and the last of them is kept: the parser may still
// be looking at the token that straddles the offset.
constexpr std::size_t kReleaseStep = 8u << 20;
// A transparent huge page: a copy is aligned to it and given back in whole ones.
constexpr std::size_t kHugePage = 2u << 20;

constexpr std::size_t round_up(std::size_t n, std::size_t unit) { return (n + unit - 1) / unit * unit; }

std::size_t page_size() {
  static const std::size_t p = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return p;
}

}  // namespace

struct Input::Storage {
  std::string bytes;         // read or copied input (capacity >= size + padding, slack zeroed)
  void* map = nullptr;       // or: a private mapping of the file, followed by zero pages
  std::size_t map_len = 0;
  std::size_t file_len = 0;  // the part of the mapping that is the file (read-only until repaired)
  bool dirty = false;        // the mapping was written to (UTF-8 repair): keep every page
  // The file read into huge pages rather than mapped (copy_file) keeps its descriptor open, so
  // that pages given back are mapped from the file again instead of dropped: -1 for a mapping.
  int fd = -1;
  bool copied() const { return fd >= 0; }
  ~Storage() {
    if (map) ::munmap(map, map_len);
    if (fd >= 0) ::close(fd);
  }
  // Gives back the whole pages in [begin, end) (offsets in the mapping, page-aligned, in the
  // file's part): read again, they come from the file. A mapping's are dropped; a copy's are
  // replaced by a mapping of the file, in whole 2 MiB pages only (splitting a huge page costs
  // its 512 small ones a fault each again). Returns how far pages are given back now (`begin`
  // when none were).
  std::size_t give_back(std::size_t begin, std::size_t end) const {
    char* base = static_cast<char*>(map);
    if (!copied()) return ::madvise(base + begin, end - begin, MADV_DONTNEED) == 0 ? end : begin;
    std::size_t from = round_up(begin, kHugePage), to = end / kHugePage * kHugePage;
    if (to <= from) return begin;
    void* m = ::mmap(base + from, to - from, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, static_cast<off_t>(from));
    return m == MAP_FAILED ? begin : to;
  }
};

static void finish(Input& in) {
  auto t = std::string_view(in.text());
  if (t.size() >= 3 && t.substr(0, 3) == "\xEF\xBB\xBF") in.bom = 3;
}

// The file at the start of an anonymous region one page longer than needed: the zero pages past
// the end are simdjson's padding. nullptr when the kernel refuses (then the file is read).
static std::shared_ptr<Input::Storage> map_file(int fd, std::size_t size) {
  std::size_t page = page_size();
  std::size_t file_pages = round_up(size, page);
  std::size_t len = file_pages + round_up(simdjson::SIMDJSON_PADDING, page);
  void* region = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return nullptr;
  // Read-only: MAP_POPULATE on a writable private mapping would copy every page up front (the
  // kernel breaks copy-on-write while populating). The UTF-8 repair makes it writable first.
  // MAP_POPULATE maps the page cache in one go instead of a fault per page.
  void* file = ::mmap(region, file_pages, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  if (file == MAP_FAILED) {
    ::munmap(region, len);
    return nullptr;
  }
  auto s = std::make_shared<Input::Storage>();
  s->map = region;
  s->map_len = len;
  s->file_len = file_pages;
  return s;
}

// Whether anonymous memory gets huge pages when asked (transparent_hugepage "always" or
// "madvise"): without them, the copy would be a fault per 4 KiB page.
static bool huge_pages_on_request() {
  static const bool on = [] {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    return std::getline(f, line) && line.find("[never]") == std::string::npos;
  }();
  return on;
}

// A number from the first line of a file under /proc or /sys; nullopt when there is none ("max").
static std::optional<std::uint64_t> number_in(const char* path) {
  std::ifstream f(path);
  std::uint64_t v = 0;
  if (f >> v) return v;
  return std::nullopt;
}

// The memory this process may still fill before the kernel reclaims or kills: what the kernel
// calls available, and no more than the cgroup's limit leaves (a CI container's).
static std::uint64_t memory_headroom() {
  std::uint64_t room = UINT64_MAX;
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    std::uint64_t kb = 0;
    if (!(meminfo >> kb)) break;
    if (key == "MemAvailable:") {
      room = kb * 1024;
      break;
    }
    meminfo.ignore(64, '\n');
  }
  auto limit = number_in("/sys/fs/cgroup/memory.max"), used = number_in("/sys/fs/cgroup/memory.current");
  if (!limit) limit = number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
              used = number_in("/sys/fs/cgroup/memory/memory.usage_in_bytes");
  if (limit && used) room = std::min(room, *limit > *used ? *limit - *used : 0);
  return room;
}

namespace {
std::atomic<bool> g_copy_big_files{true};
}  // namespace

void set_copy_big_files(bool on) { g_copy_big_files = on; }

// The file read into 2 MiB pages by several threads, followed by zero pages (the padding).
// On a virtual machine whose host maps each page a process touches (shadow paging), a mapped
// file costs a host fault per 4 KiB page at first touch: 115 MB took 45 ms to touch after
// MAP_POPULATE, against 20 ms to read into huge pages on two threads (bench/README.md). Memory
// the host has not backed yet costs a fault per page either way: reading stayed ahead (A/B runs
// each after a 350 MB jq, 775 against 850 ms for a 345 MB report), so there is no second guess.
// A copy is memory the kernel cannot reclaim (a mapped file's pages it can): only a file that
// takes at most half the memory left is read. nullptr when it is not, or the kernel refuses;
// then the file is mapped.
static std::shared_ptr<Input::Storage> copy_file(int fd, std::size_t size) {
  if (!huge_pages_on_request() || size > memory_headroom() / 2) return nullptr;
  std::size_t len = round_up(size + simdjson::SIMDJSON_PADDING, kHugePage);
  void* raw = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  // An address for the kernel, aligned to a huge page: the integer form is what the rounding needs.
  auto start = round_up(reinterpret_cast<std::uintptr_t>(raw), kHugePage);
  char* base = reinterpret_cast<char*>(start);  // NOLINT(performance-no-int-to-ptr)
  std::size_t head = static_cast<std::size_t>(base - static_cast<char*>(raw));
  if (head) ::munmap(raw, head);
  if (kHugePage - head) ::munmap(base + len, kHugePage - head);
  auto s = std::make_shared<Input::Storage>();
  s->map = base;
  s->map_len = len;
  s->file_len = round_up(size, page_size());
  (void)::madvise(base, len, MADV_HUGEPAGE);
  s->fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (s->fd < 0) return nullptr;
  std::atomic<bool> short_read{false};
  util::for_ranges(size, std::size_t{16} << 20, [&](std::size_t from, std::size_t to) {
    while (from < to && !short_read) {
      ssize_t got = ::pread(fd, base + from, to - from, static_cast<off_t>(from));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) short_read = true;  // an error, or the file shrank meanwhile
      else from += static_cast<std::size_t>(got);
    }
  });
  return short_read ? nullptr : s;
}

util::Expected<Input> load_input(const std::filesystem::path& path) {
  // Opened once: the size checked, the mapping made and the bytes read all come from the same
  // descriptor (a FIFO or device is refused by open_input before anything is read).
  auto file = util::open_input(path, util::kMaxInputBytes);
  if (!file) return std::unexpected(file.error());
  Input in;
  in.name = file->name() == "<stdin>" ? file->name() : path.string();
  if (file->regular() && file->size() >= kMapFrom) {
    auto size = static_cast<std::size_t>(file->size());
    auto s = g_copy_big_files ? copy_file(file->fd(), size) : nullptr;
    if (!s) s = map_file(file->fd(), size);
    if (s) {
      in.base_ = static_cast<char*>(s->map);
      in.size_ = static_cast<std::size_t>(file->size());
      in.capacity_ = s->map_len;
      in.storage_ = std::move(s);
      finish(in);
      return in;
    }
  }
  auto bytes = util::read_all(*file, simdjson::SIMDJSON_PADDING, util::kMaxInputBytes);
  if (!bytes) return std::unexpected(bytes.error());
  auto s = std::make_shared<Input::Storage>();
  s->bytes = std::move(*bytes);
  in.base_ = s->bytes.data();
  in.size_ = s->bytes.size();
  in.capacity_ = s->bytes.capacity();
  in.storage_ = std::move(s);
  finish(in);
  return in;
}

Input make_input(std::string name, std::string_view bytes) {
  Input in;
  in.name = std::move(name);
  auto s = std::make_shared<Input::Storage>();
  s->bytes.reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
  s->bytes.assign(bytes);
  std::memset(s->bytes.data() + s->bytes.size(), 0, s->bytes.capacity() - s->bytes.size());
  in.base_ = s->bytes.data();
  in.size_ = s->bytes.size();
  in.capacity_ = s->bytes.capacity();
  in.storage_ = std::move(s);
  finish(in);
  return in;
}

util::Error Input::error_at(std::size_t offset, std::string message) const {
  util::Error e{util::ErrorKind::Input, std::move(message), name};
  e.offset = offset + bom;
  auto lc = util::line_col(text(), offset);
  e.line = lc.line;
  e.column = lc.column;
  return e;
}

util::Error Input::error(std::string message) const {
  return util::Error{util::ErrorKind::Input, std::move(message), name};
}

void Input::repair_utf8() {
  if (mapped() && !storage_->dirty) {
    // (A copy's pages given back are mappings of the file again: made writable the same way.)
    // Only the pages written to are copied; the rest stays the page cache's. The mapping keeps
    // every page from now on (dirty), since a page given back would lose its repair.
    if (::mprotect(storage_->map, storage_->file_len, PROT_READ | PROT_WRITE) != 0) return;
    storage_->dirty = true;
  }
  std::size_t n = util::repair_utf8_in_place(base_ + bom, size_ - bom);
  repaired_utf8 += n;
}

const std::string& Input::check_utf8() {
  static const std::string kNone;
  if (utf8_checked) return kNone;
  utf8_checked = true;
  auto t = text();
  if (simdjson::validate_utf8(t.data(), t.size())) return kNone;
  auto lc = util::line_col(t, util::find_invalid_utf8(t));
  repair_utf8();
  utf8_warning = name + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) +
                 ": invalid UTF-8 replaced by '?' (" + std::to_string(repaired_utf8) + " bytes)";
  return utf8_warning;
}

bool Input::mapped() const { return storage_ && storage_->map; }
bool Input::copied() const { return storage_ && storage_->copied(); }

namespace {
struct Alias {
  const Input* in = nullptr;
  const char* copy = nullptr;
  std::size_t size = 0, at = 0;
};
thread_local Alias t_alias;
}  // namespace

void Input::alias(const char* copy, std::size_t size, std::size_t at) const {
  t_alias = copy ? Alias{this, copy, size, at} : Alias{};
}

std::optional<std::size_t> Input::offset_of(const char* p) const {
  auto t = text();
  if (p >= t.data() && p <= t.data() + t.size()) return static_cast<std::size_t>(p - t.data());
  const Alias& a = t_alias;
  if (a.in == this && p >= a.copy && p <= a.copy + a.size) return a.at + static_cast<std::size_t>(p - a.copy);
  return std::nullopt;
}

void Input::release_before(std::size_t offset) const {
  if (!mapped() || storage_->dirty) return;
  std::size_t page = page_size();
  std::size_t upto = (offset + bom) / page * page;
  upto = upto > page ? upto - page : 0;  // keep the page the current token starts in
  if (upto < released_ + kReleaseStep) return;
  released_ = storage_->give_back(released_, upto);
}

std::size_t Input::release_between(std::size_t from, std::size_t to) const {
  if (!mapped() || storage_->dirty) return from;
  std::size_t page = page_size();
  std::size_t begin = round_up(from + bom, page);
  std::size_t end = (to + bom) / page * page;
  end = end > page ? end - page : 0;  // keep the page the current token starts in
  if (end <= begin) return from;
  std::size_t upto = storage_->give_back(begin, end);
  return upto > begin ? upto - bom : from;
}

void Input::release_scanned() const {
  if (!mapped() || storage_->dirty) return;
  if (storage_->give_back(0, storage_->file_len) > 0) released_ = 0;
}

}  // namespace dg::ingest
