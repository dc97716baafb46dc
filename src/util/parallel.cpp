#include "src/util/parallel.hpp"

#include <sched.h>

#include <algorithm>

namespace dg::util {

unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

unsigned work_threads() { return std::min(4u, usable_cpus()); }

}  // namespace dg::util
