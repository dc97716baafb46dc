// STUB (policy helper replaces): thresholds only.
#include "src/policy/gate.hpp"

namespace dg::policy {

void gate(model::Run& run, const GateInputs& in) { evaluate(run, in.policy); }

}  // namespace dg::policy
