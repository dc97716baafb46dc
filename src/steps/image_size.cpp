#include "src/steps/image_size.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/human_bytes.hpp"
#include "src/steps/image/image_config_checks.hpp"
#include "src/steps/image/inspect_json.hpp"
#include "src/steps/image/layer_analysis.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/steps/image/oci_layout.hpp"
#include "src/util/text.hpp"

namespace dg::steps {

namespace {

using image::human_bytes;
using model::Severity;

std::string percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", ratio * 100);
  return buf;
}

std::string short_digest(const std::string& d) {
  auto colon = d.find(':');
  std::string hex = colon == std::string::npos ? d : d.substr(colon + 1);
  return hex.substr(0, 12);
}

}  // namespace

util::Expected<image::Image> load_image(const SizeStep& cfg) {
  if (!cfg.oci.empty()) return image::read_oci_layout(cfg.oci);
  if (!cfg.archive.empty()) return image::read_docker_archive(cfg.archive);
  if (!cfg.inspect.empty()) return image::read_inspect_file(cfg.inspect);
  if (!cfg.image.empty()) return image::inspect_with_docker(cfg.image);
  return util::fail(util::ErrorKind::Usage,
                    "image-size needs an image: an image ref, --inspect FILE, --archive TAR or --oci DIR");
}

std::optional<double> baseline_image_bytes(const model::Run& baseline) {
  for (auto& s : baseline.steps) {
    if (s.name != model::step::kSize) continue;
    if (auto it = s.metrics.find("image_bytes"); it != s.metrics.end() && it->second > 0) return it->second;
  }
  return std::nullopt;
}

