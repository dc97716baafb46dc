#include <iostream>
#include <string>
#include <vector>

#include "src/app/app.hpp"

extern char** environ;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  dg::app::Env env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return dg::app::run(args, std::cout, std::cerr, env);
}
