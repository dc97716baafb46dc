// SARIF 2.1.0 for GitHub code scanning and Jenkins warnings-ng: one run per tool, because
// GitHub rejects an upload with several runs of the same tool and category. What GitHub does with
// each field is checked against its consumers: github/codeql-action src/upload-lib.ts (category,
// size), src/fingerprints.ts (primaryLocationLineHash), and the docs pages "SARIF support for code
// scanning" (startLine required, %SRCROOT%) and "SARIF results exceed one or more limits".
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_set>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/json_pretty.hpp"
#include "src/report/line_hash.hpp"
#include "src/report/writers.hpp"
#include "src/util/gzip.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using model::Finding;
using model::Severity;

constexpr std::string_view kSrcRoot = "%SRCROOT%";

std::string information_uri(const std::string& tool) {
  static const std::map<std::string, std::string, std::less<>> known{
      {"hadolint", "https://github.com/hadolint/hadolint"},
      {"trivy", "https://github.com/aquasecurity/trivy"},
      {"grype", "https://github.com/anchore/grype"},
      {"bandit", "https://github.com/PyCQA/bandit"},
  };
  if (auto it = known.find(util::to_lower(tool)); it != known.end()) return it->second;
  return "https://github.com/dockgate/dockgate";
}

std::string_view level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium:
    case Severity::Unknown: return "warning";
    case Severity::Low:
    case Severity::Info: break;
  }
  return "note";
}

// Every byte outside the unreserved/path set percent-encoded, as a SARIF URI needs.
std::string uri_encode(std::string_view path) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '@' || c == '+')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A repository-relative URI reference: forward slashes, no leading "./" or "/", and every byte
// outside the unreserved/path set percent-encoded.
std::string relative_uri(std::string path) {
  for (auto& c : path)
    if (c == '\\') c = '/';
  while (path.starts_with("./")) path.erase(0, 2);
  while (path.starts_with("/")) path.erase(0, 1);
  std::string out = uri_encode(path);
  return out.empty() ? "Dockerfile" : out;
}

// At most two tags; an empty second one is left out.
std::array<std::string_view, 2> tags(const Finding& f) {
  using model::Kind;
  switch (f.kind) {
    case Kind::Vulnerability: return {"security", "vulnerability"};
    case Kind::Misconfiguration: return {"security", "misconfiguration"};
    case Kind::Secret: return {"security", "secret"};
    case Kind::License: return {"security", "license"};
    case Kind::Code: return {"security", "code"};
    case Kind::Lint: return {"maintainability", "dockerfile"};
    case Kind::Image: return {"image", ""};
    case Kind::Smoke: return {"smoke-test", ""};
    case Kind::Other: break;
  }
  return {"other", ""};
}

std::string precision(const Finding& f) {
  if (f.kind == model::Kind::Vulnerability) return "very-high";
  std::string c = util::to_lower(f.confidence);
  if (c == "high" || c == "medium" || c == "low") return c;
  return "high";
}

std::string message_text(const Finding& f) {
  std::string m = one_line(f.title);
  if (m.empty()) m = f.rule_id;
  if (auto fix = package_fix(f); !fix.empty()) m += " (" + one_line(fix) + ")";
  if (!f.location.target.empty()) m += " in " + one_line(f.location.target);
  // Secret findings carry the matched text in their message: never copy it.
  if (f.kind != model::Kind::Secret && !f.message.empty() && f.message != f.title)
    m += ". " + util::truncate_utf8(one_line(f.message), 2000);
  return m;
}

