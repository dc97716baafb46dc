// The dockgate binary's operator new: malloc, plus transparent huge pages for the memory a big
// report fills: blocks of 2 MiB and more (simdjson's index and string buffer, the vector of
// findings) and the main heap as it grows (the findings' strings). A 110 MB report touches
// ~150 MB of fresh memory; with 4 KiB pages that is ~40,000 page faults, which cost more than the
// parse itself on virtual machines (bench/README.md). This is what glibc's
// glibc.malloc.hugetlb=1 tunable does, without asking users to set it.
// THP in "madvise" mode (Debian's default) needs the hint; in "always" it is a no-op, in "never"
// madvise fails and nothing changes. free() releases memory as usual: nothing to track. Linked
// into the executable only, never into the library or the tests.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
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

void* allocate(std::size_t n) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (!p) return p;
  if (n >= kLarge) advise(reinterpret_cast<std::uintptr_t>(p), reinterpret_cast<std::uintptr_t>(p) + n);
  auto top = reinterpret_cast<std::uintptr_t>(::sbrk(0));  // no system call: glibc's cached break
  if (auto at = reinterpret_cast<std::uintptr_t>(p); sizeof(void*) == 8 && n < kSmall && (at < heap_start || at >= top)) {
    if (auto heap = at & ~(kThreadHeap - 1); heap != advised_heap) {
      advised_heap = heap;
      advise(heap, heap + kThreadHeap);
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
