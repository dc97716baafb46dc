#include "src/util/shared_library.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace dg::util {

LoadedLibrary load_library(const char* env, std::vector<std::string> names) {
  if (const char* asked = std::getenv(env); asked && *asked) names = {asked};
  LoadedLibrary lib;
  lib.asked = names.empty() ? std::string() : names.front();
  for (auto& name : names)
    if ((lib.handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL))) break;
  return lib;
}

}  // namespace dg::util
