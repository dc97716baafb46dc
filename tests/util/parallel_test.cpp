#include "src/util/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace dg;

TEST_SUITE("util.parallel") {
  TEST_CASE("ranges cover every index once and the first is this thread's") {
    for (std::size_t n : {0u, 1u, 7u, 1000u, 100001u}) {
      CAPTURE(n);
      std::vector<std::atomic<int>> hits(n);
      std::atomic<bool> first_here{false};
      const auto me = std::this_thread::get_id();
      util::for_ranges(n, 10, [&](std::size_t from, std::size_t to) {
        if (from == 0 && std::this_thread::get_id() == me) first_here = true;
        for (std::size_t i = from; i < to; ++i) ++hits[i];
      });
      for (auto& h : hits) REQUIRE(h == 1);
      CHECK(first_here);
    }
  }

  TEST_CASE("too little work for two stays on one thread") {
    std::set<std::thread::id> ids;
    util::for_ranges(100, 1000, [&](std::size_t, std::size_t) { ids.insert(std::this_thread::get_id()); });
    CHECK(ids.size() == 1);
  }

  TEST_CASE("an exception in a range is rethrown after every range is done") {
    std::atomic<int> done{0};
    auto go = [&] {
      util::for_ranges(1000, 1, [&](std::size_t from, std::size_t) {
        ++done;
        if (from != 0) throw std::runtime_error("range failed");
      });
    };
    if (util::work_threads() > 1) {
      CHECK_THROWS_WITH(go(), "range failed");
      CHECK(done == static_cast<int>(util::work_threads()));
    } else {
      CHECK_NOTHROW(go());
    }
  }

  TEST_CASE("the CPUs are counted from the affinity mask") {
    CHECK(util::usable_cpus() >= 1);
    CHECK(util::work_threads() >= 1);
    CHECK(util::work_threads() <= 4);
  }
}
