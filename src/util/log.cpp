#include "src/util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace dg::util {

void init_logging(Verbosity v) {
  auto logger = spdlog::get("dockgate");
  if (!logger) {
    logger = spdlog::stderr_color_mt("dockgate");
    logger->set_pattern("dockgate: %^%l%$: %v");
    spdlog::set_default_logger(logger);
  }
  switch (v) {
    case Verbosity::Quiet: logger->set_level(spdlog::level::err); break;
    case Verbosity::Normal: logger->set_level(spdlog::level::warn); break;
    case Verbosity::Verbose: logger->set_level(spdlog::level::debug); break;
  }
}

}  // namespace dg::util
