#pragma once
// Builds real images for the image-size tests with umoci (and skopeo for docker-archive), no
// daemon and no network. Layer 1 adds files; layer 2 overwrites one, deletes a file and a
// directory, and adds one, so the waste is known exactly:
//   layer 1: app/big.bin 3,000,000 random bytes, app/zeros.bin 2,000,000 zero bytes,
//            app/config.txt 100, data/cache/a 1,000, data/cache/b 2,000,
//            etc/os-release (Alpine), usr/local/bin/python3 (a stub)
//   layer 2: app/config.txt 200 (overwrite), rm app/big.bin, rm -r data/cache, app/main.py 500
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "tests/support.hpp"

namespace dg::test::image_fixture {

inline constexpr const char* kOsRelease = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n";
inline constexpr const char* kPython = "#!/bin/sh\necho python\n";

inline bool have_tools() { return have_program("umoci"); }

inline void write_bytes(const fs::path& p, std::size_t n, bool random) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  std::mt19937 gen(42);  // NOLINT(cert-msc51-cpp): the same bytes in every run, on purpose
  std::string buf(n, '\0');
  if (random)
    for (auto& c : buf) c = static_cast<char>(gen() & 0xff);
  f << buf;
}

// Runs a command, failing the test with its output when it fails.
inline void must(const std::vector<std::string>& argv, const fs::path& cwd = {}) {
  auto r = run_process(argv, {}, {}, 120, cwd);
  REQUIRE_MESSAGE(r.code == 0, (argv[0] + " " + argv[1] + ": " + r.out + r.err));
}

struct Built {
  fs::path layout;   // the OCI layout directory; images "v1" (one layer) and "v2" (two layers)
  fs::path archive;  // docker-archive of v2 (empty when skopeo is absent)
};

inline Built build(const fs::path& root, bool alpine_python = true) {
  Built b;
  b.layout = root / "oci";
  must({"umoci", "init", "--layout", b.layout.string()});
  must({"umoci", "new", "--image", b.layout.string() + ":base"});
  auto b1 = root / "bundle1";
  must({"umoci", "unpack", "--rootless", "--image", b.layout.string() + ":base", b1.string()});
  auto rf = b1 / "rootfs";
  write_bytes(rf / "app/big.bin", 3'000'000, true);
  write_bytes(rf / "app/zeros.bin", 2'000'000, false);
  write_bytes(rf / "app/config.txt", 100, true);
  write_bytes(rf / "data/cache/a", 1000, true);
  write_bytes(rf / "data/cache/b", 2000, true);
  if (alpine_python) {
    write(rf / "etc/os-release", kOsRelease);
    write(rf / "usr/local/bin/python3", kPython);
  }
  must({"umoci", "repack", "--history.created_by", "COPY app/ /app/ # buildkit", "--image",
        b.layout.string() + ":v1", b1.string()});

  auto b2 = root / "bundle2";
  must({"umoci", "unpack", "--rootless", "--image", b.layout.string() + ":v1", b2.string()});
  rf = b2 / "rootfs";
  fs::remove(rf / "app/big.bin");
  fs::remove_all(rf / "data/cache");
  write_bytes(rf / "app/config.txt", 200, true);
  write_bytes(rf / "app/main.py", 500, true);
  must({"umoci", "repack", "--history.created_by", "/bin/sh -c rm -rf /app/big.bin /data/cache", "--image",
        b.layout.string() + ":v2", b2.string()});
  must({"umoci", "config", "--image", b.layout.string() + ":v2", "--config.user=app", "--config.exposedports=80/tcp",
        "--config.exposedports=8000/tcp", "--config.label=org.opencontainers.image.revision=0123abc",
        "--config.env=PYTHON_VERSION=3.12.1", "--history.created_by=/bin/sh -c #(nop)  USER app"});
  if (have_program("skopeo")) {
    b.archive = root / "v2.tar";
    must({"skopeo", "copy", "--quiet", "oci:" + b.layout.string() + ":v2",
          "docker-archive:" + b.archive.string() + ":example/app:v2"});
  }
  return b;
}

// Sum of the entry sizes `tar tv` prints for one layer blob (an independent count).
inline std::uint64_t tar_listing_bytes(const fs::path& blob, bool gzip) {
  auto r = run_process({"tar", gzip ? "tvzf" : "tvf", blob.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto py = run_process({"/usr/bin/python3", "-c",
                         "import sys\nprint(sum(int(l.split()[2]) for l in sys.stdin if l.strip()))"},
                        {}, r.out);
  REQUIRE_MESSAGE(py.code == 0, py.err);
  return std::stoull(py.out);
}

// The layer blob digests of tag TAG, in order, by python over the layout's JSON.
inline std::vector<std::string> layer_digests(const fs::path& layout, const std::string& tag) {
  auto py = run_process({"/usr/bin/python3", "-c",
                         "import json,sys\n"
                         "d=sys.argv[1]\n"
                         "idx=json.load(open(d+'/index.json'))\n"
                         "m=[x for x in idx['manifests'] if x['annotations']['org.opencontainers.image.ref.name']==sys.argv[2]][0]\n"
                         "man=json.load(open(d+'/blobs/sha256/'+m['digest'][7:]))\n"
                         "print('\\n'.join(l['digest'][7:] for l in man['layers']))",
                         layout.string(), tag});
  REQUIRE_MESSAGE(py.code == 0, py.err);
  std::vector<std::string> out;
  std::string line;
  std::istringstream ss(py.out);
  while (std::getline(ss, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace dg::test::image_fixture
