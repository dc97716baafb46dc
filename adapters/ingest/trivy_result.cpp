#include "adapters/ingest/trivy_result.hpp"

#include <algorithm>
#include <iterator>

#include "src/util/text.hpp"

namespace dg::ingest::trivy {

namespace {

namespace od = json::od;

bool optional_object(const Input& in, od::value& v, std::string_view field, od::object& out) {
  if (json::is_null(v)) return false;
  out = json::object(in, v, field);
  return true;
}

void add_alias(model::Finding& f, std::string_view id) {
  if (id.empty() || id == f.rule_id) return;
  if (std::find(f.aliases.begin(), f.aliases.end(), id) != f.aliases.end()) return;
  f.aliases.emplace_back(id);
}

// Layer {Digest, DiffID}: the diff id names the layer in the image config, so it wins.
std::string read_layer(const Input& in, od::value v) {
  std::string_view diff_id, digest;
  od::object layer;
  if (!optional_object(in, v, "Layer", layer)) return {};
  for (auto field : layer) {
    std::string_view key = json::key(field);
    if (key == "DiffID") diff_id = json::str(in, field.value(), key);
    else if (key == "Digest") digest = json::str(in, field.value(), key);
  }
  return std::string(diff_id.empty() ? digest : diff_id);
}

bool ghsa_char(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// GHSA-xxxx-xxxx-xxxx inside a reference URL (github.com/advisories/GHSA-…), or empty.
std::string_view ghsa_in(std::string_view text) {
  auto p = text.find("GHSA-");
  if (p == std::string_view::npos || text.size() - p < 19) return {};
  std::string_view id = text.substr(p, 19);
  for (std::size_t i = 5; i < 19; ++i) {
    bool dash = i == 9 || i == 14;
    if (dash ? id[i] != '-' : !ghsa_char(id[i])) return {};
  }
  return id;
}

// trivy lists the GitHub advisory of a CVE only among its References; grype may report the
// same issue under the GHSA id, so it becomes an alias. The array's raw text is searched in one
// go, the first advisory of each reference (a search per reference cost 7 % of reading trivy).
void read_reference_ghsas(const Input& in, od::value v, std::vector<std::string_view>& out) {
  od::array refs;
  if (!json::optional_array(in, v, "References", refs)) return;
  std::string_view raw;
  if (auto e = refs.raw_json().get(raw)) throw simdjson::simdjson_error(e);
  for (std::size_t p = raw.find("GHSA-"); p != std::string_view::npos; p = raw.find("GHSA-", p)) {
    if (auto id = ghsa_in(raw.substr(p, 19)); !id.empty()) out.push_back(id);
    p = raw.find('"', p);  // on to the next reference
  }
}

void read_purl(const Input& in, od::value v, model::Package& p) {
  od::object ident;
  if (!optional_object(in, v, "PkgIdentifier", ident)) return;
  for (auto field : ident) {
    std::string_view key = json::key(field);
    if (key == "PURL") p.purl = json::string(in, field.value(), key);
  }
}

void read_vulnerability(const Input& in, od::value item, std::vector<model::Finding>& out) {
  model::Finding& f = out.emplace_back();  // built in place: a Finding is large to move
  f.tool = "trivy";
  f.kind = model::Kind::Vulnerability;
  std::vector<std::string_view> ghsas;
  for (auto field : json::object(in, item, "Vulnerabilities[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "VulnerabilityID") f.rule_id = json::string(in, v, key);
    else if (key == "PkgName") f.package.name = json::string(in, v, key);
    else if (key == "InstalledVersion") f.package.version = json::string(in, v, key);
    else if (key == "FixedVersion") f.package.fixed_version = json::string(in, v, key);
    else if (key == "Severity") f.tool_severity = json::string(in, v, key);
    else if (key == "Title") f.title = json::string(in, v, key);
    else if (key == "Description") f.message = util::truncate_utf8(json::str(in, v, key), kMaxMessageBytes);
    else if (key == "PrimaryURL") f.help_uri = json::string(in, v, key);
    else if (key == "PkgPath") f.package.path = json::string(in, v, key);
    else if (key == "PkgIdentifier") read_purl(in, v, f.package);
    else if (key == "Layer") f.location.layer = read_layer(in, v);
    else if (key == "References") read_reference_ghsas(in, v, ghsas);
    else if (key == "VendorIDs") {
      od::array ids;
      if (json::optional_array(in, v, key, ids))
        for (auto id : ids) f.aliases.emplace_back(json::str(in, id.value(), key));
    }
  }
  if (f.rule_id.empty())
    throw json::JsonError(json::offset_of(in, item), "a vulnerability has no \"VulnerabilityID\"");
  // A GHSA id's own references may name other advisories; only a CVE's GHSA is the same issue.
  if (!f.rule_id.starts_with("GHSA-"))
    for (auto id : ghsas) add_alias(f, id);
  std::erase(f.aliases, f.rule_id);
  if (f.title.empty()) f.title = f.rule_id;
  f.severity = model::severity_from_word(f.tool_severity);
  f.sources = {"trivy"};
}

// CauseMetadata (current) or IacMetadata (trivy 0.2x): where in the file the cause is.
void read_cause(const Input& in, od::value v, std::string_view name, model::Location& loc) {
  od::object cause;
  if (!optional_object(in, v, name, cause)) return;
  for (auto field : cause) {
    std::string_view key = json::key(field);
    if (key == "StartLine") loc.line = static_cast<int>(json::integer(in, field.value(), key));
    else if (key == "EndLine") loc.end_line = static_cast<int>(json::integer(in, field.value(), key));
  }
}

bool passed(std::string_view status) { return util::iequals(status, "PASS") || util::iequals(status, "EXCEPTION"); }

void read_misconfiguration(const Input& in, od::value item, std::vector<model::Finding>& out) {
  model::Finding& f = out.emplace_back();  // built in place: a Finding is large to move
  f.tool = "trivy";
  f.kind = model::Kind::Misconfiguration;
  std::string_view status, avd_id, description;
  for (auto field : json::object(in, item, "Misconfigurations[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "ID") f.rule_id = json::string(in, v, key);
    else if (key == "AVDID") avd_id = json::str(in, v, key);
    else if (key == "Title") f.title = json::string(in, v, key);
    else if (key == "Message") f.message = util::truncate_utf8(json::str(in, v, key), kMaxMessageBytes);
    else if (key == "Description") description = json::str(in, v, key);
    else if (key == "Severity") f.tool_severity = json::string(in, v, key);
    else if (key == "PrimaryURL") f.help_uri = json::string(in, v, key);
    else if (key == "Status") status = json::str(in, v, key);
    else if (key == "CauseMetadata" || key == "IacMetadata") read_cause(in, v, key, f.location);
    else if (key == "Layer") f.location.layer = read_layer(in, v);
  }
  if (passed(status)) {
    out.pop_back();
    return;
  }
  if (f.rule_id.empty()) f.rule_id = std::string(avd_id);
  if (f.rule_id.empty())
    throw json::JsonError(json::offset_of(in, item), "a misconfiguration has no \"ID\"");
  add_alias(f, avd_id);
  if (f.message.empty()) f.message = util::truncate_utf8(description, kMaxMessageBytes);
  if (f.title.empty()) f.title = f.rule_id;
  f.severity = model::severity_from_word(f.tool_severity);
  f.sources = {"trivy"};
}

// Match and Code hold the secret itself: they are skipped, never read.
void read_secret(const Input& in, od::value item, std::vector<model::Finding>& out) {
  model::Finding& f = out.emplace_back();  // built in place: a Finding is large to move
  f.tool = "trivy";
  f.kind = model::Kind::Secret;
  for (auto field : json::object(in, item, "Secrets[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "RuleID") f.rule_id = json::string(in, v, key);
    else if (key == "Title") f.title = json::string(in, v, key);
    else if (key == "Severity") f.tool_severity = json::string(in, v, key);
    else if (key == "StartLine") f.location.line = static_cast<int>(json::integer(in, v, key));
    else if (key == "EndLine") f.location.end_line = static_cast<int>(json::integer(in, v, key));
    else if (key == "Layer") f.location.layer = read_layer(in, v);
  }
  if (f.rule_id.empty()) throw json::JsonError(json::offset_of(in, item), "a secret has no \"RuleID\"");
  if (f.title.empty()) f.title = f.rule_id;
  f.severity = model::severity_from_word(f.tool_severity);
  f.sources = {"trivy"};
}

void read_license(const Input& in, od::value item, std::vector<model::Finding>& out) {
  model::Finding& f = out.emplace_back();  // built in place: a Finding is large to move
  f.tool = "trivy";
  f.kind = model::Kind::License;
  std::string_view category;
  for (auto field : json::object(in, item, "Licenses[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "Name") f.rule_id = json::string(in, v, key);
    else if (key == "PkgName") f.package.name = json::string(in, v, key);
    else if (key == "FilePath") f.location.path = json::string(in, v, key);
    else if (key == "Severity") f.tool_severity = json::string(in, v, key);
    else if (key == "Category") category = json::str(in, v, key);
    else if (key == "Link") f.help_uri = json::string(in, v, key);
  }
  if (f.rule_id.empty()) throw json::JsonError(json::offset_of(in, item), "a license has no \"Name\"");
  // The package is part of the title: one license in many packages is many findings.
  f.title = f.rule_id + " license";
  if (!category.empty()) f.title += " (" + std::string(category) + ")";
  if (!f.package.name.empty()) f.title += " in " + f.package.name;
  f.severity = model::severity_from_word(f.tool_severity);
  f.sources = {"trivy"};
}

}  // namespace

ResultReader::ResultReader(const Input& in, std::vector<model::Finding>& out, std::vector<std::size_t>& lang_pkgs)
    : in_(in), out_(out), lang_pkgs_(lang_pkgs) {}

bool ResultReader::split(std::string_view key) const {
  return key == "Vulnerabilities" || key == "Misconfigurations" || key == "Secrets" || key == "Licenses";
}

void ResultReader::begin() {
  first_ = out_.size();
  target_.clear();
  klass_.clear();
  type_.clear();
}

void ResultReader::element(std::string_view key, od::value item) {
  if (key == "Vulnerabilities") read_vulnerability(in_, item, out_);
  else if (key == "Misconfigurations") read_misconfiguration(in_, item, out_);
  else if (key == "Secrets") read_secret(in_, item, out_);
  else read_license(in_, item, out_);
}

void ResultReader::member(std::string_view key, od::value v) {
  if (split(key)) (void)json::array(in_, v, key);  // not an array: the shape error
  else if (key == "Target") target_ = json::str(in_, v, key);
  else if (key == "Class") klass_ = json::str(in_, v, key);
  else if (key == "Type") type_ = json::str(in_, v, key);
}

// Target and Type may follow the arrays, so they are filled in afterwards.
void ResultReader::end() {
  for (std::size_t i = first_; i < out_.size(); ++i) {
    model::Finding& f = out_[i];
    f.location.target = target_;
    switch (f.kind) {
      case model::Kind::Vulnerability:
        f.package.type = type_;
        if (klass_ == "lang-pkgs") lang_pkgs_.push_back(i);
        break;
      case model::Kind::Misconfiguration:
      case model::Kind::Secret: f.location.path = target_; break;
      default: break;
    }
  }
}

namespace {
struct RunStorage {
  std::vector<model::Finding> findings;
  std::vector<std::size_t> lang_pkgs;  // stays empty: a run gets elements, never end()
};
// Storage first: it is built before the reader that refers to it.
struct ResultRun : RunStorage, ResultReader {
  explicit ResultRun(const Input& in) : ResultReader(in, findings, lang_pkgs) {}
};
}  // namespace

std::unique_ptr<json::ObjectReader> ResultReader::fork(std::string_view) { return std::make_unique<ResultRun>(in_); }

void ResultReader::join(std::string_view, json::ObjectReader& forked) {
  auto& run = static_cast<ResultRun&>(forked);
  out_.insert(out_.end(), std::make_move_iterator(run.findings.begin()), std::make_move_iterator(run.findings.end()));
}

void read_result(const Input& in, od::value result, std::vector<model::Finding>& out,
                 std::vector<std::size_t>& lang_pkgs) {
  ResultReader reader(in, out, lang_pkgs);
  json::read_object(in, result, "Results[]", reader);
}

}  // namespace dg::ingest::trivy
