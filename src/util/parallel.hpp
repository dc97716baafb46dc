#pragma once
// Work on a big report split among the CPUs: fingerprints, a report's findings read a run at a
// time (adapters/ingest/json_pieces.cpp). Most of it is first touches of fresh memory, which a
// virtual machine's host serves per page: two CPUs do it in little more than half the time.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace dg::util {

// The CPUs this process may run on (its affinity mask), at least 1.
unsigned usable_cpus();

// How many threads work on big inputs: usable_cpus(), at most 4 (more threads add first touches
// of their own heaps and buy little on two to four memory channels).
unsigned work_threads();

// fn(from, to) over [0, n) cut into up to work_threads() ranges of at least `min_each`, the
// first on this thread; returns when all are done. An exception is rethrown here, the first
// range's first. fn must be safe to run on ranges at once.
template <class F>
void for_ranges(std::size_t n, std::size_t min_each, F&& fn) {
  std::size_t parts = min_each ? n / min_each : n;
  parts = std::max<std::size_t>(1, std::min<std::size_t>(parts, work_threads()));
  if (parts == 1) {
    fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::jthread> threads;
  threads.reserve(parts - 1);
  auto run = [&](std::size_t k) {
    try {
      fn(n * k / parts, n * (k + 1) / parts);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  try {
    for (std::size_t k = 1; k < parts; ++k) threads.emplace_back(run, k);
  } catch (const std::system_error&) {
    // No thread to be had: this thread does the ranges that did not start.
    for (std::size_t k = threads.size() + 1; k < parts; ++k) run(k);
  }
  run(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace dg::util
