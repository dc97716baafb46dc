#pragma once
// What each harness runs on one input, shared by the libFuzzer harnesses (fuzz_<name>.cpp, one
// line each) and the regression test that replays every input the fuzzers ever found
// (tests/fuzz/replay_test.cpp over tests/data/fuzz/<name>/), so the two cannot drift apart.
// A target returns normally for every input: errors are values; a crash, a sanitizer report, a
// hang or a blow-up is the finding.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/ingest/input.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/risk_feeds.hpp"
#include "adapters/ingest/sniff.hpp"
#include "fuzz/common.hpp"
#include "src/app/config.hpp"
#include "src/app/vex_file.hpp"
#include "src/app/waivers_file.hpp"
#include "src/lint/lint.hpp"
#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/image_config.hpp"
#include "src/steps/image/inspect_json.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/steps/image/oci_layout.hpp"

namespace dg::fuzz {

// Any report through the real entry point: sniff recognizes the format from the content, then its
// parser runs (the JSON reports above all: trivy, grype, hadolint, bandit, codeclimate, gitlab,
// asff, dockgate results).
inline void report(std::string_view in) {
  auto input = ingest::make_input("fuzz.json", in);
  (void)ingest::parse_input(input);
}

// SARIF logs straight into the SARIF parser (sniffing would turn most mutants away first).
inline void sarif(std::string_view in) { (void)ingest::parse_sarif(ingest::make_input("fuzz.sarif", in)); }

// The XML reports: hadolint checkstyle and JUnit, trivy's JUnit template, bandit's xml. Each input
// goes through all four parsers, so a mutant of one format also probes the others.
inline void xml(std::string_view in) {
  using namespace ingest;
  for (auto parse : {parse_checkstyle, parse_hadolint_junit, parse_trivy_junit, parse_bandit_xml})
    (void)parse(make_input("fuzz.xml", in));
}

// bandit's text formats: txt (screen), CSV, HTML and YAML. Each input goes through all four.
inline void bandit(std::string_view in) {
  using namespace ingest;
  for (auto parse : {parse_bandit_txt, parse_bandit_csv, parse_bandit_html, parse_bandit_yaml})
    (void)parse(make_input("fuzz.bandit", in));
}

// dockgate.yml, read from a file as the CLI does, with variables set so that ${VAR} expansion and
// the DOCKGATE_* overrides run too.
inline void config(std::string_view in) {
  static const auto file = scratch() / "dockgate.yml";
  static const app::Env env = {{"DOCKGATE_IMAGE", "example/app:1"}, {"HOME", "/home/u"}, {"TAG", "v1"}};
  write_file(file, in);
  (void)app::load_config(file, env);
}

// Waiver files: the YAML kinds (.dockgate-waivers.yml, .trivyignore.yaml, .grype.yaml are told
// apart by content) and .trivyignore (told apart by its name), from one file with two names. The
// same file goes to the VEX reader (OpenVEX, CycloneDX VEX), which reads JSON through the same
// positioned YAML tree.
inline void waivers(std::string_view in) {
  static const auto yml = scratch() / ".dockgate-waivers.yml";
  static const auto ignore = [] {
    write_file(yml, "");
    auto p = scratch() / ".trivyignore";
    if (::link(yml.c_str(), p.c_str()) != 0) std::abort();
    return p;
  }();
  write_file(yml, in);
  (void)app::load_waivers(yml);
  (void)app::load_waivers(ignore);
  (void)app::load_vex(yml);
}

// The offline exploit feeds (--kev, --epss): each input goes to the KEV catalog reader and to the
// EPSS CSV reader (which also takes it gzipped).
inline void feeds(std::string_view in) {
  static const auto file = scratch() / "feed";
  write_file(file, in);
  model::RiskFeed feed;
  (void)ingest::read_kev_catalog(file, feed);
  (void)ingest::read_epss_csv(file, feed);
}

// The Dockerfile parser and every built-in rule. Bytes after the first NUL, if any, are the
// .dockerignore beside it (a Dockerfile never holds a NUL).
inline void dockerfile(std::string_view in) {
  std::optional<std::string> dockerignore;
  if (auto nul = in.find('\0'); nul != std::string_view::npos) {
    dockerignore = std::string(in.substr(nul + 1));
    in = in.substr(0, nul);
  }
  (void)lint::lint_text(in, dockerignore);
}

// The JSON an image is described by: a config blob (a manifest or an index reads as one with
// nothing in it), and `docker image inspect` output.
inline void image_config(std::string_view in) {
  using namespace steps::image;
  if (auto json = parse_json(in, "fuzz.json")) {
    Image img;
    img.config = config_from_json(*json);
    align_history(img);
    for (auto& h : img.config.history) (void)instruction_of(h.created_by);
  }
  (void)image_from_inspect(in, "fuzz.json");
}

// One layer blob (tar, gzip or zstd) streamed through the layer reader in chunks of 4 KiB, so
// entries straddle chunk boundaries.
inline void layer(std::string_view in) {
  std::size_t at = 0;
  auto read = [&](const void** buf) -> std::int64_t {
    std::size_t n = std::min<std::size_t>(4096, in.size() - at);
    *buf = in.data() + at;
    at += n;
    return static_cast<std::int64_t>(n);
  };
  (void)steps::image::read_layer_stream(read, "fuzz-layer");
}

// A `docker save` archive (tar, or gzipped), from a file as `dockgate size` reads it.
inline void docker_archive(std::string_view in) {
  static const auto file = scratch() / "image.tar";
  write_file(file, in);
  (void)steps::image::read_docker_archive(file);
}

namespace detail {

// Only plain relative names, regular files and directories, at most 64 entries and 1 MiB of each
// file: the harness must not write outside its directory or fill the disk from a sparse entry.
inline bool plain_relative(const std::filesystem::path& p) {
  if (p.empty() || p.is_absolute()) return false;
  return std::none_of(p.begin(), p.end(), [](const auto& part) { return part == ".." || part == "."; });
}

inline void unpack(std::string_view tar, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), tar.data(), tar.size()) != ARCHIVE_OK) return;
  archive_entry* e = nullptr;
  int entries = 0;
  while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK && ++entries <= 64) {
    const char* name = archive_entry_pathname(e);
    if (!name) continue;
    fs::path rel = fs::path(name).lexically_normal();
    if (rel.filename().empty()) rel = rel.parent_path();  // "blobs/" -> "blobs"
    if (!plain_relative(rel)) continue;
    std::error_code ec;
    auto type = archive_entry_filetype(e);
    if (type == AE_IFDIR) {
      fs::create_directories(dir / rel, ec);
      continue;
    }
    if (type != AE_IFREG) continue;
    fs::create_directories((dir / rel).parent_path(), ec);
    std::string content;
    char buf[16384];
    la_ssize_t n = 0;
    while (content.size() < (1u << 20) && (n = archive_read_data(a.get(), buf, sizeof buf)) > 0)
      content.append(buf, static_cast<std::size_t>(n));
    if (fs::is_directory(dir / rel, ec)) continue;
    write_file(dir / rel, content);
  }
}

}  // namespace detail

