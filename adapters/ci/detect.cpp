// STUB (CI helper replaces).
#include "adapters/ci/ci.hpp"

namespace dg::ci {

model::Context detect(const Env&) {
  model::Context c;
  c.platform = "local";
  return c;
}

}  // namespace dg::ci
