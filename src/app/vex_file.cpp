// VEX documents, read into policy::VexStatement:
//  - OpenVEX: statements[] of {vulnerability {name, aliases}, products [{@id | identifiers.purl,
//    subcomponents [{@id}]}], status, justification, impact_statement, action_statement,
//    status_notes, timestamp | last_updated}; the document's author and timestamp as defaults.
//  - CycloneDX VEX: vulnerabilities[] of {id, references[].id, analysis {state, justification,
//    response, detail, firstIssued, lastUpdated}, affects [{ref, versions [{version | range}]}]};
//    a ref names a component of the BOM (bom-ref) or is a purl; the BOM's own component (the
//    image) stands for every package in it.
// JSON is read with yaml-cpp (JSON is YAML's flow style): every node keeps its line and column,
// so a bad field is reported where it is, not only where the syntax breaks.
#include "src/app/vex_file.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>

#include "src/app/yaml_fields.hpp"
#include "src/util/file.hpp"
#include "src/util/text.hpp"

namespace dg::app {
namespace {

using policy::VexStatement;
using policy::VexStatus;
using policy::VexSubject;
using yaml::Doc;
using yaml::fail_at;
using yaml::where;

std::string text(const Doc& doc, const YAML::Node& n, std::string_view what) {
  return n ? util::trim(yaml::scalar(doc, n, what)) : std::string{};
}

std::int64_t time_of(const Doc& doc, const YAML::Node& n, std::string_view what) {
  std::string s = text(doc, n, what);
  if (s.empty()) return 0;
  auto t = parse_rfc3339(s);
  if (!t) fail_at(doc, n.Mark(), std::string(what) + " must be an RFC 3339 time (2023-01-16T17:00:00Z), not '" + s + "'");
  return *t;
}

// A list; a missing or null one is empty.
void need_list(const Doc& doc, const YAML::Node& n, std::string_view what) {
  if (n && !n.IsSequence() && !n.IsNull()) fail_at(doc, n.Mark(), std::string(what) + " must be a list");
}

bool is_image_id(std::string_view id) {
  auto p = policy::parse_purl(id);
  return !p || p->type == "oci" || p->type == "docker";
}

// ---- OpenVEX ----------------------------------------------------------------------------------

VexStatus openvex_status(const Doc& doc, const YAML::Node& statement) {
  auto n = statement["status"];
  if (!n) fail_at(doc, statement.Mark(), "a statement needs a status (not_affected, affected, fixed, under_investigation)");
  std::string s = text(doc, n, "status");
  if (s == "not_affected") return VexStatus::NotAffected;
  if (s == "affected") return VexStatus::Affected;
  if (s == "fixed") return VexStatus::Fixed;
  if (s == "under_investigation") return VexStatus::UnderInvestigation;
  fail_at(doc, n.Mark(), "status must be not_affected, affected, fixed or under_investigation, not '" + s + "'");
}

// A product or subcomponent: its @id, or its identifiers.purl when the @id is a document-local name.
std::string component_id(const Doc& doc, const YAML::Node& c, std::string_view what) {
  if (c.IsScalar()) return util::trim(c.Scalar());  // v0.0.x: products are bare strings
  yaml::need_map(doc, c, what);
  std::string id = text(doc, c["@id"], "@id");
  if (auto ids = c["identifiers"]) {
    yaml::need_map(doc, ids, "identifiers");
    std::string purl = text(doc, ids["purl"], "identifiers.purl");
    if (!purl.empty() && (id.empty() || !policy::parse_purl(id))) id = purl;
  }
  if (id.empty()) fail_at(doc, c.Mark(), std::string(what) + " needs an @id (a package URL or the image)");
  return id;
}

void openvex(const Doc& doc, const YAML::Node& root, std::vector<VexStatement>& out) {
  std::string author = text(doc, root["author"], "author");
  std::int64_t doc_time = time_of(doc, root["timestamp"], "timestamp");
  if (auto t = time_of(doc, root["last_updated"], "last_updated")) doc_time = t;
  auto list = root["statements"];
  if (!list || !list.IsSequence())
    fail_at(doc, list ? list.Mark() : root.Mark(), "an OpenVEX document needs statements: a list of statements");
  for (const auto& s : list) {
    yaml::need_map(doc, s, "a statement");
    VexStatement st;
    st.source = where(doc, s);
    st.author = author;
    auto v = s["vulnerability"];
    if (v && v.IsMap()) {
      st.vulnerability = text(doc, v["name"], "vulnerability.name");
      if (st.vulnerability.empty()) st.vulnerability = text(doc, v["@id"], "vulnerability.@id");
      if (auto a = v["aliases"]) st.aliases = yaml::strings(doc, a, "vulnerability.aliases");
    } else if (v) {
      st.vulnerability = text(doc, v, "vulnerability");
    }
    if (st.vulnerability.empty())
      fail_at(doc, v ? v.Mark() : s.Mark(), "a statement needs a vulnerability with a name (CVE-…)");
    st.status = openvex_status(doc, s);
    st.justification = text(doc, s["justification"], "justification");
    st.impact = text(doc, s["impact_statement"], "impact_statement");
    st.action = text(doc, s["action_statement"], "action_statement");
    st.notes = text(doc, s["status_notes"], "status_notes");
    if (st.status == VexStatus::NotAffected && st.justification.empty() && st.impact.empty())
      fail_at(doc, s["status"].Mark(), "a not_affected statement needs a justification or an impact_statement");
    static constexpr std::string_view kJustifications[] = {
        "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};
    if (!st.justification.empty() &&
        std::find(std::begin(kJustifications), std::end(kJustifications), st.justification) == std::end(kJustifications))
      fail_at(doc, s["justification"].Mark(),
              "justification must be component_not_present, vulnerable_code_not_present, "
              "vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary or "
              "inline_mitigations_already_exist, not '" + st.justification + "'");
    st.time = doc_time;
    if (auto t = time_of(doc, s["timestamp"], "timestamp")) st.time = t;
    if (auto t = time_of(doc, s["last_updated"], "last_updated")) st.time = t;
    auto products = s["products"];
    need_list(doc, products, "products");
    for (const auto& p : products) {
      std::string id = component_id(doc, p, "a product");
      bool image = is_image_id(id);
      auto subs = p.IsMap() ? p["subcomponents"] : YAML::Node();
      need_list(doc, subs, "subcomponents");
      if (subs && subs.size() > 0) {
        for (const auto& c : subs) {
          std::string sid = component_id(doc, c, "a subcomponent");
          if (!policy::parse_purl(sid))
            fail_at(doc, c.Mark(), "a subcomponent must be a package URL (pkg:deb/debian/openssl@…), not '" + sid + "'");
          VexSubject sub;
          sub.purl = sid;
          if (image) sub.within = id;
          st.subjects.push_back(std::move(sub));
        }
      } else {
        VexSubject sub;
        (image ? sub.image : sub.purl) = id;
        st.subjects.push_back(std::move(sub));
      }
    }
    if (st.subjects.empty()) fail_at(doc, s.Mark(), "a statement needs products: what it is about");
    out.push_back(std::move(st));
  }
}

// ---- CycloneDX ----------------------------------------------------------------------------------

struct Component {
  std::string purl;   // empty when the BOM gives none
  std::string image;  // set for the BOM's own component and containers: the image itself
};

void collect_components(const Doc& doc, const YAML::Node& list, std::map<std::string, Component>& into) {
  need_list(doc, list, "components");
  if (!list) return;
  for (const auto& c : list) {
    if (!c.IsMap()) continue;
    std::string ref = text(doc, c["bom-ref"], "bom-ref");
    Component comp;
    comp.purl = text(doc, c["purl"], "purl");
    if (text(doc, c["type"], "type") == "container") {
      comp.image = comp.purl.empty() ? text(doc, c["name"], "name") : comp.purl;
      if (auto v = text(doc, c["version"], "version"); comp.purl.empty() && !v.empty()) comp.image += ":" + v;
      comp.purl.clear();
    }
    if (!ref.empty()) into[ref] = comp;
    collect_components(doc, c["components"], into);
  }
}

VexStatus cdx_state(const Doc& doc, const YAML::Node& n, std::string& justification) {
  std::string s = text(doc, n, "analysis.state");
  if (s == "not_affected") return VexStatus::NotAffected;
  if (s == "false_positive") {
    if (justification.empty()) justification = "false_positive";
    return VexStatus::NotAffected;
  }
  if (s == "resolved" || s == "resolved_with_pedigree") return VexStatus::Fixed;
  if (s == "exploitable") return VexStatus::Affected;
  if (s == "in_triage") return VexStatus::UnderInvestigation;
  fail_at(doc, n.Mark(),
          "analysis.state must be not_affected, false_positive, resolved, resolved_with_pedigree, exploitable or "
          "in_triage, not '" + s + "'");
}

void cyclonedx(const Doc& doc, const YAML::Node& root, std::vector<VexStatement>& out) {
  std::string spec = text(doc, root["specVersion"], "specVersion");
  if (spec != "1.4" && spec != "1.5" && spec != "1.6")
    fail_at(doc, root["specVersion"] ? root["specVersion"].Mark() : root.Mark(),
            "CycloneDX specVersion '" + spec + "': dockgate reads VEX of CycloneDX 1.4 to 1.6");
  auto vulns = root["vulnerabilities"];
  if (!vulns || !vulns.IsSequence() || vulns.size() == 0)
    fail_at(doc, vulns ? vulns.Mark() : root.Mark(),
            "a CycloneDX BOM without vulnerabilities: not a VEX document (it states nothing about a vulnerability)");

  std::map<std::string, Component> components;
  std::string author;
  std::int64_t doc_time = 0;
  if (auto meta = root["metadata"]) {
    yaml::need_map(doc, meta, "metadata");
    doc_time = time_of(doc, meta["timestamp"], "metadata.timestamp");
    if (auto authors = meta["authors"]; authors && authors.IsSequence() && authors.size() > 0 && authors[0].IsMap())
      author = text(doc, authors[0]["name"], "metadata.authors[].name");
    if (auto m = meta["manufacturer"]; author.empty() && m && m.IsMap()) author = text(doc, m["name"], "metadata.manufacturer.name");
    if (auto m = meta["supplier"]; author.empty() && m && m.IsMap()) author = text(doc, m["name"], "metadata.supplier.name");
    if (auto c = meta["component"]; c && c.IsMap()) {
      // The BOM describes this: an image (or whatever was scanned); a statement about it is about
      // every package in it.
      Component self;
      std::string purl = text(doc, c["purl"], "metadata.component.purl");
      self.image = purl.empty() ? text(doc, c["name"], "metadata.component.name") : purl;
      if (auto v = text(doc, c["version"], "metadata.component.version"); purl.empty() && !v.empty())
        self.image += ":" + v;
      if (!purl.empty() && !is_image_id(purl)) self = Component{purl, ""};  // a BOM of one package
      if (auto ref = text(doc, c["bom-ref"], "metadata.component.bom-ref"); !ref.empty()) components[ref] = self;
      collect_components(doc, c["components"], components);
    }
  }
  collect_components(doc, root["components"], components);

  bool any_analysis = false;
  for (const auto& v : vulns) {
    yaml::need_map(doc, v, "a vulnerability");
    auto analysis = v["analysis"];
    if (!analysis) continue;  // a finding without an analysis states nothing (a VDR entry)
    yaml::need_map(doc, analysis, "analysis");
    any_analysis = true;
    VexStatement st;
    st.source = where(doc, v);
    st.author = author;
    st.vulnerability = text(doc, v["id"], "id");
    if (st.vulnerability.empty()) fail_at(doc, v.Mark(), "a vulnerability needs an id (CVE-…)");
    if (auto refs = v["references"]) {
      need_list(doc, refs, "references");
      for (const auto& r : refs)
        if (r.IsMap())
          if (auto id = text(doc, r["id"], "references[].id"); !id.empty()) st.aliases.push_back(id);
    }
    st.justification = text(doc, analysis["justification"], "analysis.justification");
    if (!analysis["state"]) fail_at(doc, analysis.Mark(), "analysis needs a state (not_affected, exploitable, …)");
    st.status = cdx_state(doc, analysis["state"], st.justification);
    std::string detail = text(doc, analysis["detail"], "analysis.detail");
    std::string response;
    if (auto r = analysis["response"])
      for (auto& word : yaml::strings(doc, r, "analysis.response")) response += (response.empty() ? "" : ", ") + word;
    std::string advice = text(doc, v["recommendation"], "recommendation");
    if (auto w = text(doc, v["workaround"], "workaround"); !w.empty()) advice += (advice.empty() ? "" : "; ") + w;
    st.impact = detail;
    st.notes = detail;
    st.action = advice.empty() ? detail : advice;
    if (!response.empty()) st.action = response + (st.action.empty() ? "" : ": " + st.action);
    st.time = doc_time;
    if (auto t = time_of(doc, analysis["firstIssued"], "analysis.firstIssued")) st.time = t;
    if (auto t = time_of(doc, analysis["lastUpdated"], "analysis.lastUpdated")) st.time = t;

    auto affects = v["affects"];
    if (!affects || !affects.IsSequence() || affects.size() == 0)
      fail_at(doc, affects ? affects.Mark() : v.Mark(), "a vulnerability with an analysis needs affects: what it is about");
    for (const auto& a : affects) {
      yaml::need_map(doc, a, "an affects entry");
      std::string ref = text(doc, a["ref"], "affects[].ref");
      if (ref.empty()) fail_at(doc, a.Mark(), "an affects entry needs a ref (a bom-ref or a package URL)");
      VexSubject sub;
      std::string key = ref;
      if (auto hash = key.find('#'); key.starts_with("urn:cdx:") && hash != std::string::npos) key = key.substr(hash + 1);
      if (auto it = components.find(key); it != components.end()) {
        sub.purl = it->second.purl;
        sub.image = it->second.image;
        if (sub.purl.empty() && sub.image.empty())
          fail_at(doc, a["ref"].Mark(), "ref '" + ref + "' names a component without a purl: dockgate cannot tell which package it is");
      } else if (policy::parse_purl(ref)) {
        (is_image_id(ref) ? sub.image : sub.purl) = ref;
      } else {
        fail_at(doc, a["ref"].Mark(), "ref '" + ref + "' is neither a bom-ref of this BOM nor a package URL");
      }
      bool some_version = false;
      if (auto versions = a["versions"]) {
        need_list(doc, versions, "versions");
        // A version's own status narrows the analysis: a not_affected analysis never waives a
        // version listed as affected, and an exploitable one never flags a version listed as
        // unaffected.
        bool waives = st.status == VexStatus::NotAffected || st.status == VexStatus::Fixed;
        for (const auto& ver : versions) {
          yaml::need_map(doc, ver, "a versions entry");
          some_version = true;
          std::string exact = text(doc, ver["version"], "version");
          std::string range = text(doc, ver["range"], "range");
          std::string status = text(doc, ver["status"], "status");
          if (exact.empty() && range.empty()) fail_at(doc, ver.Mark(), "a versions entry needs a version or a range");
          if (!range.empty())
            if (auto why = policy::check_vers(range); !why.empty()) fail_at(doc, ver["range"].Mark(), why);
          if (status != "" && status != "affected" && status != "unaffected" && status != "unknown")
            fail_at(doc, ver["status"].Mark(), "a version's status must be affected, unaffected or unknown, not '" + status + "'");
          if ((waives && status == "affected") || (!waives && status == "unaffected")) continue;
          if (!range.empty()) sub.ranges.push_back(range);
          if (!exact.empty()) sub.versions.push_back(exact);
        }
        if (!sub.image.empty() && sub.purl.empty() && some_version)
          fail_at(doc, versions.Mark(), "versions of an image: dockgate matches versions of packages only");
      }
      // Every version listed was excluded by its status: the entry says nothing for this analysis.
      if (some_version && sub.versions.empty() && sub.ranges.empty()) continue;
      st.subjects.push_back(std::move(sub));
    }
    out.push_back(std::move(st));
  }
  if (!any_analysis)
    fail_at(doc, vulns.Mark(),
            "a CycloneDX BOM whose vulnerabilities have no analysis: a vulnerability report, not VEX");
}

int days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  auto num = [&](std::size_t at, std::size_t n) -> int {
    if (at + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s[4] != '-' || s[7] != '-') return std::nullopt;
  std::int64_t t = static_cast<std::int64_t>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86400;
  if (s.size() == 10) return t;  // a date alone
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int h = num(11, 2), mi = num(14, 2), sec = num(17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || s[13] != ':' || s[16] != ':') return std::nullopt;
  t += h * 3600 + mi * 60 + sec;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i == s.size()) return std::nullopt;  // RFC 3339 requires the offset
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size() ? std::optional(t) : std::nullopt;
  if ((s[i] != '+' && s[i] != '-') || i + 6 != s.size() || s[i + 3] != ':') return std::nullopt;
  int oh = num(i + 1, 2), om = num(i + 4, 2);
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
  int off = oh * 3600 + om * 60;
  return s[i] == '+' ? t - off : t + off;
}

std::string_view vex_kind(const YAML::Node& root) {
  if (!root.IsMap()) return {};
  const YAML::Node& r = root;
  if (auto f = r["bomFormat"]; f && f.IsScalar() && f.Scalar() == "CycloneDX") return "CycloneDX";
  if (auto c = r["@context"]; c && c.IsScalar() && c.Scalar().find("openvex") != std::string::npos) return "OpenVEX";
  if (auto s = r["statements"]; s && s.IsSequence()) return "OpenVEX";
  return {};
}

util::Expected<std::vector<policy::VexStatement>> load_vex(const std::filesystem::path& file) {
  auto as_input = [&](util::Error e) {
    e.kind = util::ErrorKind::Input;  // a VEX document is input, like a report
    if (e.file.empty()) e.file = file.string();
    return std::unexpected(std::move(e));
  };
  auto content = util::read_file(file, 0, util::kMaxTextBytes);
  if (!content) return as_input(content.error());
  Doc doc{file.string()};
  auto root = yaml::parse(doc, *content);
  if (!root) return as_input(root.error());
  std::vector<VexStatement> out;
  try {
    const YAML::Node& r = *root;
    auto kind = vex_kind(r);
    if (kind == "OpenVEX") {
      openvex(doc, r, out);
    } else if (kind == "CycloneDX") {
      cyclonedx(doc, r, out);
    } else if (r.IsMap() && (r["waivers"] || r["ignore"] || r["vulnerabilities"] || r["misconfigurations"])) {
      fail_at(doc, r.Mark(), "a waiver file, not a VEX document: pass it with --waivers");
    } else {
      fail_at(doc, r.Mark(),
              "not a VEX document: expected OpenVEX (@context, statements) or CycloneDX VEX (bomFormat, "
              "vulnerabilities with analysis)");
    }
  } catch (const yaml::FieldError& e) {
    return as_input(e.error);
  } catch (const YAML::Exception& e) {
    util::Error err{util::ErrorKind::Input, e.msg, file.string()};
    if (!e.mark.is_null()) err.line = e.mark.line + 1, err.column = e.mark.column + 1;
    return std::unexpected(std::move(err));
  }
  return out;
}

}  // namespace dg::app