void write_rule(PrettyJson& w, const Finding& f) {
  w.object();
  w.str("id", f.rule_id);
  std::string name(model::to_string(f.kind));
  name += '/';
  name += f.rule_id;
  w.str("name", name);
  std::string title = one_line(f.title);
  if (title.empty()) title = f.rule_id;
  w.object("shortDescription").str("text", util::truncate_utf8(title, 1000)).end();
  std::string full = f.kind == model::Kind::Secret || f.message.empty() ? title : one_line(f.message);
  std::string help_text = util::truncate_utf8(full, 4000);
  w.object("fullDescription").str("text", help_text).end();
  bool url = safe_url(f.help_uri);
  if (url) {
    w.str("helpUri", f.help_uri);
    help_text += '\n';
    help_text += f.help_uri;
  }
  std::string help_md = "**" + md_text(title, 1000) + "**";
  if (full != title) help_md += "\n\n" + md_text(full, 4000);
  if (url) help_md += "\n\n[More information](" + f.help_uri + ")";
  w.object("help").str("text", help_text).str("markdown", help_md).end();
  w.object("defaultConfiguration").str("level", level(f.severity)).end();
  w.object("properties");
  w.array("tags");
  for (auto tag : tags(f))
    if (!tag.empty()) w.str(tag);
  w.end();
  w.str("precision", precision(f));
  if (auto ss = security_severity(f)) w.str("security-severity", *ss);
  w.str("dockgate-kind", model::to_string(f.kind));
  w.end();
  w.end();
}

// Where a result points, and what GitHub needs to show it: a region with startLine on every
// location ("SARIF support for code scanning"; SARIF Multitool SARIF2017), and the line's hash.
struct Pin {
  std::string dockerfile;
  int from_line = 1;
  const std::function<std::optional<std::string>(const std::string&)>* read_source = nullptr;
  std::map<std::string, std::vector<std::string>, std::less<>> hashes;  // by path; empty = unreadable

  const std::string* line_hash(std::string_view path, int line) {
    if (!read_source || !*read_source || line <= 0) return nullptr;
    auto it = hashes.find(path);
    if (it == hashes.end()) {
      std::string p(path);
      auto text = (*read_source)(p);
      it = hashes.emplace(std::move(p), text ? line_hashes(*text) : std::vector<std::string>{}).first;
    }
    auto i = static_cast<std::size_t>(line - 1);
    return i < it->second.size() && !it->second[i].empty() ? &it->second[i] : nullptr;
  }
};

// A path outside the source root is kept as the tool wrote it, without %SRCROOT%: GitHub drops
// such results from the files view rather than pointing at a wrong file.
std::string outside_uri(const std::string& path) {
  std::string out = uri_encode(path);
  return path.starts_with("/") ? "file://" + out : out;
}

void write_physical(PrettyJson& w, const std::string& path, bool outside, int line, int column, int end_line) {
  w.object("physicalLocation");
  w.object("artifactLocation");
  if (outside) w.str("uri", outside_uri(path));
  else w.str("uri", relative_uri(path)).str("uriBaseId", kSrcRoot);
  w.end();
  // A file finding without a line (a lock file, a whole-file rule) is on line 1, where
  // codeql-action's fingerprinting puts it too.
  w.object("region").num("startLine", line > 0 ? line : 1);
  if (line > 0 && column > 0) w.num("startColumn", column);
  if (line > 0 && end_line >= line) w.num("endLine", end_line);
  w.end();
  w.end();
}

