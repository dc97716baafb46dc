#pragma once
// spdlog, always to stderr: stdout carries only what the user asked for.
#include <spdlog/spdlog.h>

namespace dg::util {

enum class Verbosity { Quiet, Normal, Verbose };
void init_logging(Verbosity v);
inline void init_logging(bool quiet, bool verbose) {
  init_logging(quiet ? Verbosity::Quiet : verbose ? Verbosity::Verbose : Verbosity::Normal);
}

}  // namespace dg::util
