// Every real report of the corpus through the whole gate: exit code (0, or 4 exactly when the
// report records that its tool failed on some input), schema-valid JSON, and a finding count that matches an independent counter (tests/data/count_findings.py). The
// directories are enumerated, so a file added to the corpus is covered without a code change.
#include <map>
#include <regex>
#include <sstream>

#include "tests/support.hpp"

using namespace dg;

namespace {

std::vector<test::fs::path> files_in(const std::string& dir) {
  std::vector<test::fs::path> files;
  for (auto& e : test::fs::directory_iterator(test::corpus(dir)))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Files CATALOG.md marks invalid (a line that names the file and says "invalid"): gate must
// refuse them with exit 3. None today.
bool catalog_marks_invalid(const std::string& rel) {
  static const std::string catalog = test::read(test::corpus("CATALOG.md"));
  static const std::regex invalid(R"(\binvalid\b)", std::regex::icase);
  std::istringstream lines(catalog);
  std::string line;
  while (std::getline(lines, line))
    if (line.find("`" + rel + "`") != std::string::npos) return std::regex_search(line, invalid);
  return false;
}

std::map<std::string, long> independent_counts(const std::vector<test::fs::path>& files) {
  std::vector<std::string> argv{"/usr/bin/python3", test::data("count_findings.py").string()};
  for (auto& f : files) argv.push_back(f.string());
  auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::map<std::string, long> out;
  std::istringstream lines(r.out);
  long n = 0;
  std::string path;
  while (lines >> n >> path) out[path] = n;
  return out;
}

// One python process validates every result against the schema and prints each one's total.
std::map<std::string, std::string> validate_all(const std::vector<test::fs::path>& results) {
  static const char* script = R"PY(
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
validator = cls(schema)
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errs = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    total = doc.get("summary", {}).get("total", -1) + doc.get("summary", {}).get("merged_duplicates", 0)
    detail = "; ".join("/".join(map(str, e.path)) + ": " + e.message[:200] for e in errs[:5])
    failed_steps = sum(1 for s in doc.get("steps", []) if s.get("status") == "error" and s.get("errors"))
    print(path + "\t" + str(total) + "\t" + str(failed_steps) + "\t" + (detail or "ok"))
)PY";
  std::vector<std::string> argv{"/usr/bin/python3", "-c", script,
                                (test::source_dir() / "schemas/dockgate-result.schema.json").string()};
  for (auto& r : results) argv.push_back(r.string());
  auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

// A parser that another engineer has not written yet answers "not implemented yet": its files
// are reported, not failed, until it lands.
bool parser_missing(const std::string& err) { return err.find("not implemented yet") != std::string::npos; }

void check_directory(const std::string& dir) {
  auto files = files_in(dir);
  REQUIRE(!files.empty());
  auto counts = independent_counts(files);
  test::TempDir tmp;
  std::vector<test::fs::path> results;
  std::map<std::string, std::string> result_of;
  std::map<std::string, int> code_of;
  for (auto& file : files) {
    std::string rel = dir + "/" + file.filename().string();
    auto out = tmp / (file.filename().string() + ".result.json");
    auto r = test::cli({"gate", file.string(), "--json", out.string(), "--fail-on", "none", "-q"});
    if (catalog_marks_invalid(rel)) {
      CHECK_MESSAGE(r.code == 3, rel << " is marked invalid but gate exited " << r.code);
      CHECK_MESSAGE(!test::fs::exists(out), rel);
      continue;
    }
    if (r.code != 0 && parser_missing(r.err)) {
      WARN_MESSAGE(false, rel << ": parser not implemented yet: " << r.err);
      continue;
    }
    // Exit 4 is right when the report itself records that the tool failed on some input
    // (bandit's "errors": files it could not parse): a partial result is never green.
    CHECK_MESSAGE((r.code == 0 || r.code == 4), rel << ": gate exited " << r.code << ": " << r.err);
    if (r.code != 0 && r.code != 4) continue;
    CHECK_MESSAGE(test::fs::exists(out), rel << ": no --json output");
    results.push_back(out);
    result_of[out.string()] = rel;
    code_of[out.string()] = r.code;
  }
  if (results.empty()) return;
  auto checked = validate_all(results);
  for (auto& out : results) {
    const std::string& rel = result_of[out.string()];
    auto it = checked.find(out.string());
    REQUIRE_MESSAGE(it != checked.end(), rel << ": not validated");
    auto tab = it->second.find('\t');
    auto tab2 = it->second.find('\t', tab + 1);
    std::string total = it->second.substr(0, tab);
    int failed_steps = std::stoi(it->second.substr(tab + 1, tab2 - tab - 1));
    std::string verdict = it->second.substr(tab2 + 1);
    CHECK_MESSAGE((code_of[out.string()] == 0) == (failed_steps == 0),
                  rel << ": exit " << code_of[out.string()] << " with " << failed_steps << " step(s) in error");
    CHECK_MESSAGE(verdict == "ok", rel << ": result JSON does not validate: " << verdict);
    auto expected = counts.find((test::corpus(dir) / test::fs::path(rel).filename()).string());
    REQUIRE_MESSAGE(expected != counts.end(), rel << ": count_findings.py gave no count");
    CHECK_MESSAGE(total == std::to_string(expected->second),
                  rel << ": summary.total is " << total << ", count_findings.py says " << expected->second);
  }
}

}  // namespace

TEST_SUITE("ingest.corpus") {
  TEST_CASE("corpus trivy") { check_directory("trivy"); }
  TEST_CASE("corpus grype") { check_directory("grype"); }
  TEST_CASE("corpus hadolint") { check_directory("hadolint"); }
  TEST_CASE("corpus bandit") { check_directory("bandit"); }
  TEST_CASE("corpus sarif") { check_directory("sarif"); }
}
