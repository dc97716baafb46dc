#pragma once
// The image config blob (OCI / Docker "container config") and the Config part of
// `docker image inspect`, into ImageConfig.
#include <nlohmann/json.hpp>
#include <string_view>

#include "src/steps/image/image.hpp"
#include "src/util/error.hpp"

namespace dg::steps::image {

// Reads both spellings: the config blob (created, config.User, history, rootfs.diff_ids) and
// inspect output (Created, Config.User, RootFS.Layers). Unknown or mistyped fields are ignored.
ImageConfig config_from_json(const nlohmann::json& root);

// Parses JSON text without exceptions; `what` names the input in the error (file or blob).
// Nesting deeper than 1,024 levels is an Input error at its line and column.
util::Expected<nlohmann::json> parse_json(std::string_view text, const std::string& what);

}  // namespace dg::steps::image