model::StepResult run_image_size(const SizeStep& cfg, const model::Run* baseline,
                                 std::chrono::system_clock::time_point now) {
  auto started = std::chrono::steady_clock::now();
  model::StepResult s;
  s.name = model::step::kSize;
  s.tool = "dockgate";
  s.tool_version = DOCKGATE_VERSION;
  for (auto* in : {&cfg.oci, &cfg.archive, &cfg.inspect, &cfg.image})
    if (!in->empty()) {
      s.inputs.push_back(*in);
      break;
    }
  s.format = !cfg.oci.empty() ? "oci-layout" : !cfg.archive.empty() ? "docker-archive" : "docker-inspect";
  auto finish = [&s, started] {
    s.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                        .count();
  };

  auto loaded = load_image(cfg);
  if (!loaded) {
    s.status = model::StepStatus::Error;
    s.errors.push_back(loaded.error().to_string());
    finish();
    return s;
  }
  image::Image& img = *loaded;

  std::vector<const image::LayerContents*> contents;
  for (auto& l : img.layers)
    if (l.contents) contents.push_back(&*l.contents);
  bool have_layers = !img.layers.empty() && contents.size() == img.layers.size();
  std::optional<image::Analysis> analysis;
  if (have_layers) {
    std::uint64_t total = 0;
    for (auto* c : contents)
      if (!image::add_bytes(total, c->file_bytes)) {
        s.status = model::StepStatus::Error;
        s.errors.push_back(img.source + ": the layers claim more than " +
                           std::to_string(image::kMaxImageBytes >> 30) + " GiB of files: not an image dockgate measures");
        finish();
        return s;
      }
    analysis = image::analyze_layers(contents);
  }

  // Sizes.
  std::optional<std::uint64_t> image_bytes =
      analysis ? std::optional<std::uint64_t>(analysis->size_bytes) : img.reported_size;
  auto& m = s.metrics;
  m["layers"] = static_cast<double>(img.layers.size());
  if (image_bytes) m["image_bytes"] = static_cast<double>(*image_bytes);
  bool all_blobs = !img.layers.empty() && std::ranges::all_of(img.layers, [](auto& l) { return l.blob_bytes.has_value(); });
  if (all_blobs) {
    std::uint64_t blobs = 0;
    for (auto& l : img.layers)
      if (!image::add_bytes(blobs, *l.blob_bytes)) {
        s.status = model::StepStatus::Error;
        s.errors.push_back(img.source + ": the layers claim more than " +
                           std::to_string(image::kMaxImageBytes >> 30) + " GiB: not an image dockgate measures");
        finish();
        return s;
      }
    m["blob_bytes"] = static_cast<double>(blobs);
    if (std::ranges::all_of(img.layers, [](auto& l) { return l.compressed; })) m["compressed_bytes"] = static_cast<double>(blobs);
  }
  if (analysis) {
    std::uint64_t largest = 0;
    for (auto& l : analysis->layers) largest = std::max(largest, l.bytes);
    m["largest_layer_bytes"] = static_cast<double>(largest);
    m["wasted_bytes"] = static_cast<double>(analysis->wasted_bytes);
    m["efficiency"] = analysis->efficiency;
    m["user_bytes"] = static_cast<double>(analysis->user_size_bytes);
    m["user_wasted_percent"] = analysis->user_wasted_ratio * 100;
    m["inefficient_paths"] = static_cast<double>(analysis->inefficient_paths);
  }
  if (cfg.max_bytes) m["max_bytes"] = static_cast<double>(*cfg.max_bytes);
  if (auto created = image::parse_rfc3339(img.config.created))
    m["age_days"] = static_cast<double>(std::chrono::floor<std::chrono::days>(now - *created).count());  // whole days

  std::vector<std::string> notes;
  const std::string target = img.name.empty() ? img.source : img.name;

  // The size budget.
  if (cfg.max_bytes) {
    if (!image_bytes) notes.push_back("max not checked: the input does not give the image size");
    else if (*image_bytes > *cfg.max_bytes)
      s.findings.push_back(image::image_finding(
          "size/over-budget", Severity::Critical, "The image is over its size budget",
          "The image is " + human_bytes(*image_bytes) + " (" + std::to_string(*image_bytes) + " bytes), over the budget of " +
              human_bytes(*cfg.max_bytes) + " by " + human_bytes(*image_bytes - *cfg.max_bytes) + ".",
          img));
  }

  // Growth against the previous result.
  if (baseline) {
    auto base = baseline_image_bytes(*baseline);
    if (!base) {
      notes.push_back("growth not checked: the baseline has no image-size result");
    } else if (image_bytes) {
      double growth = static_cast<double>(*image_bytes) - *base;
      double pct = growth / *base * 100;
      m["baseline_bytes"] = *base;
      m["growth_bytes"] = growth;
      m["growth_percent"] = pct;
      bool over_pct = cfg.max_growth_percent && pct > *cfg.max_growth_percent;
      bool over_bytes = cfg.max_growth_bytes && growth > static_cast<double>(*cfg.max_growth_bytes);
      if (over_pct || over_bytes) {
        char p[32];
        std::snprintf(p, sizeof p, "%.1f%%", pct);
        std::string limit = over_pct ? std::to_string(static_cast<long long>(std::llround(*cfg.max_growth_percent))) + "%"
                                     : human_bytes(*cfg.max_growth_bytes);
        if (over_pct && std::fmod(*cfg.max_growth_percent, 1.0) != 0) {
          char l[32];
          std::snprintf(l, sizeof l, "%.1f%%", *cfg.max_growth_percent);
          limit = l;
        }
        s.findings.push_back(image::image_finding(
            "size/growth", Severity::Critical, "The image grew more than allowed",
            "The image grew by " + human_bytes(static_cast<std::uint64_t>(growth)) + " (" + p + "), from " +
                human_bytes(static_cast<std::uint64_t>(*base)) + " to " + human_bytes(*image_bytes) +
                "; max-growth is " + limit + ".",
            img));
      }
    }
  } else if (cfg.max_growth_bytes || cfg.max_growth_percent) {
    notes.push_back("max-growth not checked: no baseline result");
  }

  // dive's CI gates.
  bool dive_gates = cfg.lowest_efficiency || cfg.highest_wasted_bytes || cfg.highest_user_wasted_percent;
  if (dive_gates && !analysis) notes.push_back("efficiency gates not checked: they need the layer tars (--archive or --oci)");
  if (analysis) {
    if (cfg.lowest_efficiency && analysis->efficiency < *cfg.lowest_efficiency)
      s.findings.push_back(image::image_finding(
          "size/low-efficiency", Severity::Critical, "The image wastes space across layers",
          "Efficiency is " + percent(analysis->efficiency) + ", below lowest-efficiency " +
              percent(*cfg.lowest_efficiency) + ": files are overwritten or deleted by later layers.",
          img));
    if (cfg.highest_wasted_bytes && analysis->wasted_bytes > *cfg.highest_wasted_bytes)
      s.findings.push_back(image::image_finding(
          "size/wasted-bytes", Severity::Critical, "The image carries too many wasted bytes",
          "Wasted bytes are " + human_bytes(analysis->wasted_bytes) + ", over highest-wasted-bytes " +
              human_bytes(*cfg.highest_wasted_bytes) + ".",
          img));
    if (cfg.highest_user_wasted_percent && analysis->user_wasted_ratio > *cfg.highest_user_wasted_percent)
      s.findings.push_back(image::image_finding(
          "size/user-wasted-percent", Severity::Critical, "Too much of the image's own layers is wasted",
          "Wasted bytes are " + percent(analysis->user_wasted_ratio) + " of the layers above the base, over "
              "highest-user-wasted-percent " + percent(*cfg.highest_user_wasted_percent) + ".",
          img));
  }

  image::ConfigCheckInputs ci;
  ci.image = &img;
  ci.analysis = analysis ? &*analysis : nullptr;
  ci.max_age_days = cfg.max_age_days;
  ci.now = now;
  for (auto& f : image::check_image_config(ci)) s.findings.push_back(std::move(f));

  // The log: what a reviewer needs to see why the image is big.
  std::string log = "image " + target + ": ";
  log += image_bytes ? human_bytes(*image_bytes) : std::string("size unknown");
  if (m.count("compressed_bytes")) log += ", " + human_bytes(static_cast<std::uint64_t>(m["compressed_bytes"])) + " compressed";
  log += ", " + std::to_string(img.layers.size()) + " layers\n";
  if (analysis)
    log += "efficiency " + percent(analysis->efficiency) + ", wasted " + human_bytes(analysis->wasted_bytes) +
           " (user wasted " + percent(analysis->user_wasted_ratio) + ")\n";
  if (m.count("growth_bytes")) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "growth %+.0f bytes (%+.1f %%) against the baseline\n", m["growth_bytes"],
                  m["growth_percent"]);
    log += buf;
  }
  if (analysis) {
    std::vector<std::size_t> order(img.layers.size());
    std::iota(order.begin(), order.end(), 0);
    std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
      return analysis->layers[a].bytes > analysis->layers[b].bytes;
    });
    log += "largest layers:\n";
    for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
      auto i = order[k];
      auto& l = img.layers[i];
      auto& st = analysis->layers[i];
      std::string instr = l.created_by.empty() ? "(no history)" : util::truncate_utf8(util::normalize_space(l.created_by), 100);
      log += "  #" + std::to_string(i + 1) + " " + human_bytes(st.bytes) + " " + short_digest(l.digest) + " " + instr + "\n";
      for (std::size_t f = 0; f < std::min<std::size_t>(3, st.largest.size()); ++f)
        log += "      " + human_bytes(st.largest[f].bytes) + " /" + util::truncate_utf8(st.largest[f].path, 120) + "\n";
    }
    if (!analysis->top_wasted.empty()) {
      log += "wasted (overwritten or deleted in a later layer):\n";
      for (std::size_t k = 0; k < std::min<std::size_t>(5, analysis->top_wasted.size()); ++k) {
        auto& w = analysis->top_wasted[k];
        log += "  " + human_bytes(w.cumulative_bytes) + " /" + util::truncate_utf8(w.path, 120) + " (" +
               std::to_string(w.layers) + " layers)\n";
      }
    }
  }
  for (auto& n : notes) log += "note: " + n + "\n";
  for (auto& w : img.warnings) log += "warning: " + w + "\n";
  s.log_excerpt = std::move(log);

  s.status = std::ranges::any_of(s.findings, [](auto& f) { return f.severity == Severity::Critical; })
                 ? model::StepStatus::Failed
                 : model::StepStatus::Passed;
  finish();
  return s;
}

}  // namespace dg::steps