// An OCI image layout (oci-layout, index.json, manifests, configs, layer blobs). The input is a
// tar of the layout directory, unpacked into a fresh directory each run: the seeds are real
// layouts (seeds.sh), and mutations reach index.json and the blobs' bytes and names alike.
inline void oci_layout(std::string_view in) {
  static const auto dir = scratch() / "layout";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  detail::unpack(in, dir);
  (void)steps::image::read_oci_layout(dir.string());
}

using Target = void (*)(std::string_view);

// Every target by name: the harness executables are fuzz_<name>.
inline const std::vector<std::pair<std::string_view, Target>>& targets() {
  static const std::vector<std::pair<std::string_view, Target>> all = {
      {"report", report},   {"sarif", sarif},           {"xml", xml},
      {"bandit", bandit},   {"config", config},         {"waivers", waivers},
      {"dockerfile", dockerfile}, {"image_config", image_config}, {"layer", layer},
      {"docker_archive", docker_archive}, {"oci_layout", oci_layout}, {"feeds", feeds}};
  return all;
}

}  // namespace dg::fuzz

// The whole of a harness: fuzz_<name>.cpp is DG_FUZZ_TARGET(name).
#define DG_FUZZ_TARGET(name)                                                         \
  extern "C" int LLVMFuzzerInitialize(int*, char***) {                              \
    dg::fuzz::quiet();                                                               \
    return 0;                                                                        \
  }                                                                                  \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    dg::fuzz::name(dg::fuzz::bytes(data, size));                                     \
    return 0;                                                                        \
  }
