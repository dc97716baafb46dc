#include "src/model/paths.hpp"

#include <doctest/doctest.h>

#include "src/model/fingerprint.hpp"

using namespace dg;
using model::normalize_path;

TEST_SUITE("model.paths") {
  TEST_CASE("absolute paths under the root become root-relative") {
    CHECK(normalize_path("/tmp/ws/Dockerfile", "/tmp/ws").path == "Dockerfile");
    CHECK(normalize_path("/tmp/ws/./docker/app/../app/Dockerfile", "/tmp/ws").path == "docker/app/Dockerfile");
    CHECK(normalize_path("file:///tmp/ws/src/a.py", "/tmp/ws").path == "src/a.py");
    CHECK(normalize_path("\\tmp\\ws\\src\\a.py", "/tmp/ws").path == "src/a.py");
    CHECK_FALSE(normalize_path("/tmp/ws/Dockerfile", "/tmp/ws").outside_root);
  }

  TEST_CASE("relative paths are taken as root-relative and cleaned") {
    CHECK(normalize_path("./app/main.py", "/tmp/ws").path == "app/main.py");
    CHECK(normalize_path("app//main.py", "/tmp/ws").path == "app/main.py");
    CHECK(normalize_path("app\\main.py", "/tmp/ws").path == "app/main.py");
    CHECK(normalize_path("Dockerfile", "").path == "Dockerfile");
  }

  TEST_CASE("paths outside the root stay as written and are marked") {
    auto a = normalize_path("/code/Dockerfile", "/tmp/ws");
    CHECK(a.path == "/code/Dockerfile");
    CHECK(a.outside_root);
    auto b = normalize_path("../other/Dockerfile", "/tmp/ws");
    CHECK(b.path == "../other/Dockerfile");
    CHECK(b.outside_root);
    // A sibling whose name starts like the root is not under it.
    CHECK(normalize_path("/tmp/ws2/Dockerfile", "/tmp/ws").outside_root);
    CHECK(normalize_path("file://host/share/a.py", "/tmp/ws").outside_root);
  }

  TEST_CASE("normalize_paths recomputes fingerprints derived from the old path only") {
    model::Run run;
    model::StepResult s;
    model::Finding lint;
    lint.tool = "hadolint";
    lint.rule_id = "DL3008";
    lint.kind = model::Kind::Lint;
    lint.location.path = "/tmp/ws/Dockerfile";
    lint.location.line = 3;
    model::Finding own = lint;
    own.rule_id = "DL3009";
    own.fingerprint = "from-the-tool";
    s.findings = {lint, own};
    model::assign_fingerprints(s.findings);
    run.steps.push_back(s);
    CHECK(model::has_absolute_paths(run));
    model::normalize_paths(run, "/tmp/ws");
    auto& out = run.steps[0].findings;
    CHECK(out[0].location.path == "Dockerfile");
    CHECK(out[1].location.path == "Dockerfile");
    CHECK_FALSE(model::has_absolute_paths(run));
    // The same finding scanned in another workspace directory keeps its fingerprint.
    model::Finding elsewhere = lint;
    elsewhere.location.path = "Dockerfile";
    CHECK(out[0].fingerprint == model::fingerprint_base(elsewhere));
    CHECK(out[1].fingerprint == "from-the-tool");
  }
}
