#pragma once
namespace dg::app::exit_code {
inline constexpr int kPass = 0;          // every step ran, policy passed
inline constexpr int kPolicyFailed = 1;  // findings over threshold, smoke test failed, image too big
inline constexpr int kUsage = 2;         // bad flag, invalid dockgate.yml
inline constexpr int kInput = 3;         // a report could not be read or recognized
inline constexpr int kStep = 4;          // a step could not run (tool missing, crashed, timed out, API down)
inline constexpr int kInternal = 70;     // a bug
}  // namespace dg::app::exit_code
