#include <iostream>
#include <string>
#include <vector>

#include "src/app/app.hpp"
#include "src/util/cleanup.hpp"

extern char** environ;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  dg::app::Env env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  // Nothing a step starts may outlive us, not even a grandchild that setsid()s away from its
  // process group; and no temporary output file may stay behind after SIGINT/SIGTERM.
  dg::util::become_subreaper();
  dg::util::install_exit_cleanup();
  dg::app::leave_results_to_exit();
  int code = dg::app::run(args, std::cout, std::cerr, env);
  std::cout.flush();
  dg::util::kill_descendants();
  return code;
}
