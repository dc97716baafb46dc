// grype -o json, from 0.7 (2020) to current: {matches[], source, distro, descriptor}.
// Read a match at a time (json_pieces.hpp: simdjson indexes one match, not the whole report): a
// finding is built while its match streams by; the scan target (`source`) and the tool version
// (`descriptor`) come after the matches, so they are applied at the end.
// Old reports differ: `matchDetails` is an object instead of an array, `links` stands for `urls`,
// `fixedInVersion` for `fix`. Newer ones add `epss`, `knownExploited` (CISA KEV) and `risk`, kept
// as model::Risk. Everything else that is not needed (cpes, metadata, the whole configuration
// block, layers) is skipped by the On-Demand parser without being materialized.
#include <algorithm>
#include <iterator>
#include <memory>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/json_pieces.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

// grype copies whole NVD descriptions; a finding's message stays readable and bounded.
constexpr std::size_t kMaxMessage = 1000;

// Distribution packages have one record per image; a language package is a file in it, and two
// copies of one library at two paths are two findings (and match trivy's PkgPath).
bool is_os_package(std::string_view type) {
  return type == "deb" || type == "rpm" || type == "apk" || type == "alpm" || type == "portage";
}

// What one element of matches[] gives before it becomes a finding. The finding is built in
// place in the step's vector: built apart and moved in, a Finding (~1 KB, 25 strings) was moved
// twice per match (16 % of reading a 57 MB grype report).
struct Match {
  explicit Match(model::Finding& into) : f(into) {}
  model::Finding& f;
  std::string fixed;  // fix.versions joined, or the 0.7-era fixedInVersion
  std::string fix_state;
  std::string description;
  std::string related_description;
  std::string first_url;
  std::string data_source;
  std::string first_path;
  std::string first_layer;
};

void add_alias(model::Finding& f, std::string id) {
  if (id.empty() || id == f.rule_id) return;
  if (std::find(f.aliases.begin(), f.aliases.end(), id) != f.aliases.end()) return;
  f.aliases.push_back(std::move(id));
}

// An array of strings (or one string, as some versions write a single value): calls `each`.
template <class F>
void strings(const Input& in, od::value v, std::string_view field, F&& each) {
  od::json_type t = v.type();
  if (t == od::json_type::string) { each(json::str(in, v, field)); return; }
  od::array arr;
  if (!json::optional_array(in, v, field, arr)) return;
  for (auto el : arr) each(json::str(in, el.value(), field));
}

std::string join_versions(const Input& in, od::value v, std::string_view field) {
  std::string out;
  strings(in, v, field, [&](std::string_view s) {
    if (s.empty()) return;
    if (!out.empty()) out += ", ";
    out += s;
  });
  return out;
}

void read_fix(const Input& in, od::value v, Match& m) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "fix")) {
    std::string_view key = json::key(field);
    if (key == "versions") m.fixed = join_versions(in, field.value(), "fix.versions");
    else if (key == "state") m.fix_state = json::string(in, field.value(), "fix.state");
  }
}

// Go's zero time, which grype writes when its database has no date.
std::string real_date(std::string_view d) { return d.starts_with("0001-01-01") ? std::string() : std::string(d); }

// epss[]: one entry per CVE the vulnerability is known by; the likeliest one speaks for it.
void read_epss(const Input& in, od::value v, model::Risk& r) {
  od::array arr;
  if (!json::optional_array(in, v, "vulnerability.epss", arr)) return;
  for (auto el : arr) {
    double score = -1, percentile = -1;
    std::string date;
    for (auto field : json::object(in, el.value(), "vulnerability.epss[]")) {
      std::string_view key = json::key(field);
      if (key == "epss") score = json::number(in, field.value(), "vulnerability.epss[].epss");
      else if (key == "percentile") percentile = json::number(in, field.value(), "vulnerability.epss[].percentile");
      else if (key == "date") date = real_date(json::string(in, field.value(), "vulnerability.epss[].date"));
    }
    if (score < 0 || score <= r.epss) continue;
    r.epss = score;
    r.epss_percentile = percentile;
    r.epss_date = std::move(date);
  }
}

// knownExploited[]: CISA KEV entries; any entry makes the vulnerability known exploited.
void read_kev(const Input& in, od::value v, model::Risk& r) {
  od::array arr;
  if (!json::optional_array(in, v, "vulnerability.knownExploited", arr)) return;
  for (auto el : arr) {
    r.kev = true;
    for (auto field : json::object(in, el.value(), "vulnerability.knownExploited[]")) {
      std::string_view key = json::key(field);
      auto take = [&](std::string& into) {
        std::string s = json::string(in, field.value(), "vulnerability.knownExploited[]");
        if (into.empty()) into = std::move(s);
      };
      if (key == "dateAdded") {
        std::string d = real_date(json::string(in, field.value(), "vulnerability.knownExploited[].dateAdded"));
        if (r.kev_added.empty()) r.kev_added = std::move(d);
      } else if (key == "dueDate") {
        std::string d = real_date(json::string(in, field.value(), "vulnerability.knownExploited[].dueDate"));
        if (r.kev_due.empty()) r.kev_due = std::move(d);
      } else if (key == "requiredAction") take(r.kev_action);
      else if (key == "knownRansomwareCampaignUse") take(r.kev_ransomware);
    }
  }
}

