#pragma once
// Checks of the image config that Docker's and the Python-on-Docker handbook's practices ask
// for (docs/image-size.md lists them with their rule ids):
//   image/root-user        runs as root (no User, or User root / 0)               medium
//   image/privileged-port  exposes a port below 1024                              low
//   image/no-healthcheck   no HEALTHCHECK (or HEALTHCHECK NONE)                   low
//   image/no-vcs-labels    no git commit / source labels                          low
//   image/too-old          Created is older than max-age-days                     high
//   image/alpine-python    a Python image on an Alpine (musl) base                medium
#include <chrono>
#include <optional>
#include <vector>

#include "src/model/finding.hpp"
#include "src/steps/image/image.hpp"
#include "src/steps/image/layer_analysis.hpp"

namespace dg::steps::image {

struct ConfigCheckInputs {
  const Image* image = nullptr;
  const Analysis* analysis = nullptr;  // null when no layer tars were read (inspect input)
  std::optional<int> max_age_days;
  std::chrono::system_clock::time_point now;
};

std::vector<model::Finding> check_image_config(const ConfigCheckInputs& in);

// "2026-11-23T15:32:48.456739814Z" or "…+02:00"; nullopt when it is not RFC 3339.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// A finding of this step: tool dockgate, kind Image, and a fingerprint from the rule and a key
// that does not change from build to build (not the size in the message).
model::Finding image_finding(std::string rule, model::Severity sev, std::string title, std::string message,
                             const Image& img, const std::string& stable_key = {});

}  // namespace dg::steps::image
