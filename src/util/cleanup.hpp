#pragma once
// What must not outlive dockgate, whatever ends it (DESIGN "Security"): the temporary files of
// outputs being written, and every process a step started, including grandchildren that called
// setsid() and so left the step's process group.
namespace dg::util {

// Remembers a temporary file to remove if SIGINT or SIGTERM ends dockgate before the file is
// renamed into place. Returns a slot for forget_temp, or -1 when all slots are taken (the file
// is then removed on the ordinary paths only). Safe to call from several threads.
int remember_temp(const char* path);
void forget_temp(int slot);

// Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a descendant whose
// parent exits (a daemon that setsid()s and forks) becomes our child instead of init's, so
// kill_descendants can find it. False when the kernel refuses.
bool become_subreaper();

// SIGKILLs every child of this process and its process group, reaps it, and repeats while
// orphans keep being handed to us (bounded rounds). Async-signal-safe (raw system calls over
// /proc). Only for the dockgate binary: a test process has children of its own to keep.
void kill_descendants();

// The binary's SIGINT/SIGTERM handlers: remove the remembered temporary files, kill the
// descendants, then die of the same signal. A command that must stop gracefully (run, smoke)
// installs a SignalGuard over these for its duration.
void install_exit_cleanup();

// What those handlers do before dying, for tests (no signal involved).
void run_exit_cleanup();

}  // namespace dg::util