void write_result(PrettyJson& w, const Finding& f, std::size_t rule_index, Pin& pin) {
  w.object();
  w.str("ruleId", f.rule_id);
  w.num("ruleIndex", static_cast<long long>(rule_index));
  w.str("level", level(f.severity));
  w.object("message").str("text", message_text(f)).end();
  w.array("locations").object();
  std::string_view hash_path;
  int hash_line = 0;
  if (!f.location.path.empty()) {
    write_physical(w, f.location.path, f.location.outside_root, f.location.line, f.location.column,
                   f.location.end_line);
    if (!f.location.outside_root) {
      hash_path = f.location.path;
      hash_line = f.location.line > 0 ? f.location.line : 1;
    }
  } else {
    // No file: the image is where the finding lives. GitHub needs a physical location to show
    // a result at all, so it is pinned to the FROM line of the final stage of the Dockerfile
    // that built the image (the target is in the message).
    write_physical(w, pin.dockerfile, false, pin.from_line, 0, 0);
    hash_path = pin.dockerfile;
    hash_line = pin.from_line;
    if (!f.location.target.empty() || !f.package.name.empty()) {
      w.array("logicalLocations");
      if (!f.location.target.empty())
        w.object().str("name", one_line(f.location.target)).str("kind", "resource").end();
      if (!f.package.name.empty()) {
        std::string pkg = f.package.name + (f.package.version.empty() ? "" : "@" + f.package.version);
        w.object().str("name", one_line(pkg)).str("kind", "module");
        if (!f.location.target.empty()) w.str("fullyQualifiedName", one_line(f.location.target) + "/" + one_line(pkg));
        w.end();
      }
      w.end();
    }
  }
  w.end().end();
  w.object("partialFingerprints").str("dockgate/v1", f.fingerprint);
  // What the upload action would add itself (it keeps an existing value, and warns when its own
  // differs): written here so SARIF uploaded by other means tracks moved lines the same way.
  if (auto* h = pin.line_hash(hash_path, hash_line)) w.str("primaryLocationLineHash", *h);
  w.end();
  if (f.baseline == model::BaselineState::New) w.str("baselineState", "new");
  else if (f.baseline == model::BaselineState::Unchanged) w.str("baselineState", "unchanged");
  if (f.waiver) {
    w.array("suppressions").object();
    w.str("kind", "external").str("status", "accepted").str("justification", one_line(f.waiver->reason));
    w.end().end();
  }
  w.object("properties");
  w.str("severity", model::to_string(f.severity));
  if (!f.tool_severity.empty()) w.str("tool-severity", one_line(f.tool_severity));
  if (!f.aliases.empty()) w.strings("aliases", f.aliases);
  if (f.sources.size() > 1) w.strings("sources", f.sources);
  if (!f.package.purl.empty()) w.str("purl", f.package.purl);
  if (!f.package.fixed_version.empty()) w.str("fixed-version", f.package.fixed_version);
  if (f.location.outside_root) w.boolean("outside-source-root", true);
  // Exploit data under the names grype uses, so a SARIF consumer can rank results as we do.
  if (f.risk.epss >= 0) w.real("epss", f.risk.epss);
  if (f.risk.epss_percentile >= 0) w.real("epss-percentile", f.risk.epss_percentile);
  if (!f.risk.epss_date.empty()) w.str("epss-date", f.risk.epss_date);
  if (f.risk.kev) {
    w.boolean("known-exploited", true);
    if (!f.risk.kev_added.empty()) w.str("kev-date-added", f.risk.kev_added);
    if (!f.risk.kev_due.empty()) w.str("kev-due-date", f.risk.kev_due);
    if (!f.risk.kev_action.empty()) w.str("kev-required-action", one_line(f.risk.kev_action));
    if (!f.risk.kev_ransomware.empty()) w.str("kev-ransomware", one_line(f.risk.kev_ransomware));
  }
  if (f.risk.risk >= 0) w.real("risk", f.risk.risk);
  w.end();
  w.end();
}

// Which findings survive a cut: the ones that decide the gate (policy::evaluate's `gating`), then
// worst first (unwaived before waived, then the most severe).
bool keep_before(const Finding* a, const Finding* b) {
  if (a->gating != b->gating) return a->gating;
  return worse(*a, *b);
}

// SARIF Multitool SARIF2005 wants a version that starts with a digit; GitHub shows it as is.
// Scanners that do not say theirs (hadolint and bandit JSON) get an explicit "unknown" one.
void write_version(PrettyJson& driver, std::string v) {
  if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && std::isdigit(static_cast<unsigned char>(v[1]))) v.erase(0, 1);
  if (!v.empty() && std::isdigit(static_cast<unsigned char>(v[0]))) {
    driver.str("version", v);
    return;
  }
  driver.str("version", "0.0.0-unknown");
  if (!v.empty()) driver.object("properties").str("tool-version", one_line(v)).end();
}

