#pragma once
// The image-size step: sizes, layers and image-config checks from `docker image inspect` JSON,
// a `docker save` tar or an OCI layout, without a Docker daemon.
#include "src/model/run.hpp"
#include "src/steps/step_config.hpp"

namespace dg::steps {

// `baseline` is a previous result (for max-growth), or null. `now` is injected for age checks.
model::StepResult run_image_size(const SizeStep& cfg, const model::Run* baseline,
                                 std::chrono::system_clock::time_point now);

}  // namespace dg::steps
