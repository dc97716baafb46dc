#pragma once
// `docker image inspect` output: from a file, or by running docker for an image ref. It gives
// the config and the total size but no layer contents, so no per-layer analysis.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "src/steps/image/image.hpp"
#include "src/util/error.hpp"

namespace dg::steps::image {

// The first image of the inspect array (a bare object is accepted too).
util::Expected<Image> image_from_inspect(std::string_view text, const std::string& what);

util::Expected<Image> read_inspect_file(const std::filesystem::path& file);

// Runs `docker image inspect REF`. A missing docker binary or a failing docker is a Step error.
util::Expected<Image> inspect_with_docker(const std::string& ref,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace dg::steps::image
