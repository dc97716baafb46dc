#pragma once
// An OCI image layout directory (oci-layout, index.json, blobs/<alg>/<hex>), as written by
// umoci, skopeo (oci:DIR:tag), buildah and `docker buildx build --output type=oci`.
#include <filesystem>
#include <string>

#include "src/steps/image/image.hpp"
#include "src/util/error.hpp"

namespace dg::steps::image {

// `spec` is DIR or DIR:TAG; TAG selects the manifest by its org.opencontainers.image.ref.name
// annotation. Without a tag the layout must hold exactly one manifest. A multi-platform index
// resolves to linux/amd64, else the first real platform.
util::Expected<Image> read_oci_layout(const std::string& spec);

}  // namespace dg::steps::image
