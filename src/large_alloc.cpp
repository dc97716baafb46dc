// The dockgate binary's operator new: malloc, plus transparent huge pages for the memory a big
// report fills: blocks of 2 MiB and more (simdjson's index and string buffer, the vector of
// findings) and the main heap as it grows (the findings' strings). A 110 MB report touches
// ~150 MB of fresh memory; with 4 KiB pages that is ~40,000 page faults, which cost more than the
// parse itself on virtual machines (bench/README.md). This is what glibc's
// glibc.malloc.hugetlb=1 tunable does, without asking users to set it.
// THP in "madvise" mode (Debian's default) needs the hint; in "always" it is a no-op, in "never"
// madvise fails and nothing changes. free() releases memory as usual: nothing to track. Linked
// into the executable only, never into the library or the tests.
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

constexpr std::size_t kLarge = std::size_t{2} << 20;
constexpr std::uintptr_t kPage = 4096;

void advise(std::uintptr_t from, std::uintptr_t to) {
  // Only whole pages: the advice applies to the mapping, not to the bytes.
  auto begin = (from + kPage - 1) & ~(kPage - 1);
  auto end = to & ~(kPage - 1);
  // An address for the kernel, never dereferenced: the integer form is what the page rounding needs.
  if (end > begin)
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // NOLINT(performance-no-int-to-ptr)
}

// The heap grows in steps of at least 4 MiB (M_TOP_PAD) so that a step can hold huge pages (more
// pad is faster still but shows in peak memory: 16 MiB cost 7 MB on a 110 MB report);
// the advice must come before the pages are first touched.
std::atomic<std::uintptr_t> heap_top{0};
std::uintptr_t heap_start = 0;

// glibc gives a thread other than the first a heap of its own (json_pieces.cpp reads parts of a
// report on threads): a 64 MiB reservation aligned to its size (HEAP_MAX_SIZE on 64-bit) that
// grows in place. Each is advised whole, once, when a thread first allocates from it: a small
// block outside the main heap comes from such a heap, never from a mapping of its own.
constexpr std::uintptr_t kThreadHeap = std::uintptr_t{64} << 20;
constexpr std::size_t kSmall = 64 << 10;  // below glibc's least mmap threshold (128 KiB)
thread_local std::uintptr_t advised_heap = 0;

std::uintptr_t hex(const char*& p, const char* end) {
  std::uintptr_t v = 0;
  for (; p < end; ++p) {
    char c = *p;
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) break;
    v = v << 4 | static_cast<std::uintptr_t>(d);
  }
  return v;
}

// Whether [heap, heap + kThreadHeap) is exactly one such heap: anonymous mappings without a gap,
// the first starting at `heap` and the last ending at its end. Read from /proc/self/maps without
// allocating (this runs inside operator new), once per heap.
bool is_thread_heap(std::uintptr_t heap) {
  int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const std::uintptr_t end = heap + kThreadHeap;
  std::uintptr_t expect = heap;
  int verdict = -1;  // -1: not yet known
  char buf[4096];
  std::size_t have = 0;
  while (verdict < 0) {
    ssize_t n = ::read(fd, buf + have, sizeof buf - have);
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    std::size_t start = 0;
    while (verdict < 0) {
      const char* line = buf + start;
      const char* nl = static_cast<const char*>(std::memchr(line, '\n', have - start));
      if (!nl) break;
      start = static_cast<std::size_t>(nl - buf) + 1;
      // lo-hi perms offset dev inode [path]
      const char* p = line;
      std::uintptr_t lo = hex(p, nl);
      if (p < nl && *p == '-') ++p;
      std::uintptr_t hi = hex(p, nl);
      if (hi <= heap) continue;
      if (lo != expect) {
        verdict = 0;
        break;
      }
      int fields = 0;  // perms, offset, dev: then the inode and what follows
      while (p < nl && fields < 4) {
        while (p < nl && *p == ' ') ++p;
        if (++fields == 4) break;
        while (p < nl && *p != ' ') ++p;
      }
      bool anonymous = p < nl && *p == '0' && (p + 1 == nl || p[1] == ' ');
      if (anonymous)
        for (const char* q = p + 1; q < nl; ++q) anonymous &= *q == ' ';
      if (!anonymous || hi > end) verdict = 0;
      else if (hi == end) verdict = 1;
      else expect = hi;
    }
    std::memmove(buf, buf + start, have - start);
    have -= start;
    if (have == sizeof buf) break;  // a line longer than the buffer: not one of ours
  }
  ::close(fd);
  return verdict == 1;
}

void* allocate(std::size_t n) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (!p) return p;
  if (n >= kLarge) advise(reinterpret_cast<std::uintptr_t>(p), reinterpret_cast<std::uintptr_t>(p) + n);
  auto top = reinterpret_cast<std::uintptr_t>(::sbrk(0));  // no system call: glibc's cached break
  if (auto at = reinterpret_cast<std::uintptr_t>(p); sizeof(void*) == 8 && n < kSmall && (at < heap_start || at >= top)) {
    if (auto heap = at & ~(kThreadHeap - 1); heap != advised_heap) {
      advised_heap = heap;
      advise(heap, heap + kThreadHeap);
      // glibc makes such a heap writable a few pages at a time as it grows, and a huge page needs
      // 2 MiB of one writable mapping: without this, a thread's heap never gets one (its reads
      // took 40 % longer than the main thread's). glibc's own mprotect then changes nothing.
      if (is_thread_heap(heap))
        ::mprotect(reinterpret_cast<void*>(heap), kThreadHeap, PROT_READ | PROT_WRITE);  // NOLINT(performance-no-int-to-ptr)
    }
  }
  auto seen = heap_top.load(std::memory_order_relaxed);
  if (top > seen && heap_top.compare_exchange_strong(seen, top, std::memory_order_relaxed) && seen != 0)
    advise(seen, top);
  return p;
}

// Runs before main: the first heap step is advised too.
[[maybe_unused]] const bool kHeapSetUp = [] {
  ::mallopt(M_TOP_PAD, 4 << 20);
  heap_start = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  heap_top.store(heap_start, std::memory_order_relaxed);
  return true;
}();

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