struct ToolRun {
  std::string tool;
  std::vector<const model::StepResult*> steps;
  std::vector<const Finding*> findings;  // output order: each step's worst first
};

// The findings a run keeps under a cap of `cap` results, in output order.
std::vector<const Finding*> kept_findings(const ToolRun& t, std::size_t cap) {
  if (t.findings.size() <= cap) return t.findings;
  std::vector<const Finding*> ranked = t.findings;
  std::stable_sort(ranked.begin(), ranked.end(), keep_before);
  std::unordered_set<const Finding*> keep(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(cap));
  std::vector<const Finding*> kept;
  kept.reserve(cap);
  for (auto* f : t.findings)
    if (keep.contains(f)) kept.push_back(f);
  return kept;
}

// How the log leaves the writer: in pieces of about 1 MiB to the sink (none: the text is only
// measured), and through a gzip counter once it is too long to be under GitHub's limit whatever
// gzip makes of it. The first bytes are held until then: a small log is never compressed.
class Output {
 public:
  Output(TextSink* sink, std::size_t limit, int level) : sink_(sink), limit_(limit), level_(level) {}
  std::string text;
  PrettyJson json{text};

  // After each rule and result: hands the text on when a piece is full.
  void piece() {
    if (text.size() >= kSinkPiece) flush();
  }

  // The log's size for GitHub's limit: its length while gzip cannot matter, else gzipped.
  std::size_t finish() {
    flush();
    if (!gz_) return raw_;
    auto gz = gz_->finish();
    return gz ? *gz : raw_;
  }
  bool compressed() const { return gz_.has_value(); }

 private:
  void flush() {
    if (text.empty()) return;
    if (sink_) sink_->put(text);
    raw_ += text.size();
    // gzip adds at most a few bytes per 16 KiB block to incompressible text.
    if (!gz_ && raw_ + raw_ / 1000 + 64 > limit_) {
      gz_.emplace(level_);
      gz_->take(held_);
      held_ = std::string();
    }
    if (gz_) gz_->take(text);  // leaves text an empty buffer for the next piece
    else held_ += text;
    text.clear();
  }

  TextSink* sink_;
  std::size_t limit_;
  int level_;
  std::size_t raw_ = 0;
  std::string held_;
  std::optional<util::GzipCounter> gz_;
};

