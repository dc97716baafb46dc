// AWS Security Finding Format, as trivy's asff.tpl writes it ({Findings: [...]}, a bare array in
// templates before 0.20) and as Security Hub exports it. trivy puts the package in
// Resources[].Details.Other ("CVE ID", "PkgName", "Installed Package", "Patched Package", or for a
// misconfiguration "Filename", "StartLine", "Message"); native ASFF has Vulnerabilities[] with
// VulnerablePackages[]. Both are read.
#include <string>
#include <vector>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

constexpr std::size_t kMaxMessageBytes = 1000;

// What one finding says, before it is decided which kind of finding it is.
struct Raw {
  model::Finding f;
  std::string_view id, generator, product, product_arn, label, record_state, cve_id, cve_title, message;
  std::string_view resource_id, image;
  std::string normalized;  // Severity.Normalized as text, when there is no Label
  bool has_normalized = false;
  double normalized_value = 0;
  bool type_vulnerability = false, type_secret = false, type_config = false;
};

bool null(od::value& v) { return json::is_null(v); }

void read_types(const Input& in, od::value v, Raw& r) {
  od::array items;
  if (!json::optional_array(in, v, "Types", items)) return;
  for (auto el : items) {
    std::string_view t = json::str(in, el.value(), "Types[]");
    if (t.find("/Vulnerabilities") != std::string_view::npos) r.type_vulnerability = true;
    else if (t.starts_with("Sensitive Data Identifications")) r.type_secret = true;
    else if (t.starts_with("Software and Configuration Checks")) r.type_config = true;
  }
}

void read_severity(const Input& in, od::value v, Raw& r) {
  if (null(v)) return;
  for (auto field : json::object(in, v, "Severity")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "Label") r.label = json::str(in, x, key);
    else if (key == "Normalized") {
      r.has_normalized = !null(x);
      if (r.has_normalized) {
        r.normalized = std::string(x.raw_json_token());
        r.normalized = util::trim(r.normalized);
        r.normalized_value = json::number(in, x, key);
      }
    }
  }
}

// ASFF's own bands: 0 informational, 1-39 low, 40-69 medium, 70-89 high, 90-100 critical.
model::Severity from_normalized(double n) {
  if (n >= 90) return model::Severity::Critical;
  if (n >= 70) return model::Severity::High;
  if (n >= 40) return model::Severity::Medium;
  if (n >= 1) return model::Severity::Low;
  return model::Severity::Info;
}

std::string_view nested_string(const Input& in, od::value v, std::string_view what, std::string_view inner) {
  std::string_view out;
  if (null(v)) return out;
  for (auto field : json::object(in, v, what)) {
    std::string_view key = json::key(field);
    if (key == inner) out = json::str(in, field.value(), key);
  }
  return out;
}

void read_remediation(const Input& in, od::value v, Raw& r) {
  if (null(v)) return;
  for (auto field : json::object(in, v, "Remediation")) {
    std::string_view key = json::key(field);
    if (key == "Recommendation") r.f.help_uri = std::string(nested_string(in, field.value(), "Recommendation", "Url"));
  }
}

void read_product_fields(const Input& in, od::value v, Raw& r) {
  if (null(v)) return;
  for (auto field : json::object(in, v, "ProductFields")) {
    std::string_view key = json::key(field);
    if ((key == "Product Name" || key == "aws/securityhub/ProductName") && r.product.empty())
      r.product = json::str(in, field.value(), key);
  }
}

// trivy's Details.Other: a flat map of strings (numbers in old templates).
void read_other(const Input& in, od::value v, Raw& r) {
  if (null(v)) return;
  for (auto field : json::object(in, v, "Details.Other")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "CVE ID") r.cve_id = json::str(in, x, key);
    else if (key == "CVE Title") r.cve_title = json::str(in, x, key);
    else if (key == "PkgName") r.f.package.name = json::string(in, x, key);
    else if (key == "Installed Package") r.f.package.version = json::string(in, x, key);
    else if (key == "Patched Package") r.f.package.fixed_version = json::string(in, x, key);
    else if (key == "Message") r.message = json::str(in, x, key);
    else if (key == "Filename") r.f.location.path = json::string(in, x, key);
    else if (key == "StartLine") r.f.location.line = static_cast<int>(json::integer(in, x, key));
    else if (key == "EndLine") r.f.location.end_line = static_cast<int>(json::integer(in, x, key));
  }
}

