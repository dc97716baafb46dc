#pragma once
// A `docker save` tar (optionally gzipped): the legacy layout (manifest.json, <id>/layer.tar,
// <config>.json, skopeo's <diffid>.tar) and the OCI-in-docker-save layout of Docker 25+
// (manifest.json pointing into blobs/sha256/…). One forward pass over the archive.
#include <filesystem>

#include "src/steps/image/image.hpp"
#include "src/util/error.hpp"

namespace dg::steps::image {

// Limits on the JSON members of the archive (manifest, configs), which are read into memory.
inline constexpr std::uint64_t kMaxJsonMember = 16ull << 20;
inline constexpr std::uint64_t kMaxJsonTotal = 64ull << 20;

// `tag` picks the manifest entry whose RepoTags contains it (a whole "repo:tag" or just "tag");
// empty takes the first.
util::Expected<Image> read_docker_archive(const std::filesystem::path& tar, const std::string& tag = {});

}  // namespace dg::steps::image
