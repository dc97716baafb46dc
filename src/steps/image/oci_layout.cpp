#include "src/steps/image/oci_layout.hpp"

#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/image_config.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/util/digest.hpp"
#include "src/util/file.hpp"

namespace dg::steps::image {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kRefName = "org.opencontainers.image.ref.name";

bool is_index(std::string_view media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

std::string str(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Digests come from untrusted JSON and become file names: only "alg:hex" is accepted.
util::Expected<fs::path> blob_path(const fs::path& dir, const std::string& digest) {
  auto colon = digest.find(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < digest.size();
  if (ok) {
    auto alg = std::string_view(digest).substr(0, colon);
    auto hex = std::string_view(digest).substr(colon + 1);
    ok = alg.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string_view::npos &&
         hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  }
  if (!ok) return util::fail(util::ErrorKind::Input, "invalid digest \"" + digest + "\"", dir.string());
  return dir / "blobs" / digest.substr(0, colon) / digest.substr(colon + 1);
}

util::Expected<json> read_json_blob(const fs::path& dir, const std::string& digest) {
  auto path = blob_path(dir, digest);
  if (!path) return std::unexpected(path.error());
  std::error_code ec;
  auto size = fs::file_size(*path, ec);
  if (ec) return util::fail(util::ErrorKind::Input, "missing blob " + digest, dir.string());
  if (size > kMaxJsonMember)
    return util::fail(util::ErrorKind::Input, "blob " + digest + " is too large for a manifest or config",
                      path->string());
  auto text = util::read_file(*path, 0, kMaxJsonMember);
  if (!text) return std::unexpected(text.error());
  auto hash = util::Digester::for_digest(digest);
  if (!hash) return util::fail(util::ErrorKind::Input, hash.error().message, path->string());
  hash->update(text->data(), text->size());
  if (!hash->matches())
    return util::fail(util::ErrorKind::Input,
                      "blob " + digest + " does not match its digest (its content hashes to " + hash->actual() +
                          "): the layout is corrupt or was tampered with",
                      path->string());
  return parse_json(*text, path->string());
}

// A descriptor in an index, chosen by platform: attestation manifests have os "unknown".
const json* pick_platform(const json& manifests) {
  const json* first = nullptr;
  for (auto& m : manifests) {
    auto p = m.find("platform");
    std::string os = p != m.end() ? str(*p, "os") : "";
    std::string arch = p != m.end() ? str(*p, "architecture") : "";
    if (os == "unknown") continue;
    if (os == "linux" && arch == "amd64") return &m;
    if (!first) first = &m;
  }
  return first;
}

}  // namespace

util::Expected<Image> read_oci_layout(const std::string& spec) {
  fs::path dir = spec;
  std::string tag;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    auto colon = spec.rfind(':');
    if (colon != std::string::npos && colon > 0) {
      dir = spec.substr(0, colon);
      tag = spec.substr(colon + 1);
    }
  }
  if (!fs::is_directory(dir, ec))
    return util::fail(util::ErrorKind::Input, "no such OCI layout directory", dir.string());
  if (!fs::exists(dir / "oci-layout", ec))
    return util::fail(util::ErrorKind::Input, "not an OCI image layout (no oci-layout file)", dir.string());
  auto index_text = util::read_file(dir / "index.json", 0, kMaxJsonMember);
  if (!index_text) return std::unexpected(index_text.error());
  auto index = parse_json(*index_text, (dir / "index.json").string());
  if (!index) return std::unexpected(index.error());
  auto manifests = index->is_object() ? index->find("manifests") : index->end();
  if (manifests == index->end() || !manifests->is_array() || manifests->empty())
    return util::fail(util::ErrorKind::Input, "index.json lists no manifests", (dir / "index.json").string());

  const json* desc = nullptr;
  std::vector<std::string> names;
  for (auto& m : *manifests) {
    std::string ref;
    if (auto ann = m.find("annotations"); ann != m.end()) ref = str(*ann, kRefName);
    if (!ref.empty()) names.push_back(ref);
    if (!tag.empty() && ref == tag) desc = &m;
  }
  if (!tag.empty() && !desc)
    return util::fail(util::ErrorKind::Input, "no manifest named \"" + tag + "\" in index.json", dir.string());
  if (tag.empty()) {
    if (manifests->size() != 1) {
      std::string list;
      for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
      return util::fail(util::ErrorKind::Input,
                        "the layout holds several images; name one as DIR:TAG (tags: " + list + ")", dir.string());
    }
    desc = &(*manifests)[0];
    if (!names.empty()) tag = names.front();
  }

  // Follow nested indexes (multi-platform images) down to one image manifest.
  json manifest;
  std::string digest = str(*desc, "digest");
  std::string media_type = str(*desc, "mediaType");
  for (int depth = 0;; ++depth) {
    auto blob = read_json_blob(dir, digest);
    if (!blob) return std::unexpected(blob.error());
    if (media_type.empty()) media_type = str(*blob, "mediaType");
    if (!is_index(media_type)) {
      manifest = std::move(*blob);
      break;
    }
    auto inner = blob->find("manifests");
    if (depth > 4 || inner == blob->end() || !inner->is_array())
      return util::fail(util::ErrorKind::Input, "index " + digest + " lists no manifests", dir.string());
    const json* next = pick_platform(*inner);
    if (!next) return util::fail(util::ErrorKind::Input, "index " + digest + " has no runnable platform", dir.string());
    digest = str(*next, "digest");
    media_type = str(*next, "mediaType");
  }

  Image img;
  img.source = "oci:" + dir.string() + (tag.empty() ? "" : ":" + tag);
  img.name = tag;
  auto config = manifest.is_object() ? manifest.find("config") : manifest.end();
  if (config == manifest.end() || !config->is_object())
    return util::fail(util::ErrorKind::Input, "manifest " + digest + " has no config", dir.string());
  img.id = str(*config, "digest");
  auto cfg = read_json_blob(dir, img.id);
  if (!cfg) return std::unexpected(cfg.error());
  img.config = config_from_json(*cfg);

  auto layers = manifest.find("layers");
  if (layers == manifest.end() || !layers->is_array())
    return util::fail(util::ErrorKind::Input, "manifest " + digest + " has no layers", dir.string());
  std::size_t i = 0;
  for (auto& l : *layers) {
    Layer layer;
    layer.digest = str(l, "digest");
    layer.media_type = str(l, "mediaType");
    if (auto s = l.is_object() ? l.find("size") : l.end(); s != l.end() && s->is_number_unsigned())
      layer.blob_bytes = s->get<std::uint64_t>();
    layer.compressed = layer.media_type.find("gzip") != std::string::npos ||
                       layer.media_type.find("zstd") != std::string::npos;
    if (i < img.config.diff_ids.size()) layer.diff_id = img.config.diff_ids[i];
    auto path = blob_path(dir, layer.digest);
    if (!path) return std::unexpected(path.error());
    if (!fs::exists(*path, ec))
      return util::fail(util::ErrorKind::Input, "missing layer blob " + layer.digest, dir.string());
    // The descriptor's size is what the metrics add up: it must be the blob's (the digest
    // check below then makes both true).
    if (auto actual = fs::file_size(*path, ec); !ec && layer.blob_bytes && *layer.blob_bytes != actual)
      return util::fail(util::ErrorKind::Input,
                        "blob " + layer.digest + " is " + std::to_string(actual) + " bytes, the manifest says " +
                            std::to_string(*layer.blob_bytes),
                        path->string());
    auto contents = read_layer_file(*path, layer.digest);
    if (!contents) return std::unexpected(contents.error());
    layer.contents = std::move(*contents);
    img.layers.push_back(std::move(layer));
    ++i;
  }
  align_history(img);
  return img;
}

}  // namespace dg::steps::image