void write_run(Output& o, const model::Run& run, const ToolRun& t, std::size_t cap, const std::string& category,
               Pin& pin, std::vector<std::string>& notes) {
  PrettyJson& w = o.json;
  std::vector<const Finding*> kept = kept_findings(t, cap);
  // A rule per rule id, in the order of first use: worst first, so a rule takes its worst
  // finding's level. The driver's rules come before the results in the file.
  std::map<std::string_view, std::size_t> rule_index;
  std::vector<std::size_t> index_of(kept.size());
  std::vector<const Finding*> rule_findings;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    auto [it, fresh] = rule_index.try_emplace(kept[i]->rule_id, rule_index.size());
    if (fresh) rule_findings.push_back(kept[i]);
    index_of[i] = it->second;
  }

  w.object();
  w.object("tool").object("driver");
  w.str("name", t.tool);
  std::string version;
  for (auto* s : t.steps)
    if (!s->tool_version.empty()) {
      version = s->tool_version;
      break;
    }
  if (version.empty() && t.tool.starts_with("dockgate")) version = run.dockgate_version;
  write_version(w, version);
  w.str("informationUri", information_uri(t.tool));
  w.array("rules");
  for (auto* f : rule_findings) {
    write_rule(w, *f);
    o.piece();
  }
  w.end();
  w.end().end();  // driver, tool

  bool ok = true;
  for (auto* s : t.steps) ok = ok && s->status != model::StepStatus::Error;
  w.array("invocations").object();
  w.boolean("executionSuccessful", ok);
  if (!ok) {
    bool any = false;
    for (auto* s : t.steps)
      if (s->status == model::StepStatus::Error)
        for (auto& e : s->errors) {
          if (!any) w.array("toolExecutionNotifications");
          any = true;
          w.object().str("level", "error").object("message").str("text", one_line(e)).end().end();
        }
    if (any) w.end();
  }
  w.end().end();
  w.object("originalUriBaseIds").object(kSrcRoot).object("description");
  w.str("text", "The root of the repository.");
  w.end().end().end();
  w.object("automationDetails").str("id", category + "/" + t.tool + "/").end();
  if (!run.context.server_url.empty() && !run.context.repository.empty() && !run.context.commit.empty()) {
    w.array("versionControlProvenance").object();
    w.str("repositoryUri", run.context.server_url + "/" + run.context.repository);
    w.str("revisionId", run.context.commit);
    w.object("mappedTo").str("uriBaseId", kSrcRoot).end();
    if (!run.context.branch.empty()) w.str("branch", run.context.branch);
    w.end().end();
  }
  w.str("columnKind", "utf16CodeUnits");
  w.array("results");
  for (std::size_t i = 0; i < kept.size(); ++i) {
    write_result(w, *kept[i], index_of[i], pin);
    o.piece();
  }
  w.end();
  if (kept.size() < t.findings.size()) {
    std::size_t dropped = t.findings.size() - kept.size();
    std::string why = "GitHub code scanning accepts at most 25,000 results per run and 10 MB of gzipped SARIF per file";
    w.object("properties").object("dockgate-truncated");
    w.num("results-total", static_cast<long long>(t.findings.size()));
    w.num("results-kept", static_cast<long long>(kept.size()));
    w.num("results-dropped", static_cast<long long>(dropped));
    w.str("kept", "the findings that decide the gate first, then the most severe");
    w.str("reason", why);
    w.end().end();
    notes.push_back("SARIF: " + t.tool + ": kept " + std::to_string(kept.size()) + " of " +
                    std::to_string(t.findings.size()) + " results (" + why +
                    "); the gating and most severe findings are kept, the full list is in the result JSON");
  }
  w.end();
}

std::size_t write_log(Output& o, const model::Run& run, const std::vector<ToolRun>& tools, std::size_t cap,
                      const std::string& category, Pin& pin, std::vector<std::string>& notes) {
  PrettyJson& w = o.json;
  w.object();
  w.str("$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
  w.str("version", "2.1.0");
  w.array("runs");
  for (auto& t : tools) write_run(o, run, t, cap, category, pin, notes);
  w.end();
  w.end();
  o.text += '\n';
  return o.finish();
}

// The size GitHub checks, or more: the file gzipped (codeql-action gzips it at zlib's default
// level). Text that could not exceed the limit even if gzip gained nothing is not compressed at
// all. Otherwise zlib's fastest level goes first, at half the cost: it matches greedily over short
// hash chains, so on JSON its output is larger than the default level's (twice as large on a
// trivy log; tests/util/gzip_test.cpp checks it), and a log it keeps under the limit fits. Only a
// log it puts over is measured again at the default level (written again, to no sink). The action
// uploads the log without indentation, which is smaller still.
std::size_t write_measured(TextSink& out, const model::Run& run, const std::vector<ToolRun>& tools, std::size_t cap,
                           const std::string& category, Pin& pin, std::vector<std::string>& notes, std::size_t limit,
                           bool try_fast) {
  Output o(&out, limit, try_fast ? 1 : 6);
  std::size_t size = write_log(o, run, tools, cap, category, pin, notes);
  if (size <= limit || !try_fast || !o.compressed()) return size;
  Output again(nullptr, limit, 6);
  std::vector<std::string> same_notes;
  return write_log(again, run, tools, cap, category, pin, same_notes);
}

}  // namespace

std::string write_sarif(const model::Run& run, const SarifOptions& opt) {
  StringSink out;
  write_sarif(run, opt, out);
  return std::move(out.text);
}