void read_details(const Input& in, od::value v, Raw& r) {
  if (null(v)) return;
  for (auto field : json::object(in, v, "Details")) {
    std::string_view key = json::key(field);
    if (key == "Other") read_other(in, field.value(), r);
    else if (key == "Container" && r.image.empty()) r.image = nested_string(in, field.value(), "Container", "ImageName");
  }
}

// The first resource is the one the finding is about; later ones are context.
void read_resources(const Input& in, od::value v, Raw& r) {
  od::array items;
  if (!json::optional_array(in, v, "Resources", items)) return;
  bool first = true;
  for (auto el : items) {
    if (!first) continue;
    first = false;
    for (auto field : json::object(in, el.value(), "Resources[]")) {
      std::string_view key = json::key(field);
      if (key == "Id") r.resource_id = json::str(in, field.value(), key);
      else if (key == "Details") read_details(in, field.value(), r);
    }
  }
}

void read_vulnerable_package(const Input& in, od::value v, model::Package& p) {
  for (auto field : json::object(in, v, "VulnerablePackages[]")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "Name") p.name = json::string(in, x, key);
    else if (key == "Version") p.version = json::string(in, x, key);
    else if (key == "FixedInVersion") p.fixed_version = json::string(in, x, key);
    else if (key == "PackageManager") p.type = json::string(in, x, key);
    else if (key == "FilePath") p.path = json::string(in, x, key);
  }
}

// Native ASFF (Amazon Inspector, Security Hub): Vulnerabilities[{Id, VulnerablePackages[]}].
void read_native_vulnerabilities(const Input& in, od::value v, Raw& r) {
  od::array items;
  if (!json::optional_array(in, v, "Vulnerabilities", items)) return;
  bool first = true;
  for (auto el : items) {
    if (!first) continue;
    first = false;
    r.type_vulnerability = true;
    for (auto field : json::object(in, el.value(), "Vulnerabilities[]")) {
      std::string_view key = json::key(field);
      od::value x = field.value();
      if (key == "Id" && r.cve_id.empty()) r.cve_id = json::str(in, x, key);
      else if (key == "VulnerablePackages") {
        od::array pkgs;
        if (json::optional_array(in, x, key, pkgs))
          for (auto p : pkgs)
            if (r.f.package.name.empty()) read_vulnerable_package(in, p.value(), r.f.package);
      }
    }
  }
}

std::string_view after_last(std::string_view s, std::string_view sep) {
  auto p = s.rfind(sep);
  return p == std::string_view::npos ? std::string_view{} : s.substr(p + sep.size());
}

bool is_trivy(const Raw& r) {
  return util::iequals(r.product, "trivy") || r.generator.starts_with("Trivy") ||
         r.product_arn.find("/aquasecurity/") != std::string_view::npos;
}

