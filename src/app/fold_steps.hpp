#pragma once
// Folding step results that share a name: two reports of one step (an image scan and a
// filesystem scan by trivy), or the same step from several CI shards (dockgate merge).
#include <vector>

#include "src/model/run.hpp"

namespace dg::app {

// Appends `s` to `steps`, or folds it into the step of the same name: findings, inputs,
// errors and metrics add up; an error anywhere makes the step an error; a step that ran in one
// shard and was skipped in another counts as ran.
void fold_step(std::vector<model::StepResult>& steps, model::StepResult s);

}  // namespace dg::app
