#include "src/steps/scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace dg::steps {

void run_parallel(std::vector<std::function<void()>> tasks, int jobs) {
  if (tasks.empty()) return;
  std::size_t workers = jobs > 0 ? static_cast<std::size_t>(jobs) : tasks.size();
  workers = std::min(workers, tasks.size());
  // Each worker claims the next task by index; a worker blocks inside its task, never spins.
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < tasks.size();) tasks[i]();
  };
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();  // the calling thread is one of the workers
}

}  // namespace dg::steps