void read_vulnerability(const Input& in, od::value v, Match& m) {
  for (auto field : json::object(in, v, "vulnerability")) {
    std::string_view key = json::key(field);
    od::value val = field.value();
    if (key == "id") m.f.rule_id = json::string(in, val, "vulnerability.id");
    else if (key == "severity") m.f.tool_severity = json::string(in, val, "vulnerability.severity");
    else if (key == "dataSource") m.data_source = json::string(in, val, "vulnerability.dataSource");
    else if (key == "description") m.description = json::string(in, val, "vulnerability.description");
    else if (key == "urls" || key == "links") {
      strings(in, val, key, [&](std::string_view s) {
        if (m.first_url.empty()) m.first_url = s;
      });
    } else if (key == "fix") read_fix(in, val, m);
    else if (key == "epss") read_epss(in, val, m.f.risk);
    else if (key == "knownExploited") read_kev(in, val, m.f.risk);
    else if (key == "risk") {
      if (!json::is_null(val)) m.f.risk.risk = json::number(in, val, "vulnerability.risk");
    } else if (key == "fixedInVersion") {
      if (m.fixed.empty()) m.fixed = join_versions(in, val, "vulnerability.fixedInVersion");
    }
  }
}

void read_related(const Input& in, od::value v, Match& m) {
  od::array arr;
  if (!json::optional_array(in, v, "relatedVulnerabilities", arr)) return;
  for (auto el : arr) {
    for (auto field : json::object(in, el.value(), "relatedVulnerabilities[]")) {
      std::string_view key = json::key(field);
      if (key == "id") add_alias(m.f, json::string(in, field.value(), "relatedVulnerabilities[].id"));
      else if (key == "description" && m.related_description.empty())
        m.related_description = json::string(in, field.value(), "relatedVulnerabilities[].description");
    }
  }
}

// The match type of the first detail says how sure grype is (exact-direct-match,
// exact-indirect-match, cpe-match, …). Before 0.3x matchDetails was one object without a type.
void read_match_details(const Input& in, od::value v, Match& m) {
  od::json_type t = v.type();
  if (t == od::json_type::object) {
    for (auto field : v.get_object()) {
      std::string_view key = json::key(field);
      if (key == "type") m.f.confidence = json::string(in, field.value(), "matchDetails.type");
    }
    return;
  }
  od::array arr;
  if (!json::optional_array(in, v, "matchDetails", arr)) return;
  bool first = true;
  for (auto el : arr) {
    od::value detail = el.value();
    if (!first) continue;  // the rest is skipped unread
    first = false;
    for (auto field : json::object(in, detail, "matchDetails[]")) {
      std::string_view key = json::key(field);
      if (key == "type") m.f.confidence = json::string(in, field.value(), "matchDetails[].type");
    }
  }
}

void read_locations(const Input& in, od::value v, Match& m) {
  od::array arr;
  if (!json::optional_array(in, v, "artifact.locations", arr)) return;
  bool first = true;
  for (auto el : arr) {
    od::value loc = el.value();
    if (!first) continue;
    first = false;
    if (loc.type() == od::json_type::string) {
      m.first_path = json::string(in, loc, "artifact.locations[]");
      continue;
    }
    for (auto field : json::object(in, loc, "artifact.locations[]")) {
      std::string_view key = json::key(field);
      if (key == "path") m.first_path = json::string(in, field.value(), "artifact.locations[].path");
      else if (key == "layerID") m.first_layer = json::string(in, field.value(), "artifact.locations[].layerID");
    }
  }
}

void read_artifact(const Input& in, od::value v, Match& m) {
  for (auto field : json::object(in, v, "artifact")) {
    std::string_view key = json::key(field);
    od::value val = field.value();
    if (key == "name") m.f.package.name = json::string(in, val, "artifact.name");
    else if (key == "version") m.f.package.version = json::string(in, val, "artifact.version");
    else if (key == "type") m.f.package.type = json::string(in, val, "artifact.type");
    else if (key == "purl") m.f.package.purl = json::string(in, val, "artifact.purl");
    else if (key == "locations") read_locations(in, val, m);
  }
}

