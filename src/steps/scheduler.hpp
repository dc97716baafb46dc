#pragma once
// Runs independent step tasks on a small pool of threads: the steps spend their time waiting on
// child processes and HTTP, so a few threads are enough and no task waits for another.
#include <functional>
#include <vector>

namespace dg::steps {

// Runs every task, at most `jobs` at a time (jobs <= 0: the number of cores), and returns when
// all are done. Tasks must not throw (a step reports its problems in its result).
void run_parallel(std::vector<std::function<void()>> tasks, int jobs);

// The default for --jobs: the number of cores, at least 1.
int default_jobs();

}  // namespace dg::steps
