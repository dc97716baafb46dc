// The dockgate binary's operator new: malloc, plus transparent huge pages for blocks of 2 MiB and
// more (the report text, simdjson's index and string buffers, the vector of findings). A 110 MB
// report touches ~250 MB of fresh memory; with 4 KiB pages that is ~60,000 page faults, which cost
// more than the parse itself on virtual machines (bench/run.sh: 1.2 s -> 0.5 s for the trivy gate).
// THP in "madvise" mode (Debian's default) needs the hint; in "always" it is a no-op, in "never"
// madvise fails and nothing changes. free() releases the block as usual: nothing to track. Linked
// into the executable only, never into the library or the tests.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kLarge = std::size_t{2} << 20;
constexpr std::uintptr_t kPage = 4096;

void* allocate(std::size_t n) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (p && n >= kLarge) {
    // Only whole pages inside the block: the advice applies to the mapping, not to the bytes.
    auto begin = (reinterpret_cast<std::uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
    auto end = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(kPage - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
  return p;
}

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