void finish(Match& m) {
  model::Finding& f = m.f;
  f.tool = "grype";
  f.kind = model::Kind::Vulnerability;
  f.sources = {"grype"};
  f.severity = model::severity_from_word(f.tool_severity);
  // A fix state other than "fixed" (not-fixed, wont-fix, unknown) means no usable fix, whatever
  // versions are listed.
  if (m.fix_state.empty() || m.fix_state == "fixed") f.package.fixed_version = std::move(m.fixed);
  f.help_uri = !m.data_source.empty() ? std::move(m.data_source) : std::move(m.first_url);
  const std::string& text = m.description.empty() ? m.related_description : m.description;
  f.message = util::truncate_utf8(util::trim(text), kMaxMessage);
  f.title = f.rule_id + " in " + f.package.name + (f.package.version.empty() ? "" : "@" + f.package.version);
  f.location.layer = std::move(m.first_layer);
  if (!is_os_package(f.package.type)) f.package.path = std::move(m.first_path);
}

// `source.target` is an object for images (userInput is what the user typed) and a plain
// path for directories and files.
std::string read_target(const Input& in, od::value v) {
  od::json_type t = v.type();
  if (t != od::json_type::object) return json::string(in, v, "source.target");
  std::string user_input, image_id, path;
  for (auto field : v.get_object()) {
    std::string_view key = json::key(field);
    od::value val = field.value();
    od::json_type vt = val.type();
    if (vt == od::json_type::object || vt == od::json_type::array) continue;
    if (key == "userInput") user_input = json::string(in, val, "source.target.userInput");
    else if (key == "imageID") image_id = json::string(in, val, "source.target.imageID");
    else if (key == "path") path = json::string(in, val, "source.target.path");
  }
  return !user_input.empty() ? user_input : !path.empty() ? path : image_id;
}

std::string read_source(const Input& in, od::value v) {
  std::string target;
  if (json::is_null(v)) return target;
  for (auto field : json::object(in, v, "source")) {
    std::string_view key = json::key(field);
    if (key == "target") target = read_target(in, field.value());
  }
  return target;
}

void read_descriptor(const Input& in, od::value v, model::StepResult& step) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "descriptor")) {
    std::string_view key = json::key(field);
    if (key == "version") step.tool_version = json::string(in, field.value(), "descriptor.version");
  }
}

// The root object: matches[] a match at a time, source and descriptor whole.
struct Report : json::ObjectReader {
  const Input& in;
  model::StepResult step;
  std::string target;
  bool seen_matches = false;

  explicit Report(const Input& input) : in(input) {
    step.name = model::step::kGrype;
    step.tool = "grype";
    step.findings.reserve(json::expected_findings(in.text()));
  }
  bool split(std::string_view key) const override { return key == "matches"; }
  void array(std::string_view) override { seen_matches = true; }
  void element(std::string_view, od::value item) override {
    std::size_t at = json::offset_of(in, item);
    Match m(step.findings.emplace_back());
    for (auto mf : json::object(in, item, "matches[]")) {
      std::string_view mk = json::key(mf);
      od::value mv = mf.value();
      if (mk == "vulnerability") read_vulnerability(in, mv, m);
      else if (mk == "relatedVulnerabilities") read_related(in, mv, m);
      else if (mk == "matchDetails") read_match_details(in, mv, m);
      else if (mk == "artifact") read_artifact(in, mv, m);
    }
    if (m.f.rule_id.empty()) throw json::JsonError(at, "a match has no vulnerability id");
    finish(m);
  }
  // Matches a run at a time on other threads (json_pieces.hpp).
  bool forks(std::string_view) const override { return true; }
  std::unique_ptr<ObjectReader> fork(std::string_view) override { return std::make_unique<Report>(in); }
  void join(std::string_view, ObjectReader& forked) override {
    auto& run = static_cast<Report&>(forked).step.findings;
    step.findings.insert(step.findings.end(), std::make_move_iterator(run.begin()), std::make_move_iterator(run.end()));
  }
  void member(std::string_view key, od::value v) override {
    if (key == "matches") (void)json::array(in, v, key);  // not an array: the shape error
    else if (key == "source") target = read_source(in, v);
    else if (key == "descriptor") read_descriptor(in, v, step);
  }
};

}  // namespace

ParseResult parse_grype_json(const Input& in) {
  Report report(in);
  return json::parse_json_pieces(in, "grype JSON", report, [&](ParsedReport& out) {
    if (!report.seen_matches) throw json::JsonError(0, "no \"matches\" array: not a grype JSON report");
    out.format = "grype-json";
    for (auto& f : report.step.findings) f.location.target = report.target;
    model::assign_fingerprints(report.step.findings);
    out.steps.push_back(std::move(report.step));
  });
}

}  // namespace dg::ingest
