#pragma once
// A shared library loaded at run time, on first use (curl_loader.cpp, archive_loader.cpp): the
// binary does not link it, so a run that never needs it never loads it.
#include <string>
#include <vector>

namespace dg::util {

struct LoadedLibrary {
  void* handle = nullptr;  // dlopen's; nullptr when none could be loaded
  std::string asked;       // the name a message about a missing library gives: the first tried
};

// The first of `names` (sonames) that loads, or the one the environment variable `env` names
// instead (a path or a soname: for systems that keep it elsewhere, and for tests of a machine
// without one). Loaded RTLD_NOW | RTLD_LOCAL.
LoadedLibrary load_library(const char* env, std::vector<std::string> names);

}  // namespace dg::util