void write_sarif(const model::Run& run, const SarifOptions& opt, TextSink& out) {
  Pin pin;
  pin.dockerfile = opt.dockerfile.empty() ? dockerfile_path(run) : opt.dockerfile;
  pin.from_line = opt.dockerfile_from_line > 0 ? opt.dockerfile_from_line : 1;
  pin.read_source = &opt.read_source;
  std::string category = one_line(opt.category);
  while (category.ends_with("/")) category.pop_back();
  if (category.empty()) category = run.context.job_name.empty() ? "dockgate" : one_line(run.context.job_name);

  // Steps that share a tool (smoke-test and image-size are both dockgate) share a run.
  std::vector<ToolRun> tools;
  std::map<std::string, std::size_t> by_tool;
  for (auto& s : run.steps) {
    // A skipped or errored step without findings writes no run: an empty run would tell code
    // scanning that every earlier alert of that tool is fixed.
    bool ran = s.status == model::StepStatus::Passed || s.status == model::StepStatus::Failed;
    if (!ran && s.findings.empty()) continue;
    std::string tool = s.tool.empty() ? s.name : s.tool;
    auto [it, fresh] = by_tool.try_emplace(tool, tools.size());
    if (fresh) tools.push_back({tool, {}, {}});
    auto& t = tools[it->second];
    t.steps.push_back(&s);
    for (auto* f : worst_first(s.findings)) t.findings.push_back(f);
  }

  std::vector<std::string> notes;
  if (tools.size() > opt.max_runs) {
    // More tools than GitHub takes runs in one file: keep the tools with the worst findings.
    std::vector<std::size_t> order(tools.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto worst = [&](std::size_t i) { return tools[i].findings.empty() ? nullptr : *std::min_element(tools[i].findings.begin(), tools[i].findings.end(), keep_before); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      auto *x = worst(a), *y = worst(b);
      if (!x || !y) return x != nullptr && y == nullptr;
      return keep_before(x, y);
    });
    std::vector<bool> keep(tools.size(), false);
    for (std::size_t i = 0; i < opt.max_runs; ++i) keep[order[i]] = true;
    std::vector<ToolRun> kept;
    std::string dropped;
    for (std::size_t i = 0; i < tools.size(); ++i) {
      if (keep[i]) kept.push_back(std::move(tools[i]));
      else dropped += (dropped.empty() ? "" : ", ") + tools[i].tool;
    }
    tools = std::move(kept);
    notes.push_back("SARIF: GitHub code scanning accepts at most " + std::to_string(opt.max_runs) +
                    " runs per file; left out the tools with the least severe findings: " + dropped);
  }

  std::size_t cap = opt.max_results_per_run;
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> run_notes;
    if (attempt > 0) out.restart();
    // After a cut the log is near the limit by design, where the fast level would not do.
    std::size_t size = write_measured(out, run, tools, cap, category, pin, run_notes, opt.max_gzip_bytes, attempt == 0);
    std::size_t biggest = 0;
    for (auto& t : tools) biggest = std::max(biggest, std::min(cap, t.findings.size()));
    if (size <= opt.max_gzip_bytes || biggest == 0 || attempt == 8) {
      notes.insert(notes.end(), run_notes.begin(), run_notes.end());
      if (size > opt.max_gzip_bytes)
        notes.push_back("SARIF: still " + std::to_string(size) + " bytes gzipped after cutting results; GitHub will reject it");
      break;
    }
    // Scale the per-run cap by how far over the limit the file is, with a margin.
    double scale = static_cast<double>(opt.max_gzip_bytes) / static_cast<double>(size) * 0.9;
    cap = std::min(biggest - 1, static_cast<std::size_t>(static_cast<double>(biggest) * scale));
  }
  if (opt.warnings) opt.warnings->insert(opt.warnings->end(), notes.begin(), notes.end());
}

}  // namespace dg::report
