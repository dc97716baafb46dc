#pragma once
// Runs independent step tasks on a small pool of threads: the steps spend their time waiting on
// child processes and HTTP, so a few threads are enough and no task waits for another.
#include <functional>
#include <vector>

namespace dg::steps {

// Runs every task, at most `jobs` at a time, and returns when all are done. jobs <= 0 runs every
// task at once: steps spend their time waiting on child processes, so bounding them by the number of
// cores only made a 2-core runner wait twice as long (`--jobs` still bounds CPU-heavy scanners).
// Tasks must not throw (a step reports its problems in its result).
void run_parallel(std::vector<std::function<void()>> tasks, int jobs);

}  // namespace dg::steps
