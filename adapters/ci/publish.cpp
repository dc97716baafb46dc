// STUB (CI helper replaces).
#include "adapters/ci/ci.hpp"

namespace dg::ci {

util::Expected<PublishOutcome> publish(const model::Run&, const PublishOptions&, const Env&) {
  return util::fail(util::ErrorKind::Step, "publishing is not implemented yet");
}

}  // namespace dg::ci
