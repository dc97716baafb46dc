#pragma once
// What the streaming-writer tests share: a run whose outputs are several MiB, and a sink that
// keeps the pieces a writer hands it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

namespace dg::test {

// The mixed run's findings 4,000 times over, each its own rule (so JUnit writes a testcase each)
// and every other one not counted (a system-out line each).
inline model::Run big_run() {
  auto run = mixed_run();
  for (auto& s : run.steps) {
    auto base = s.findings;
    for (int i = 0; i < 4000 && !base.empty(); ++i)
      for (auto f : base) {
        f.rule_id += "-" + std::to_string(i);
        f.fingerprint += std::to_string(i);
        f.gating = i % 2 == 0;
        s.findings.push_back(std::move(f));
      }
  }
  return run;
}

struct Pieces : report::TextSink {
  std::vector<std::string> all;
  void put(std::string_view piece) override { all.emplace_back(piece); }
  void restart() override { all.clear(); }

  // The pieces end to end, each checked to be about 1 MiB: one MiB plus what the last item added.
  std::string joined() const {
    std::string text;
    for (auto& p : all) {
      CHECK(p.size() < (1u << 20) + (64u << 10));
      text += p;
    }
    return text;
  }
};

}  // namespace dg::test
