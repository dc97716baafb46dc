#include <charconv>
#include <cmath>

#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/steps/image_size.hpp"
#include "src/util/clock.hpp"
#include "src/util/log.hpp"
#include "src/util/text.hpp"

namespace dg::app {

namespace {

struct SizeOptions {
  std::string image, inspect, archive, oci;
  std::string max, max_growth, max_age_days;
  std::string lowest_efficiency, highest_wasted_bytes, highest_user_wasted_percent;
  CommonOptions common;
};

util::Error usage(std::string msg) {
  util::Error e;
  e.kind = util::ErrorKind::Usage;
  e.message = std::move(msg);
  return e;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// "0.9" or "90%" -> 0.9 (dive writes ratios; people write percents).
util::Expected<double> ratio(const std::string& flag, const std::string& text) {
  std::string t = util::trim(text);
  bool pct = t.ends_with('%');
  if (pct) t.pop_back();
  auto v = number(util::trim(t));
  if (!v || *v < 0 || (pct ? *v / 100 : *v) > 1e6)
    return std::unexpected(usage(flag + ": expected a ratio such as 0.9 or a percent such as 90%, got \"" + text + "\""));
  return pct ? *v / 100 : *v;
}

// Applies the command line on top of dockgate.yml's steps.image-size.
util::Expected<void> apply(const SizeOptions& o, Config& cfg) {
  auto& s = cfg.size;
  if (!o.image.empty() || !o.inspect.empty() || !o.archive.empty() || !o.oci.empty()) {
    s.image = o.image;
    s.inspect = o.inspect;
    s.archive = o.archive;
    s.oci = o.oci;
  }
  if (s.image.empty() && s.inspect.empty() && s.archive.empty() && s.oci.empty()) s.image = cfg.image;
  if (!o.max.empty()) {
    auto b = parse_size(o.max);
    if (!b) return std::unexpected(usage("--max: " + b.error().message));
    s.max_bytes = *b;
  }
  if (!o.max_growth.empty()) {
    std::string t = util::trim(o.max_growth);
    if (t.ends_with('%')) {
      auto v = number(util::trim(std::string_view(t).substr(0, t.size() - 1)));
      if (!v || *v < 0) return std::unexpected(usage("--max-growth: expected a percent such as 10% or a size, got \"" + o.max_growth + "\""));
      s.max_growth_percent = v;
      s.max_growth_bytes.reset();
    } else {
      auto b = parse_size(t);
      if (!b) return std::unexpected(usage("--max-growth: " + b.error().message));
      s.max_growth_bytes = *b;
      s.max_growth_percent.reset();
    }
  }
  if (!o.max_age_days.empty()) {
    int d = 0;
    auto [p, ec] = std::from_chars(o.max_age_days.data(), o.max_age_days.data() + o.max_age_days.size(), d);
    if (ec != std::errc() || p != o.max_age_days.data() + o.max_age_days.size() || d < 0)
      return std::unexpected(usage("--max-age-days: expected a number of days, got \"" + o.max_age_days + "\""));
    s.max_age_days = d;
  }
  if (!o.lowest_efficiency.empty()) {
    auto r = ratio("--lowest-efficiency", o.lowest_efficiency);
    if (!r) return std::unexpected(r.error());
    s.lowest_efficiency = *r;
  }
  if (!o.highest_user_wasted_percent.empty()) {
    auto r = ratio("--highest-user-wasted-percent", o.highest_user_wasted_percent);
    if (!r) return std::unexpected(r.error());
    s.highest_user_wasted_percent = *r;
  }
  if (!o.highest_wasted_bytes.empty()) {
    auto b = parse_size(o.highest_wasted_bytes);
    if (!b) return std::unexpected(usage("--highest-wasted-bytes: " + b.error().message));
    s.highest_wasted_bytes = *b;
  }
  s.configured = true;
  return {};
}

int run_size(SizeOptions& o, Io& io) {
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);
  if (auto r = apply(o, *cfg); !r) return report_error(r.error(), io);
  auto& s = cfg->size;
  if (s.image.empty() && s.inspect.empty() && s.archive.empty() && s.oci.empty())
    return report_error(usage("give an image: IMAGE-REF, --inspect FILE, --archive TAR or --oci DIR[:TAG]"), io);

  // The baseline serves twice: growth here, and new/fixed findings in finish().
  std::optional<model::Run> baseline;
  if (!cfg->baseline.empty()) {
    auto b = ingest::parse_report(cfg->baseline, "dockgate");
    if (!b) return report_error(b.error(), io);
    baseline = b->run ? std::move(*b->run) : model::Run{};
    baseline->steps = std::move(b->steps);
  }

  auto now = util::now(io.env);
  model::Run run;
  run.started_at = util::rfc3339(now);
  run.steps.push_back(steps::run_image_size(s, baseline ? &*baseline : nullptr, now));
  auto& step = run.steps.back();
  if (!o.common.quiet && !step.log_excerpt.empty()) io.err << step.log_excerpt;
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_size(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<SizeOptions>();
  auto* cmd = app.add_subcommand("size", "The image-size step: size budget, growth, wasted space and image config checks");
  cmd->footer(
      "Examples:\n"
      "  dockgate size --archive app.tar --max 300MB                 # docker save app:1.2 -o app.tar\n"
      "  dockgate size --oci build/oci:app --max-growth 10% --baseline main-result.json\n"
      "  dockgate size registry.example/app:1.2 --max 1.2GiB --json size.json   # runs docker image inspect\n"
      "  dockgate size --inspect inspect.json --max-age-days 30\n"
      "  dockgate size --oci build/oci:app --lowest-efficiency 0.9 --highest-user-wasted-percent 0.1\n\n"
      "Reads the image without a Docker daemon from a docker save tar or an OCI layout (sizes per layer,\n"
      "the instruction that made each, wasted space as dive computes it); an image ref or an inspect file\n"
      "give the total size and config only. Exit 1 when over budget, 4 when the image cannot be read.");
  cmd->add_option("image", o->image, "Image ref, inspected with `docker image inspect`");
  cmd->add_option("--inspect", o->inspect, "A `docker image inspect` JSON file")->check(CLI::ExistingFile);
  cmd->add_option("--archive", o->archive, "A `docker save` tar (optionally gzipped)")->check(CLI::ExistingFile);
  cmd->add_option("--oci", o->oci, "An OCI image layout directory, DIR or DIR:TAG");
  cmd->add_option("--max", o->max, "Size budget of the uncompressed image, e.g. 300MB or 1.2GiB");
  cmd->add_option("--max-growth", o->max_growth, "Allowed growth against --baseline: a percent (10%) or a size (20MB)");
  cmd->add_option("--max-age-days", o->max_age_days, "Fail when the image was created more than N days ago");
  cmd->add_option("--lowest-efficiency", o->lowest_efficiency, "dive's lowestEfficiency: a ratio (0.9) or percent");
  cmd->add_option("--highest-wasted-bytes", o->highest_wasted_bytes, "dive's highestWastedBytes, e.g. 20MB");
  cmd->add_option("--highest-user-wasted-percent", o->highest_user_wasted_percent,
                  "dive's highestUserWastedPercent: a ratio (0.1) or percent (10%)");
  auto* group = cmd->get_option("image");
  group->excludes(cmd->get_option("--inspect"))->excludes(cmd->get_option("--archive"))->excludes(cmd->get_option("--oci"));
  cmd->get_option("--inspect")->excludes(cmd->get_option("--archive"))->excludes(cmd->get_option("--oci"));
  cmd->get_option("--archive")->excludes(cmd->get_option("--oci"));
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_size(*o, io); });
}

}  // namespace dg::app
