#include "src/app/common.hpp"

#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "adapters/ci/ci.hpp"
#include "adapters/ingest/risk_feeds.hpp"
#include "adapters/ingest/sniff.hpp"
#include "src/app/app.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/history.hpp"
#include "src/app/outputs.hpp"
#include "src/app/review_diff.hpp"
#include "src/app/source_root.hpp"
#include "src/app/vex_file.hpp"
#include "src/app/waivers_file.hpp"
#include "src/policy/gate.hpp"
#include "src/report/json_result.hpp"
#include "src/report/writers.hpp"
#include "src/util/clock.hpp"
#include "src/util/file.hpp"
#include "src/model/paths.hpp"
#include "src/util/log.hpp"
#include "src/util/text.hpp"

namespace dg::app {
namespace fs = std::filesystem;

void add_output_options(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--json", o.json, "Write the result as JSON (schemas/dockgate-result.schema.json); - for stdout");
  cmd->add_option("--junit", o.junit, "Write JUnit XML (GitLab artifacts:reports:junit, Jenkins junit)");
  cmd->add_option("--sarif", o.sarif, "Write SARIF 2.1.0 (GitHub code scanning, Jenkins warnings-ng)");
  cmd->add_option("--markdown", o.markdown, "Write the PR/MR comment as Markdown");
  cmd->add_option("--html", o.html, "Write a self-contained HTML report (charts, every finding; no network needed)");
  cmd->add_option("--history", o.history, "Past result JSONs (e.g. results/*.json): a trend chart in --html")
      ->check(CLI::ExistingFile);
  cmd->add_option("--codequality", o.codequality, "Write a GitLab Code Quality report");
  cmd->add_flag("--summary", o.summary, "Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set");
  cmd->add_flag("--annotations", o.annotations, "Print GitHub workflow annotations (::error …) on stdout");
  cmd->add_flag("--publish", o.publish, "Post or update the sticky PR/MR comment");
  cmd->add_flag("--publish-strict", o.publish_strict,
                "With --publish: a comment that cannot be posted exits 4 (default: a warning; the verdict decides)");
  add_review_options(cmd, o.review, o.filter_mode, o.max_review_comments, o.review_base);
  cmd->add_option("--platform", o.platform, "CI platform for --publish: auto|github|gitlab|jenkins")
      ->check(CLI::IsMember({"auto", "github", "gitlab", "jenkins"}));
  cmd->add_option("--token-env", o.token_env, "Name of the environment variable that holds the API token");
  cmd->add_option("--comment-key", o.comment_key, "Key of the sticky comment (default: the job name)");
  cmd->add_option("--sarif-category", o.sarif_category,
                  "SARIF analysis category (automationDetails.id); one per image in a matrix (default: the comment key)");
  cmd->add_option("--source-root", o.source_root,
                  "Repository root that paths are made relative to (default: GITHUB_WORKSPACE, CI_PROJECT_DIR, "
                  "WORKSPACE, the git top level, the current directory)");
  cmd->add_option("--color", o.color, "auto|always|never (NO_COLOR is honored)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("-q,--quiet", o.quiet, "Print only errors on stderr");
  cmd->add_flag("-v,--verbose", o.verbose, "Print debug logs on stderr");
}

void add_policy_options(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("-c,--config", o.config, "dockgate.yml (default: ./dockgate.yml when present)");
  cmd->add_option("--fail-on", o.fail_on, "Lowest severity that fails: critical|high|medium|low|info|none")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info", "unknown", "none"}, CLI::ignore_case));
  cmd->add_option("--baseline", o.baseline, "A previous dockgate result JSON: findings become new/unchanged/fixed");
  cmd->add_option("--waivers", o.waivers, "Waiver file (.dockgate-waivers.yml, .trivyignore, .grype.yaml)");
  cmd->add_option("--vex", o.vex,
                  "VEX document (OpenVEX, CycloneDX VEX JSON); repeatable: not_affected and fixed statements waive "
                  "the findings they name");
  cmd->add_flag("--new-only", o.new_only, "With --baseline: gate only on new findings");
  cmd->add_flag("--ignore-unfixed", o.ignore_unfixed, "Vulnerabilities with no fixed version do not fail the gate");
  cmd->add_flag("--strict-waivers", o.strict_waivers, "A waiver that matches nothing fails the gate");
  cmd->add_option("--kev", o.kev, "CISA KEV catalog JSON (known_exploited_vulnerabilities.json); repeatable, read offline");
  cmd->add_option("--epss", o.epss, "FIRST EPSS scores CSV (epss_scores-*.csv, gzip accepted); repeatable, read offline");
  cmd->add_flag("--fail-on-kev", o.fail_on_kev, "A known-exploited (KEV) vulnerability fails the gate whatever its severity");
  cmd->add_option("--epss-threshold", o.epss_threshold,
                  "Vulnerabilities with an EPSS score below this (0..1) do not count; no score counts as before")
      ->check(CLI::Range(0.0, 1.0));
}

util::Expected<Config> begin_command(const CommonOptions& o, const Env& env) {
  util::init_logging(o.quiet, o.verbose);
  // Before anything runs: a clash found after a ten-minute scan would throw the scan away.
  if (auto ok = check_output_paths(o); !ok) return std::unexpected(ok.error());
  return resolve_config(o, env);
}

util::Expected<Config> resolve_config(const CommonOptions& o, const Env& env) {
  fs::path file = o.config;
  if (file.empty()) {
    if (auto it = env.find("DOCKGATE_CONFIG"); it != env.end()) file = it->second;
    else if (fs::exists("dockgate.yml")) file = "dockgate.yml";
  }
  auto cfg = load_config(file, env);
  if (!cfg) return cfg;
  if (!o.fail_on.empty()) {
    if (util::iequals(o.fail_on, "none")) cfg->policy.fail_on = std::nullopt;
    else cfg->policy.fail_on = model::parse_severity(o.fail_on).value_or(model::Severity::High);
  }
  if (!o.baseline.empty()) cfg->baseline = o.baseline;
  if (!o.waivers.empty()) cfg->waivers = o.waivers;
  if (o.new_only) cfg->policy.new_only = true;
  if (o.ignore_unfixed) cfg->policy.ignore_unfixed = true;
  if (o.strict_waivers) cfg->strict_waivers = true;
  if (!o.vex.empty()) cfg->vex = o.vex;
  if (!o.kev.empty()) cfg->kev = o.kev;
  if (!o.epss.empty()) cfg->epss = o.epss;
  if (o.fail_on_kev) cfg->policy.fail_on_kev = true;
  if (o.epss_threshold >= 0) cfg->policy.epss_threshold = o.epss_threshold;
  return cfg;
}

bool use_color(const std::string& mode, const Env& env) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (env.count("NO_COLOR")) return false;
  if (auto t = env.find("TERM"); t != env.end() && t->second == "dumb") return false;
  return ::isatty(STDERR_FILENO) != 0;
}

util::Error missing_dockerfile(const std::string& path, bool from_command_line) {
  std::string msg = "Dockerfile not found: " + path;
  if (!from_command_line) msg += " (set dockerfile: in dockgate.yml or pass --dockerfile)";
  util::Error e;
  e.kind = util::ErrorKind::Input;
  e.message = std::move(msg);
  return e;
}

int report_error(const util::Error& e, Io& io) {
  io.err << "dockgate: error: " << e.to_string() << "\n";
  return util::exit_code(e.kind);
}

namespace {

// A streaming writer's pieces, written to the temporary file of `path` as they come.
struct FileSink : report::TextSink {
  util::OutputFile& file;
  util::Expected<void> status;
  explicit FileSink(util::OutputFile& f) : file(f) {}
  void put(std::string_view piece) override {
    if (status) status = file.write(piece);
  }
  void restart() override {
    if (status) status = file.rewind();
  }
};

}  // namespace

static util::Expected<void> emit(const std::string& path, const std::string& data, Io& io) {
  if (path.empty()) return {};
  if (path == "-") {
    io.out << data;
    io.out.flush();
    return {};
  }
  return util::write_file_atomic(path, data);
}

namespace {

// The pieces of a writer that never starts over, written to the command's output stream.
struct StreamSink : report::TextSink {
  std::ostream& out;
  explicit StreamSink(std::ostream& o) : out(o) {}
  void put(std::string_view piece) override { out.write(piece.data(), static_cast<std::streamsize>(piece.size())); }
  void restart() override {}  // JSON, JUnit and Code Quality never restart (writers.hpp)
};

// JSON, JUnit and Code Quality go to their file in pieces (a large report's is tens of MB), and to
// stdout ("-") in the same pieces.
util::Expected<void> emit_streamed(const std::string& path, const model::Run& run,
                                   void (*write)(const model::Run&, report::TextSink&), Io& io) {
  if (path == "-") {
    StreamSink sink(io.out);
    write(run, sink);
    io.out.flush();
    return {};
  }
  util::OutputFile file;
  if (auto r = file.open(path); !r) return r;
  FileSink sink(file);
  write(run, sink);
  if (!sink.status) return sink.status;
  return file.commit();
}

}  // namespace

namespace {

bool g_free_at_exit = false;
// Reachable from a global: leak checkers do not call what is kept here a leak.
std::vector<model::Run>* g_kept = nullptr;

int finish_run(model::Run& run, std::optional<model::Run>& baseline, const Config& cfg, const CommonOptions& o,
               Io& io);

}  // namespace

void leave_results_to_exit() { g_free_at_exit = true; }

int finish(model::Run& run, const Config& cfg, const CommonOptions& o, Io& io) {
  std::optional<model::Run> baseline;
  int code = finish_run(run, baseline, cfg, o, io);
  if (g_free_at_exit) {
    // The process ends now: its findings go back to the system with it, not one string at a time
    // (freeing 23,000 findings was 5 % of gating a 57 MB report).
    if (!g_kept) g_kept = new std::vector<model::Run>;
    g_kept->push_back(std::move(run));
    if (baseline) g_kept->push_back(std::move(*baseline));
  }
  return code;
}

namespace {

int finish_run(model::Run& run, std::optional<model::Run>& baseline, const Config& cfg, const CommonOptions& o,
               Io& io) {
  auto now = util::now(io.env);
  run.dockgate_version = DOCKGATE_VERSION;
  if (run.started_at.empty()) run.started_at = util::rfc3339(now);
  run.finished_at = util::rfc3339(now);
  if (run.context.platform.empty()) run.context = ci::detect(io.env);

  // Once, before policy: the baseline, fingerprints and every writer see the same relative paths.
  std::string root = normalize_run_paths(run, o.source_root, io.env);

  policy::GateInputs gin;
  gin.policy = cfg.policy;
  gin.today = util::iso_date(now);
  gin.strict_waivers = cfg.strict_waivers;
  if (!cfg.waivers.empty()) {
    auto w = load_waivers(cfg.waivers);
    if (!w) return report_error(w.error(), io);
    gin.waivers = std::move(*w);
  }
  for (auto& path : cfg.vex) {
    auto v = load_vex(path);
    if (!v) return report_error(v.error(), io);
    gin.vex.insert(gin.vex.end(), std::make_move_iterator(v->begin()), std::make_move_iterator(v->end()));
  }
  gin.image = cfg.image;
  for (auto& path : cfg.kev)
    if (auto r = ingest::read_kev_catalog(path, gin.risk_feed); !r) return report_error(r.error(), io);
  for (auto& path : cfg.epss)
    if (auto r = ingest::read_epss_csv(path, gin.risk_feed); !r) return report_error(r.error(), io);
  if (!cfg.baseline.empty()) {
    auto b = ingest::parse_report(cfg.baseline, "dockgate");
    if (!b) return report_error(b.error(), io);
    baseline = b->run ? std::move(*b->run) : model::Run{};
    baseline->steps = std::move(b->steps);
    model::normalize_paths(*baseline, root);  // results written before paths were normalized
    gin.baseline = &*baseline;
  }
  // Read before anything is written: an unreadable history file is an input error, like --baseline.
  report::HtmlOptions html;
  if (!o.html.empty()) {
    auto h = load_history(o.history);
    if (!h) return report_error(h.error(), io);
    html.history = std::move(*h);
    html.shards = o.html_shards;
  } else if (!o.history.empty()) {
    spdlog::warn("--history draws the trend chart of --html: without --html it is not read");
  }
  policy::gate(run, gin);
  // dockgate's own rules link to their page in dockgate's docs: relative in the model, absolute in
  // every output, since a relative link would resolve in the user's repository.
  for (auto& step : run.steps)
    for (auto& f : step.findings)
      if (f.help_uri.starts_with("docs/")) f.help_uri = cfg.docs_url + f.help_uri.substr(4);

  if (!o.json.empty())
    if (auto r = emit_streamed(o.json, run, report::write_json, io); !r)
      return report_error(r.error(), io);
  if (!o.junit.empty())
    if (auto r = emit_streamed(o.junit, run, report::write_junit, io); !r)
      return report_error(r.error(), io);
  if (!o.codequality.empty())
    if (auto r = emit_streamed(o.codequality, run, report::write_codequality, io); !r)
      return report_error(r.error(), io);
  report::MarkdownOptions md;
  md.marker_key = o.comment_key.empty() ? (run.context.job_name.empty() ? "default" : run.context.job_name)
                                        : o.comment_key;
  if (!o.sarif.empty()) {
    report::SarifOptions so;
    so.category = !o.sarif_category.empty() ? o.sarif_category : o.comment_key;
    so.dockerfile = sarif_dockerfile(run, cfg, root);
    so.dockerfile_from_line = final_from_line(root, so.dockerfile);
    so.read_source = [&root](const std::string& rel) { return read_source(root, rel); };
    std::vector<std::string> notes;
    so.warnings = &notes;
    if (o.sarif == "-") {
      auto text = report::write_sarif(run, so);
      for (auto& n : notes) spdlog::warn("{}", n);
      if (auto r = emit(o.sarif, text, io); !r) return report_error(r.error(), io);
    } else {
      // Written to the file as it is made: a large log (tens of MB) is never held whole.
      util::OutputFile file;
      if (auto r = file.open(o.sarif); !r) return report_error(r.error(), io);
      FileSink sink(file);
      report::write_sarif(run, so, sink);
      for (auto& n : notes) spdlog::warn("{}", n);
      if (!sink.status) return report_error(sink.status.error(), io);
      if (auto r = file.commit(); !r) return report_error(r.error(), io);
    }
  }
  if (!o.markdown.empty())
    if (auto r = emit(o.markdown, report::write_markdown(run, md), io); !r) return report_error(r.error(), io);
  if (!o.html.empty())
    if (auto r = emit(o.html, report::write_html(run, html), io); !r) return report_error(r.error(), io);
  if (o.summary) {
    if (auto it = io.env.find("GITHUB_STEP_SUMMARY"); it != io.env.end() && !it->second.empty()) {
      report::MarkdownOptions sm = md;
      sm.with_marker = false;
      sm.max_chars = 1024 * 1024 - 1024;  // GitHub caps the step summary at 1 MiB
      if (auto r = util::append_file(it->second, report::write_markdown(run, sm)); !r)
        spdlog::warn("cannot write the job summary: {}", r.error().to_string());
    }
  }
  if (o.annotations) io.out << report::write_annotations(run);
  if (!o.quiet) {
    report::ConsoleOptions co;
    co.color = use_color(o.color, io.env);
    if (o.max_console > 0) co.top = o.max_console;
    io.err << report::write_console(run, co);
  } else {
    // -q still says how it ended: an exit 1 or 4 with nothing on stderr leaves a CI log mute.
    std::string line = "dockgate: verdict: " + std::string(model::to_string(run.verdict));
    if (run.verdict != model::Verdict::Pass && !run.reasons.empty()) {
      line += " \xE2\x80\x94 " + util::truncate_utf8(run.reasons.front(), 300);
      if (run.reasons.size() > 1) line += " (and " + std::to_string(run.reasons.size() - 1) + " more)";
    }
    io.err << line << "\n";
  }
  if (o.publish || o.review) {
    ci::PublishOptions po;
    po.platform = o.platform;
    po.token_env = o.token_env;
    po.marker_key = md.marker_key;
    po.summary_written = o.summary;  // a fork PR's fallback must not append the summary twice
    review_options(po, o.review || cfg.review, o.filter_mode, o.max_review_comments, o.review_base, root, io.env);
    auto r = ci::publish(run, po, io.env);
    if (!r) {
      // The verdict is the policy's and the steps': a comment that could not be posted is said
      // loudly (even with -q) but does not turn a pass into a failure unless asked to.
      if (o.publish_strict) {
        report_error(r.error(), io);
        return run.verdict == model::Verdict::Fail ? exit_code::kPolicyFailed : exit_code::kStep;
      }
      io.err << "dockgate: warning: the comment was not published: " << r.error().to_string()
             << " (the exit code is the verdict's; --publish-strict makes this exit 4)\n";
    } else {
      if (!o.quiet) io.err << "dockgate: comment " << r->action << (r->detail.empty() ? "" : ": " + r->detail) << "\n";
      if (!o.quiet && !r->review.empty()) io.err << "dockgate: " << r->review << "\n";
      if (!o.annotations) io.out << r->annotations;  // a degraded review: the findings on the diff anyway
    }
  }
  switch (run.verdict) {
    case model::Verdict::Pass: return exit_code::kPass;
    case model::Verdict::Fail: return exit_code::kPolicyFailed;
    case model::Verdict::Error: break;
  }
  return exit_code::kStep;
}

}  // namespace

}  // namespace dg::app
