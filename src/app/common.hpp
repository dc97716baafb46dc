#pragma once
// What every gating command (gate, run, merge) shares: output flags, policy flags, and the
// tail of the pipeline (policy -> reports -> publish -> exit code).
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "src/app/config.hpp"
#include "src/model/run.hpp"
#include "src/report/html.hpp"

namespace dg::app {

struct Io {
  std::ostream& out;
  std::ostream& err;
  const Env& env;
};

struct CommonOptions {
  // outputs ("-" = stdout)
  std::string json, junit, sarif, markdown, codequality;
  std::string html;                   // the self-contained HTML report
  std::vector<std::string> history;   // past result JSONs: the HTML report's trend chart
  std::vector<report::HtmlShard> html_shards;  // set by merge (not a flag): one HTML section per shard
  bool summary = false;      // append Markdown to $GITHUB_STEP_SUMMARY
  bool annotations = false;  // GitHub workflow commands on stdout
  bool publish = false;      // post/update the PR/MR comment
  bool publish_strict = false;  // a failed publish exits 4 instead of warning
  bool review = false;          // inline review comments on the changed lines (implies publish)
  std::string filter_mode = "added";  // added | diff_context | file | nofilter
  std::size_t max_review_comments = 50;
  std::string review_base;      // the ref the PR is diffed against; default from the CI's variables
  std::size_t max_console = 0;  // findings per step on the console; 0: the command's default
  std::string platform = "auto";
  std::string token_env;
  std::string comment_key;
  std::string sarif_category;  // automationDetails.id prefix; default: the comment key
  std::string source_root;     // paths are made relative to it; default: CI workspace / git top level
  std::string color = "auto";
  bool quiet = false, verbose = false;
  // policy
  std::string config;        // dockgate.yml; default ./dockgate.yml when it exists
  std::string fail_on;
  std::string baseline;
  std::string waivers;
  std::vector<std::string> vex;  // --vex, repeatable; replaces vex: of dockgate.yml
  bool new_only = false, ignore_unfixed = false, strict_waivers = false;
  std::vector<std::string> kev, epss;  // offline feed files
  bool fail_on_kev = false;
  double epss_threshold = -1;          // -1: not given
};

void add_output_options(CLI::App* cmd, CommonOptions& o);
void add_policy_options(CLI::App* cmd, CommonOptions& o);

// Loads dockgate.yml (explicit --config, else ./dockgate.yml if present) and applies the CLI
// overrides on top.
util::Expected<Config> resolve_config(const CommonOptions& o, const Env& env);

// How every command but publish starts: logging at the asked verbosity, then resolve_config.
util::Expected<Config> begin_command(const CommonOptions& o, const Env& env);

// Gates `run` and writes every requested output; returns the exit code.
int finish(model::Run& run, const Config& cfg, const CommonOptions& o, Io& io);

// The one rule for a Dockerfile that is not there, in lint and run alike: an input error (exit 3)
// before anything runs. The hint names `dockerfile:` only when the path did not come from the
// command line.
util::Error missing_dockerfile(const std::string& path, bool from_command_line);

// Prints an error ("dockgate: error: file:line:col: message") and returns its exit code.
int report_error(const util::Error& e, Io& io);

bool use_color(const std::string& mode, const Env& env);

}  // namespace dg::app
