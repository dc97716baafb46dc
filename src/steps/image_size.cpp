// STUB: replaced by the image-size owner.
#include "src/steps/image_size.hpp"

namespace dg::steps {

model::StepResult run_image_size(const SizeStep&, const model::Run*, std::chrono::system_clock::time_point) {
  model::StepResult s;
  s.name = model::step::kSize;
  s.tool = "dockgate";
  s.status = model::StepStatus::Error;
  s.errors.push_back("image-size is not implemented yet");
  return s;
}

}  // namespace dg::steps
