// Our own image without a daemon: umoci builds a one-layer image holding the release binary and
// the shared libraries it loads (ldd), the way the Dockerfile's runtime stage carries only what
// the binary needs; `dockgate size` gates it. As root the binary is also run inside its rootfs.
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support.hpp"

using namespace dg;

namespace {

void must(const std::vector<std::string>& argv) {
  auto r = test::run_process(argv, {}, {}, 120);
  REQUIRE_MESSAGE(r.code == 0, argv[0], " ", argv[1], ": ", r.out, r.err);
}

// The release binary when it was built (dgbuild dockgate-portable), else the ordinary one.
test::fs::path release_binary() {
  auto dir = test::fs::path(test::dockgate_binary()).parent_path();
  return test::fs::exists(dir / "dockgate-portable") ? dir / "dockgate-portable" : dir / "dockgate";
}

// Every file the dynamic loader maps for `bin`, as ldd resolves them.
std::vector<test::fs::path> shared_libraries(const test::fs::path& bin) {
  auto r = test::run_process({"ldd", bin.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::vector<test::fs::path> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
    if (w.size() >= 3 && w[1] == "=>" && w[2].starts_with("/")) out.push_back(w[2]);
    else if (!w.empty() && w[0].starts_with("/")) out.push_back(w[0]);  // the loader itself
  }
  return out;
}

}  // namespace

TEST_CASE("repository: an image of the release binary stays within its size budget") {
  if (!test::need_program("umoci") || !test::need_program("ldd")) return;
  test::TempDir tmp;
  auto layout = (tmp / "oci").string();
  must({"umoci", "init", "--layout", layout});
  must({"umoci", "new", "--image", layout + ":base"});
  auto bundle = tmp / "bundle";
  must({"umoci", "unpack", "--rootless", "--image", layout + ":base", bundle.string()});
  auto rootfs = bundle / "rootfs";
  auto bin = release_binary();
  test::fs::create_directories(rootfs / "usr/bin");
  test::fs::copy_file(bin, rootfs / "usr/bin/dockgate");
  for (auto& lib : shared_libraries(bin)) {
    auto real = test::fs::canonical(lib);
    test::fs::create_directories(rootfs / lib.relative_path().parent_path());
    test::fs::copy_file(real, rootfs / lib.relative_path(), test::fs::copy_options::overwrite_existing);
  }
  must({"umoci", "repack", "--history.created_by", "COPY dockgate and its libraries", "--image", layout + ":v1",
        bundle.string()});
  must({"umoci", "config", "--image", layout + ":v1", "--config.user=10001:10001", "--config.entrypoint=/usr/bin/dockgate",
        "--config.label=org.opencontainers.image.revision=test", "--config.label=org.opencontainers.image.source=dockgate",
        "--history.created_by=USER 10001:10001"});

  // The portable binary carries only what it needs (≈16 MB with its libraries); the ordinary build,
  // which a fresh clone has unless dockgate-portable was built, brings its 22 shared libraries
  // (≈54 MB, libcrypto and libstdc++ the largest).
  const std::string budget = bin.filename() == "dockgate-portable" ? "40MB" : "80MB";
  auto result = (tmp / "size.json").string();
  auto r = test::run_process({test::dockgate_binary(), "size", "--oci", layout + ":v1", "--max", budget, "--json", result,
                              "--fail-on", "high", "-q"});
  CHECK_MESSAGE(r.code == 0, r.out, r.err);
  auto j = nlohmann::json::parse(test::read(result));
  MESSAGE("image of ", bin.filename().string(), ": ", test::read(result).size() ? j["verdict"].dump() : "");
  // Over a budget the image does not fit, the same gate fails: the pass above means something.
  auto tight = test::run_process({test::dockgate_binary(), "size", "--oci", layout + ":v1", "--max", "1MB", "-q"});
  CHECK(tight.code == 1);

  // The image's files are enough to run it (chroot needs root).
  if (::geteuid() == 0 && test::have_program("chroot")) {
    auto v = test::run_process({"chroot", rootfs.string(), "/usr/bin/dockgate", "--version"});
    CHECK_MESSAGE(v.code == 0, v.err);
    CHECK(v.out.starts_with("dockgate "));
  }
}
