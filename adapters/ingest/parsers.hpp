#pragma once
// Every parser, one per format family. Each lives in its own file (trivy.cpp, grype.cpp, …)
// and has its own test under tests/adapters/ingest/.
#include "adapters/ingest/report.hpp"

namespace dg::ingest {

ParseResult parse_trivy_json(const Input& in);     // schema v2, legacy v1 array, Kubernetes shapes
ParseResult parse_grype_json(const Input& in);     // 0.7-era to current
ParseResult parse_hadolint_json(const Input& in);  // [{code, column, file, level, line, message}]
ParseResult parse_bandit_json(const Input& in);    // results + errors
ParseResult parse_bandit_csv(const Input& in);
ParseResult parse_bandit_xml(const Input& in);     // bandit -f xml (JUnit-like)
ParseResult parse_bandit_txt(const Input& in);     // bandit -f txt / screen
ParseResult parse_bandit_html(const Input& in);
ParseResult parse_bandit_yaml(const Input& in);
ParseResult parse_hadolint_junit(const Input& in);  // hadolint -f junit
ParseResult parse_checkstyle(const Input& in);      // hadolint -f checkstyle (and other linters')
ParseResult parse_trivy_junit(const Input& in);    // trivy --format template --template @contrib/junit.tpl
ParseResult parse_sarif(const Input& in);          // any tool; trivy/grype/hadolint/bandit drivers map to their steps
ParseResult parse_dockgate_json(const Input& in);  // our own result JSON (re-gate, merge)
ParseResult parse_codeclimate_json(const Input& in);  // GitLab Code Quality / Code Climate issues array
ParseResult parse_gitlab_security_json(const Input& in);  // GitLab container-scanning report (trivy's gitlab.tpl)
ParseResult parse_asff_json(const Input& in);      // AWS Security Finding Format (trivy's asff.tpl)

}  // namespace dg::ingest
