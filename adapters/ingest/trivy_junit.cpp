// trivy's JUnit template (contrib/junit.tpl, `trivy image --format template --template
// @contrib/junit.tpl`): <testsuites name="trivy">, per target a <testsuite name=TARGET> of
// vulnerabilities and one of misconfigurations, one <testcase name="[SEVERITY] ID"> each.
// A vulnerability's classname is "PKG-VERSION" and its <failure message=TITLE> holds the
// description; a misconfiguration's classname is its type (dockerfile, kubernetes, …) and only
// a failed check has a <failure> (template versions before 0.35 gave every one a failure).
// The template carries no fixed version, path or layer: those findings are thinner than JSON's.
#include <optional>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/xml.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

// "[HIGH] CVE-2019-1549" -> {"HIGH", "CVE-2019-1549"}; empty severity when there is no bracket.
std::pair<std::string, std::string> severity_and_id(std::string_view raw) {
  std::string name = util::trim(raw);
  if (!name.starts_with('[')) return {{}, name};
  auto close = name.find(']');
  if (close == std::string::npos) return {{}, name};
  return {name.substr(1, close - 1), util::trim(std::string_view(name).substr(close + 1))};
}

// "libssl1.1-1.1.1d-r0" -> {"libssl1.1", "1.1.1d-r0"}: the version starts at the first '-'
// followed by a digit (or by 'v' and a digit, as Go modules write it). Package names hold dashes
// (python-dateutil, ca-certificates) but none of them is followed by a digit in practice.
// A classname with no such dash (dockerfile, kubernetes) names a misconfiguration type.
std::optional<std::pair<std::string, std::string>> package_and_version(std::string_view cls) {
  for (std::size_t i = 1; i + 1 < cls.size(); ++i) {
    if (cls[i] != '-') continue;
    char n = cls[i + 1];
    bool digit = n >= '0' && n <= '9';
    bool go = n == 'v' && i + 2 < cls.size() && cls[i + 2] >= '0' && cls[i + 2] <= '9';
    if (digit || go) return std::pair{std::string(cls.substr(0, i)), std::string(cls.substr(i + 1))};
  }
  return std::nullopt;
}

}  // namespace

ParseResult parse_trivy_junit(const Input& in) {
  ParsedReport out;
  out.format = "trivy-junit";
  pugi::xml_document doc;
  auto loaded = xml::load(in, doc, "trivy JUnit");
  if (!loaded) return std::unexpected(loaded.error());
  pugi::xml_node root = *loaded;
  if (std::string_view(root.name()) != "testsuites")
    return std::unexpected(in.error("trivy JUnit: the root element is <" + std::string(root.name()) +
                                    ">, expected <testsuites name=\"trivy\">"));

  model::StepResult step;
  step.name = model::step::kTrivy;
  step.tool = "trivy";
  for (pugi::xml_node suite : root.children("testsuite")) {
    std::string target = suite.attribute("name").value();
    std::string type;  // os family or language ecosystem: <property name="type" value="alpine">
    for (pugi::xml_node prop : suite.child("properties").children("property"))
      if (std::string_view(prop.attribute("name").value()) == "type") type = prop.attribute("value").value();
    for (pugi::xml_node tc : suite.children("testcase")) {
      pugi::xml_node failure = tc.child("failure");
      if (!failure) failure = tc.child("error");  // some forks of the template write <error>
      if (!failure) continue;                     // a check that passed
      auto [severity, id] = severity_and_id(tc.attribute("name").value());
      if (id.empty()) return std::unexpected(xml::error_at(in, tc, "trivy JUnit: a <testcase> without a name"));
      model::Finding& f = step.findings.emplace_back();
      f.tool = "trivy";
      f.sources = {"trivy"};
      f.rule_id = id;
      f.tool_severity = severity;
      f.severity = model::severity_from_word(severity);
      f.title = util::trim(failure.attribute("message").value());
      f.message = util::trim(failure.text().get());
      f.location.target = target;
      std::string_view cls = tc.attribute("classname").value();
      if (auto pv = package_and_version(cls)) {
        f.kind = model::Kind::Vulnerability;
        f.package.name = pv->first;
        f.package.version = pv->second;
        f.package.type = type;
      } else {
        f.kind = model::Kind::Misconfiguration;
        f.location.path = target;  // as the JSON parser: a misconfiguration's target is its file
      }
      if (f.title.empty()) f.title = f.rule_id;
    }
  }
  model::assign_fingerprints(step.findings);
  out.steps.push_back(std::move(step));
  return out;
}

}  // namespace dg::ingest
