#pragma once
// A realistic mixed run for the report writers: all six steps, waivers, a baseline, a step in
// error, a failing smoke test and an oversized image. Header-only: CMake compiles *_test.cpp.
#include <cstdlib>
#include <string>

#include "src/model/fingerprint.hpp"
#include "src/model/run.hpp"
#include "src/policy/policy.hpp"
#include "tests/support.hpp"

namespace dg::test {

inline model::Finding finding(const std::string& tool, std::string rule, model::Severity sev, model::Kind kind,
                              std::string title) {
  model::Finding f;
  f.tool = tool;
  f.sources = {tool};
  f.rule_id = std::move(rule);
  f.severity = sev;
  f.tool_severity = std::string(model::to_string(sev));
  f.kind = kind;
  f.title = std::move(title);
  return f;
}

inline model::Finding at(model::Finding f, std::string path, int line, int col = 0) {
  f.location.path = std::move(path);
  f.location.line = line;
  f.location.column = col;
  return f;
}

inline model::Finding pkg(model::Finding f, std::string name, std::string version, std::string fixed,
                          std::string target) {
  f.package.name = std::move(name);
  f.package.version = std::move(version);
  f.package.fixed_version = std::move(fixed);
  f.package.type = "deb";
  f.package.purl = "pkg:deb/debian/" + f.package.name + "@" + f.package.version;
  f.location.target = std::move(target);
  return f;
}

inline model::Finding state(model::Finding f, model::BaselineState b) {
  f.baseline = b;
  return f;
}

inline model::Finding waived(model::Finding f, std::string reason, std::string expires = "") {
  f.waiver = model::Waiver{f.rule_id, std::move(reason), "team-platform", std::move(expires), ".dockgate-waivers.yml:3"};
  return f;
}

inline model::Run mixed_run() {
  using model::BaselineState;
  using model::Kind;
  using model::Severity;
  using model::StepStatus;
  const std::string image = "registry.example/shop:0123456 (debian 12.1)";
  model::Run run;
  run.dockgate_version = "0.1.0-test";
  run.started_at = "2026-11-23T15:00:00Z";
  run.finished_at = "2026-11-23T15:02:30Z";
  run.context = {"github", "https://github.com", "acme/shop", "0123456789abcdef0123456789abcdef01234567",
                 "feature/faster-build", "42", "https://github.com/acme/shop/actions/runs/7/job/9", "image-gate"};

  model::StepResult lint{"lint", "hadolint", "2.12.0", StepStatus::Failed, 412, {}, {}, {}, {}, {}, {"hadolint.json"},
                         "hadolint-json"};
  auto dl3008 = finding("hadolint", "DL3008", Severity::Medium, Kind::Lint,
                        "Pin versions in apt get install. Instead of `apt-get install <package>` use "
                        "`apt-get install <package>=<version>`");
  dl3008.help_uri = "https://github.com/hadolint/hadolint/wiki/DL3008";
  lint.findings.push_back(state(at(dl3008, "Dockerfile", 5, 1), BaselineState::Unchanged));
  lint.findings.push_back(state(at(dl3008, "Dockerfile", 11, 1), BaselineState::New));
  auto dl3007 = finding("hadolint", "DL3007", Severity::High, Kind::Lint,
                        "Using latest is prone to errors if the image will ever update. Pin the version explicitly");
  dl3007.help_uri = "https://github.com/hadolint/hadolint/wiki/DL3007";
  lint.findings.push_back(state(at(dl3007, "Dockerfile", 1, 1), BaselineState::New));
  lint.findings.push_back(waived(at(finding("hadolint", "DL3059", Severity::Info, Kind::Lint,
                                            "Multiple consecutive `RUN` instructions. Consider consolidation."),
                                    "Dockerfile", 7, 1),
                                 "kept apart for layer caching", "2027-06-30"));

  model::StepResult trivy{"trivy", "trivy", "0.50.1", StepStatus::Failed, 8120, {}, {}, {}, {}, {}, {"trivy.json"},
                          "trivy-json-v2"};
  auto c1 = pkg(finding("trivy", "CVE-2023-0286", Severity::Critical, Kind::Vulnerability,
                        "openssl: X.400 address type confusion in X.509 GeneralName"),
                "libssl3", "3.0.7-1", "3.0.8-1", image);
  c1.aliases = {"GHSA-x4qr-2fvf-3mr5"};
  c1.help_uri = "https://avd.aquasec.com/nvd/cve-2023-0286";
  trivy.findings.push_back(state(c1, BaselineState::New));
  auto h1 = pkg(finding("trivy", "CVE-2023-4911", Severity::High, Kind::Vulnerability,
                        "glibc: buffer overflow in ld.so leading to privilege escalation"),
                "libc6", "2.36-9", "", image);
  h1.help_uri = "https://avd.aquasec.com/nvd/cve-2023-4911";
  trivy.findings.push_back(state(h1, BaselineState::Unchanged));
  auto secret = at(finding("trivy", "aws-access-key-id", Severity::Critical, Kind::Secret, "AWS Access Key ID"),
                   "app/settings.py", 12);
  secret.message = "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"";
  secret.location.snippet = "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"";
  trivy.findings.push_back(state(secret, BaselineState::New));
  auto m1 = pkg(finding("trivy", "CVE-2023-5678", Severity::Medium, Kind::Vulnerability,
                        "openssl: Generating excessively long X9.42 DH keys may be very slow"),
                "libssl3", "3.0.7-1", "3.0.13-1", image);
  trivy.findings.push_back(waived(state(m1, BaselineState::Unchanged), "DH not used by the service", "2027-01-31"));

  model::StepResult grype{"grype", "grype", "", StepStatus::Error, 30000, {}, {}, {}, {}, {}, {}, ""};
  grype.errors = {"grype exited with status 1: failed to load vulnerability db"};
  grype.log_excerpt = "[0000]  INFO grype version: 0.74.0\n[0001] ERROR failed to load vulnerability db: timeout\n";

  model::StepResult bandit{"bandit", "bandit", "1.7.5", StepStatus::Passed, 950, {}, {}, {}, {}, {}, {"bandit.json"},
                           "bandit-json"};
  auto b1 = at(finding("bandit", "B105", Severity::Low, Kind::Code, "Possible hardcoded password: 'changeme'"),
               "app/db.py", 8, 15);
  b1.confidence = "MEDIUM";
  b1.help_uri = "https://bandit.readthedocs.io/en/1.7.5/plugins/b105_hardcoded_password_string.html";
  bandit.findings.push_back(state(b1, BaselineState::Unchanged));

  model::StepResult smoke{"smoke-test", "dockgate", "", StepStatus::Failed, 61000, {}, {}, {}, {}, {}, {}, ""};
  // The smoke and size findings as src/steps writes them (rule ids, severities, messages).
  smoke.findings.push_back(finding("dockgate", "smoke/bad-status", Severity::Critical, Kind::Smoke,
                                   "The service answered with the wrong status"));
  smoke.findings.back().message = "http://127.0.0.1:8000/health answered HTTP 503, expected 200 (waited 60 s, 121 attempts)";
  smoke.log_excerpt =
      "Starting gunicorn 21.2.0\n\x1b[31mERROR\x1b[0m: database at db:5432 unreachable\n"
      "```\n<script>alert(1)</script> @everyone\nTraceback (most recent call last):\n  File \"app.py\", line 3\n";

  model::StepResult size{"image-size", "dockgate", "", StepStatus::Failed, 300, {}, {}, {}, {}, {}, {}, ""};
  size.metrics = {{"image_bytes", 412000000}, {"max_bytes", 300000000}, {"baseline_bytes", 350000000}, {"layers", 14}};
  size.findings.push_back(finding("dockgate", "size/over-budget", Severity::Critical, Kind::Image,
                                  "The image is over its size budget"));
  size.findings.back().message = "The image is 412.0 MB (412000000 bytes), over the budget of 300.0 MB by 112.0 MB.";
  size.findings.back().location.target = "registry.example/shop:0123456";
  size.log_excerpt =
      "image registry.example/shop:0123456: 412000000 bytes in 14 layers\n"
      "largest layers:\n"
      "  #5 210.0 MB sha256:5d1e9b2c RUN pip install -r requirements.txt\n"
      "      120.0 MB /usr/local/lib/python3.12/site-packages/torch/lib/libtorch_cpu.so\n"
      "  #1 80.0 MB sha256:0a4c3f7e ADD file:debian-bookworm-slim in /\n"
      "  #7 64.0 MB sha256:9b7f2a11 COPY . /app\n"
      "  #3 30.0 MB sha256:1c2d3e4f RUN apt-get update && apt-get install -y libpq5\n"
      "wasted (overwritten or deleted in a later layer):\n"
      "  12.0 MB /var/lib/apt/lists (2 layers)\n";

  for (auto* s : {&lint, &trivy, &grype, &bandit, &smoke, &size}) {
    model::assign_fingerprints(s->findings);
    run.steps.push_back(std::move(*s));
  }
  auto fixed = pkg(finding("trivy", "CVE-2022-37434", Severity::Critical, Kind::Vulnerability,
                           "zlib: heap-based buffer over-read and overflow in inflate()"),
                   "zlib1g", "1:1.2.11.dfsg-2", "1:1.2.11.dfsg-2+deb11u2", image);
  fixed.baseline = BaselineState::Fixed;
  run.fixed.push_back(fixed);
  model::assign_fingerprints(run.fixed);
  run.waiver_notices = {{"CVE-2021-3711", "expired", "upstream fix pending", "", "2026-10-01", ".dockgate-waivers.yml:9"},
                        {"DL3013", "stale", "pip pinned elsewhere", "", "", ".dockgate-waivers.yml:14"}};
  // The verdict, reasons, step statuses and every finding's gating come from the real policy
  // (fail-on high), so the writers are shown what a real run gives them.
  policy::evaluate(run, policy::Policy{});
  return run;
}

// Compares with tests/data/report/NAME; DOCKGATE_UPDATE_GOLDENS=1 rewrites it on purpose.
inline void check_golden(const std::string& name, const std::string& actual) {
  auto path = data("report/" + name);
  const char* update = std::getenv("DOCKGATE_UPDATE_GOLDENS");
  if (update && std::string(update) == "1") {
    write(path, actual);
    MESSAGE("golden rewritten: tests/data/report/" << name);
    return;
  }
  REQUIRE_MESSAGE(fs::exists(path), "missing golden tests/data/report/" << name
                                                                        << " (run with DOCKGATE_UPDATE_GOLDENS=1)");
  std::string expected = read(path);
  if (expected != actual) {
    auto got = fs::temp_directory_path() / ("dockgate-golden-" + name);
    write(got, actual);
    FAIL_CHECK("output differs from tests/data/report/" << name << "; actual written to " << got.string());
  }
}

// tools/node_modules/.bin/NAME when scripts/bootstrap.sh installed it, else "".
inline std::string node_tool(const std::string& name) {
  auto p = source_dir() / "tools/node_modules/.bin" / name;
  return fs::exists(p) ? p.string() : std::string();
}

}  // namespace dg::test
