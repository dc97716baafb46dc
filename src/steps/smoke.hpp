#pragma once
// The smoke test: start the service (a command, or an image with docker), poll its URL until it
// answers as expected or a deadline passes, check that it stays up, stops promptly on SIGTERM
// and does not run as root, and always clean up what was started (and only that).
#include <filesystem>
#include <string>

#include "src/model/step_result.hpp"
#include "src/steps/step_config.hpp"
#include "src/util/error.hpp"
#include "src/util/http.hpp"

namespace dg::steps {

struct SmokeEnv {
  std::string docker = "docker";       // the docker CLI (tests put a fake one on PATH)
  std::filesystem::path log_dir;       // where a command's output is kept; empty = a temp file
};

// Failures of the service are findings (kind smoke, severity critical): smoke/not-ready,
// smoke/bad-status, smoke/bad-body, smoke/exited, smoke/slow-stop, smoke/runs-as-root. A service
// that cannot be started at all (missing binary, missing docker, docker run failing) is a step
// error. When dockgate is asked to stop (util::cancel_signal), it cleans up and returns a step
// error saying so.
model::StepResult run_smoke(const SmokeStep& cfg, util::HttpTransport& http, const SmokeEnv& env = {});

// Fills what the configuration leaves implicit: with neither `run` nor `image`, the run's image;
// "${image}" in `run` arguments becomes that image. A Usage error when there is nothing to
// start or no URL to poll.
util::Expected<void> complete_smoke(SmokeStep& cfg, const std::string& default_image);

// A docker -p value bound to loopback unless it names an address: "8000" and "8000:80" become
// "127.0.0.1:8000:8000" and "127.0.0.1:8000:80".
std::string loopback_port(const std::string& spec);

// The port of an http(s) URL (80/443 when none is written); 0 when there is none to find.
int url_port(const std::string& url);

}  // namespace dg::steps
