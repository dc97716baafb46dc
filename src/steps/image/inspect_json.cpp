#include "src/steps/image/inspect_json.hpp"

#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/image_config.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/util/file.hpp"
#include "src/util/process.hpp"

namespace dg::steps::image {

using nlohmann::json;

util::Expected<Image> image_from_inspect(std::string_view text, const std::string& what) {
  auto parsed = parse_json(text, what);
  if (!parsed) return std::unexpected(parsed.error());
  const json* obj = &*parsed;
  if (obj->is_array()) {
    if (obj->empty()) return util::fail(util::ErrorKind::Input, "docker image inspect output lists no image", what);
    obj = &(*obj)[0];
  }
  if (!obj->is_object() || (!obj->contains("Config") && !obj->contains("RootFS") && !obj->contains("Size")))
    return util::fail(util::ErrorKind::Input, "not docker image inspect output (no Config, RootFS or Size)", what);

  Image img;
  img.config = config_from_json(*obj);
  if (auto id = obj->find("Id"); id != obj->end() && id->is_string()) img.id = id->get<std::string>();
  if (auto tags = obj->find("RepoTags"); tags != obj->end() && tags->is_array() && !tags->empty() &&
                                         (*tags)[0].is_string())
    img.name = (*tags)[0].get<std::string>();
  if (auto size = obj->find("Size"); size != obj->end() && size->is_number() && size->get<double>() >= 0) {
    // The bound the layer sums have (add_bytes): no real image comes near it.
    if (size->get<double>() > static_cast<double>(kMaxImageBytes))
      return util::fail(util::ErrorKind::Input,
                        "the image claims " + size->dump() + " bytes, more than " +
                            std::to_string(kMaxImageBytes >> 30) + " GiB: not an image dockgate measures",
                        what);
    img.reported_size = size->get<std::uint64_t>();
  }
  for (auto& d : img.config.diff_ids) {
    Layer l;
    l.diff_id = d;
    l.digest = d;
    img.layers.push_back(std::move(l));
  }
  return img;
}

util::Expected<Image> read_inspect_file(const std::filesystem::path& file) {
  // Bounded as manifests and configs are: the whole text becomes one nlohmann document.
  auto text = util::read_file(file, 0, kMaxJsonMember);
  if (!text) return std::unexpected(text.error());
  auto img = image_from_inspect(*text, file.string());
  if (img) img->source = "inspect:" + file.string();
  return img;
}

util::Expected<Image> inspect_with_docker(const std::string& ref, std::chrono::milliseconds timeout) {
  util::ProcessSpec spec;
  spec.argv = {"docker", "image", "inspect", "--", ref};
  spec.timeout = timeout;
  auto r = util::run_process(spec);
  if (!r) return std::unexpected(r.error());
  if (r->not_found)
    return util::fail(util::ErrorKind::Step,
                      "docker is not installed (not on PATH): cannot inspect " + ref +
                          "; give a docker save tar (--archive) or an OCI layout (--oci) instead");
  if (r->timed_out) return util::fail(util::ErrorKind::Step, "docker image inspect " + ref + " timed out");
  if (r->exit_code != 0) {
    auto why = util::last_lines(r->err.empty() ? r->out : r->err, 5);
    return util::fail(util::ErrorKind::Step, "docker image inspect " + ref + " failed (exit " +
                                                 std::to_string(r->exit_code) + "): " + why);
  }
  auto img = image_from_inspect(r->out, "docker image inspect " + ref);
  if (!img) {
    auto e = img.error();
    e.kind = util::ErrorKind::Step;
    return std::unexpected(e);
  }
  img->source = "docker:" + ref;
  if (img->name.empty()) img->name = ref;
  return img;
}

}  // namespace dg::steps::image
