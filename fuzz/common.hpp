#pragma once
// What every harness shares: silence, and a private scratch directory for the inputs that the
// code under test only reads from a path (dockgate.yml, waiver files, image archives).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace dg::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Warnings on stderr for every malformed input would cost more than the parse.
inline void quiet() { spdlog::set_level(spdlog::level::off); }

// A directory of this process's own (libFuzzer's -fork and -jobs run several at once), removed
// when the process exits normally.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/dockgate-fuzz-XXXXXX";
    if (!::mkdtemp(templ.data())) std::abort();
    std::filesystem::path p = templ;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch(), ec);
    });
    return p;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& p, std::string_view content) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!f) std::abort();  // a full disk is not a finding; stop loudly instead of fuzzing nothing
}

}  // namespace dg::fuzz
