#pragma once
// The image-size step: sizes, layers and image-config checks from `docker image inspect` JSON,
// a `docker save` tar or an OCI layout, without a Docker daemon.
#include "src/model/run.hpp"
#include "src/steps/image/image.hpp"
#include "src/steps/step_config.hpp"
#include "src/util/error.hpp"

namespace dg::steps {

// `baseline` is a previous result (for max-growth), or null. `now` is injected for age checks.
model::StepResult run_image_size(const SizeStep& cfg, const model::Run* baseline,
                                 std::chrono::system_clock::time_point now);

// Reads the image the config names: oci, else archive, else inspect, else image (through docker).
util::Expected<image::Image> load_image(const SizeStep& cfg);

// The image bytes a previous result recorded (its image-size step's image_bytes metric).
std::optional<double> baseline_image_bytes(const model::Run& baseline);

}  // namespace dg::steps
