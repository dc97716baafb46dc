#include "src/steps/image/image_config.hpp"

#include <algorithm>

#include "src/util/json_depth.hpp"

namespace dg::steps::image {

using nlohmann::json;

namespace {

const json* member(const json& obj, std::string_view a, std::string_view b = {}) {
  if (!obj.is_object()) return nullptr;
  if (auto it = obj.find(a); it != obj.end()) return &*it;
  if (!b.empty())
    if (auto it = obj.find(b); it != obj.end()) return &*it;
  return nullptr;
}

std::string str(const json* v) { return v && v->is_string() ? v->get<std::string>() : std::string(); }

std::vector<std::string> strings(const json* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (auto& e : *v)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace

util::Expected<json> parse_json(std::string_view text, const std::string& what) {
  // nlohmann's parser has no depth limit: 16 MiB of '[' (the largest manifest read) made a document
  // 16 million levels deep, 1.3 GB. No manifest, config or inspect output nests past a few levels.
  if (auto at = util::json_too_deep_at(text); at != std::string_view::npos) {
    util::Error e{util::ErrorKind::Input,
                  "JSON nested deeper than " + std::to_string(util::kMaxJsonDepth) +
                      " levels (no manifest, config or inspect output nests that deep; the limit keeps reading "
                      "bounded)",
                  what};
    auto line_start = text.rfind('\n', at);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    e.offset = at;
    e.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    e.column = static_cast<int>(at - line_start) + 1;
    return std::unexpected(std::move(e));
  }
  auto j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return util::fail(util::ErrorKind::Input, "not valid JSON", what);
  return j;
}

ImageConfig config_from_json(const json& root) {
  ImageConfig c;
  c.created = str(member(root, "created", "Created"));
  c.os = str(member(root, "os", "Os"));
  c.architecture = str(member(root, "architecture", "Architecture"));
  if (const json* cfg = member(root, "config", "Config"); cfg && cfg->is_object()) {
    c.user = str(member(*cfg, "User"));
    if (const json* ports = member(*cfg, "ExposedPorts"); ports && ports->is_object())
      for (auto& [port, _] : ports->items()) c.exposed_ports.push_back(port);
    c.env = strings(member(*cfg, "Env"));
    if (const json* labels = member(*cfg, "Labels"); labels && labels->is_object())
      for (auto& [k, v] : labels->items())
        if (v.is_string()) c.labels[k] = v.get<std::string>();
    // HEALTHCHECK NONE is stored as Test ["NONE"]: it disables an inherited check.
    if (const json* hc = member(*cfg, "Healthcheck"); hc && hc->is_object()) {
      auto test = strings(member(*hc, "Test"));
      c.has_healthcheck = !test.empty() && test.front() != "NONE";
    }
  }
  if (const json* hist = member(root, "history"); hist && hist->is_array()) {
    for (auto& h : *hist) {
      HistoryEntry e;
      e.created = str(member(h, "created"));
      e.created_by = str(member(h, "created_by"));
      e.comment = str(member(h, "comment"));
      if (const json* el = member(h, "empty_layer"); el && el->is_boolean()) e.empty_layer = el->get<bool>();
      c.history.push_back(std::move(e));
    }
  }
  if (const json* rootfs = member(root, "rootfs", "RootFS"); rootfs && rootfs->is_object()) {
    c.diff_ids = strings(member(*rootfs, "diff_ids"));
    if (c.diff_ids.empty()) c.diff_ids = strings(member(*rootfs, "Layers"));
  }
  return c;
}

}  // namespace dg::steps::image
