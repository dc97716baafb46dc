// dockgate merge: the results of parallel CI jobs (matrix shards) become one result, gated once.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/fold_steps.hpp"
#include "src/app/outputs.hpp"
#include "src/util/log.hpp"

namespace dg::app {

namespace {

struct MergeOptions {
  std::vector<std::string> results;
  std::string output;
  CommonOptions common;
};

// Waiver notices of the shards, when the merge is not given the waiver file again: an expired
// waiver is reported once; a waiver is stale only when it was stale in every shard (a waiver
// used by one shard is not stale overall).
std::vector<model::WaiverNotice> merge_notices(const std::vector<std::vector<model::WaiverNotice>>& shards) {
  std::vector<model::WaiverNotice> out;
  std::set<std::pair<std::string, std::string>> expired_seen;
  std::map<std::pair<std::string, std::string>, std::size_t> stale_count;
  for (auto& notices : shards) {
    std::set<std::pair<std::string, std::string>> stale_here;
    for (auto& n : notices) {
      auto key = std::make_pair(n.id, n.source);
      if (n.state == "expired") {
        if (expired_seen.insert(key).second) out.push_back(n);
      } else if (stale_here.insert(key).second && ++stale_count[key] == shards.size()) {
        out.push_back(n);
      }
    }
  }
  return out;
}

int run_merge(MergeOptions& o, Io& io) {
  if (!o.output.empty())  // -o is --json's other name
    if (auto ok = take_output_alias(o.output, o.common.json, "json", "the result JSON"); !ok)
      return report_error(ok.error(), io);
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);

  model::Run run;
  std::vector<std::vector<model::WaiverNotice>> notices;
  std::vector<model::Finding> fixed;
  // Each shard is folded as soon as it is read, so the memory of its findings serves the next
  // shard's instead of every shard taking fresh pages (the kernel zeroing them was half of
  // merging 64 shards). A step is reserved for all shards at its first fold, from the shards'
  // sizes: a result takes ~850 bytes a finding, so one per 512 is seldom too few (the vector then
  // grows) and too many costs address space only, never touched.
  std::size_t expected = 0;
  for (auto& path : o.results) {
    std::error_code ec;
    if (auto n = std::filesystem::file_size(path, ec); !ec) expected += n / 512;
  }
  std::unordered_set<std::string> reserved;
  int code = exit_code::kPass;
  for (auto& path : o.results) {
    auto parsed = ingest::parse_report(path, "dockgate");
    if (!parsed) {
      code = report_error(parsed.error(), io);  // name every bad input before stopping
      continue;
    }
    for (auto& w : parsed->warnings) spdlog::warn("{}", w);
    if (!o.common.html.empty()) {  // the HTML report shows each shard as its job gated it
      const model::Run* env = parsed->run ? &*parsed->run : nullptr;
      std::string name = path;
      if (env && !env->context.job_name.empty()) name += " (job " + env->context.job_name + ")";
      o.common.html_shards.push_back(report::shard_summary(name, env, parsed->steps));
    }
    if (parsed->run) {
      auto& r = *parsed->run;
      if (run.context.platform.empty()) run.context = r.context;
      if (!r.started_at.empty() && (run.started_at.empty() || r.started_at < run.started_at))
        run.started_at = r.started_at;
      run.merged_duplicates += r.merged_duplicates;
      for (auto& step : r.baseline_incomplete)
        if (std::ranges::find(run.baseline_incomplete, step) == run.baseline_incomplete.end())
          run.baseline_incomplete.push_back(step);
      run.baseline_unknown += r.baseline_unknown;
      notices.push_back(std::move(r.waiver_notices));
      for (auto& f : r.fixed) fixed.push_back(std::move(f));
    } else {
      notices.emplace_back();
    }
    for (auto& s : parsed->steps) {
      // The first step of a name is the one the others fold into.
      if (reserved.insert(s.name).second && expected > s.findings.size()) s.findings.reserve(expected);
      fold_step(run.steps, std::move(s));
    }
  }
  if (code != exit_code::kPass) return code;
  run.waiver_notices = merge_notices(notices);

  // A finding one shard fixed but another still has is not fixed.
  std::unordered_set<std::string> present;  // only when a shard fixed something: a set of 32k costs
  if (!fixed.empty())
    for (auto& s : run.steps)
      for (auto& f : s.findings) present.insert(f.fingerprint);
  for (auto& f : fixed)
    if (f.fingerprint.empty() || present.insert(f.fingerprint).second) run.fixed.push_back(std::move(f));

  spdlog::debug("merged {} results into {} steps", o.results.size(), run.steps.size());
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_merge(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "Combine the results of parallel CI jobs into one, gated once");
  cmd->footer(
      "Examples:\n"
      "  dockgate merge shard-*/result.json -o merged.json\n"
      "  dockgate merge a.json b.json --markdown comment.md --junit junit.xml --publish\n"
      "  dockgate merge results/*.json --waivers .dockgate-waivers.yml --baseline main-result.json -o merged.json\n\n"
      "Steps of the same name are folded into one (their findings, inputs and metrics add up; an\n"
      "error in any shard is an error). Trivy and grype findings of the same vulnerability in the\n"
      "same package become one finding, then the policy is applied once to the whole. Give the\n"
      "waiver file again to re-check waivers over all shards; otherwise each shard's waivers stay.");
  cmd->add_option("results", o->results, "dockgate result JSON files (written with --json)")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("-o,--output", o->output, "Write the merged result JSON here (same as --json); - for stdout");
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_merge(*o, io); });
}

}  // namespace dg::app