// Returns false for a finding Security Hub has archived (resolved): it no longer applies.
bool read_finding(const Input& in, od::value item, Raw& r) {
  for (auto field : json::object(in, item, "Findings[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "Id") r.id = json::str(in, v, key);
    else if (key == "GeneratorId") r.generator = json::str(in, v, key);
    else if (key == "ProductArn") r.product_arn = json::str(in, v, key);
    else if (key == "ProductName") r.product = json::str(in, v, key);
    else if (key == "ProductFields") read_product_fields(in, v, r);
    else if (key == "Types") read_types(in, v, r);
    else if (key == "Severity") read_severity(in, v, r);
    else if (key == "Title") r.f.title = json::string(in, v, key);
    else if (key == "Description") r.f.message = util::truncate_utf8(json::str(in, v, key), kMaxMessageBytes);
    else if (key == "Remediation") read_remediation(in, v, r);
    else if (key == "Resources") read_resources(in, v, r);
    else if (key == "Vulnerabilities") read_native_vulnerabilities(in, v, r);
    else if (key == "RecordState") r.record_state = json::str(in, v, key);
  }
  if (r.id.empty() && r.generator.empty() && r.f.title.empty())
    throw json::JsonError(json::offset_of(in, item), "a finding has no Id, GeneratorId or Title");
  return !util::iequals(r.record_state, "ARCHIVED");
}

void classify(Raw& r) {
  model::Finding& f = r.f;
  f.location.target = std::string(!r.image.empty() ? r.image : r.resource_id);
  std::string_view generated = after_last(r.generator, "/");
  // trivy's titles embed the target: "Trivy found a misconfiguration in <target>: <title>".
  std::string_view short_title;
  for (std::string_view what : {"misconfiguration", "secret"}) {
    std::string prefix = "Trivy found a " + std::string(what) + " in " + std::string(r.resource_id) + ": ";
    if (f.title.starts_with(prefix)) short_title = std::string_view(f.title).substr(prefix.size());
  }
  if (r.type_vulnerability || !r.cve_id.empty()) {
    f.kind = model::Kind::Vulnerability;
    f.rule_id = std::string(!r.cve_id.empty() ? r.cve_id : !generated.empty() ? generated : after_last(r.id, "/"));
    if (!r.cve_title.empty()) f.title = std::string(r.cve_title);
  } else if (r.type_secret) {
    f.kind = model::Kind::Secret;
    f.rule_id = std::string(!generated.empty() ? generated : short_title);
    f.message.clear();  // trivy repeats the title; nothing of the secret is ever in it
  } else if (r.type_config) {
    f.kind = model::Kind::Misconfiguration;
    f.rule_id = std::string(generated);
  } else {
    f.kind = model::Kind::Other;
  }
  if (!short_title.empty()) f.title = std::string(short_title);
  if (!r.message.empty()) f.message = util::truncate_utf8(r.message, kMaxMessageBytes);
  if (f.rule_id.empty()) f.rule_id = std::string(!r.generator.empty() ? r.generator : r.id);
  if (f.title.empty()) f.title = f.rule_id;
  if (!r.label.empty()) {
    f.tool_severity = std::string(r.label);
    f.severity = model::severity_from_word(r.label);
  } else if (r.has_normalized) {
    f.tool_severity = r.normalized;
    f.severity = from_normalized(r.normalized_value);
  }
}

std::string step_name(const Raw& r) {
  if (is_trivy(r)) return "trivy";
  std::string name = util::to_lower(util::trim(r.product));
  for (auto& c : name)
    if (c == ' ') c = '-';
  return name.empty() ? "asff" : name;
}

void read_findings(const Input& in, od::array items, std::vector<model::StepResult>& steps) {
  for (auto el : items) {
    Raw r;
    if (!read_finding(in, el.value(), r)) continue;
    classify(r);
    std::string name = step_name(r);
    model::StepResult* step = nullptr;
    for (auto& s : steps)
      if (s.name == name) step = &s;
    if (!step) {
      steps.emplace_back();
      step = &steps.back();
      step->name = name;
      step->tool = name;
    }
    r.f.tool = step->tool;
    r.f.sources = {step->tool};
    step->findings.push_back(std::move(r.f));
  }
}

}  // namespace

ParseResult parse_asff_json(const Input& in) {
  return json::parse_json(in, "AWS Security Finding Format", [&](od::value root, ParsedReport& out) {
    out.format = "asff";
    od::json_type t = root.type();
    if (t == od::json_type::array) {
      read_findings(in, json::array(in, root, "(root)"), out.steps);
    } else {
      bool any = false;
      for (auto field : json::object(in, root, "(root)")) {
        std::string_view key = json::key(field);
        if (key != "Findings") continue;
        any = true;
        od::array items;
        if (json::optional_array(in, field.value(), key, items)) read_findings(in, items, out.steps);
      }
      if (!any) throw json::JsonError(0, "no \"Findings\" array");
    }
    // A report with nothing in it is still a (passing) trivy step.
    if (out.steps.empty()) {
      out.steps.emplace_back();
      out.steps.back().name = "trivy";
      out.steps.back().tool = "trivy";
    }
    for (auto& s : out.steps) model::assign_fingerprints(s.findings);
  });
}

}  // namespace dg::ingest
