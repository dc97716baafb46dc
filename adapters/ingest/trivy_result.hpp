#pragma once
// One element of trivy's Results[]: the same object in schema v2, in the legacy v1 top-level
// array, and inside every Kubernetes resource.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "adapters/ingest/json_pieces.hpp"
#include "src/model/finding.hpp"

namespace dg::ingest::trivy {

// Appends the findings of one Result: every vulnerability, every misconfiguration that did not
// pass (Status PASS and EXCEPTION are not findings), every secret (rule, file and line only,
// never the matched text) and every license. Fields are read in any order; values the model does
// not need (References, CVSS, Packages, Code) are skipped without copying.
// The indexes of vulnerabilities found in language-package lock files go to `lang_pkgs`, so the
// caller can give them a file path once it knows what was scanned.
void read_result(const Input& in, json::od::value result, std::vector<model::Finding>& out,
                 std::vector<std::size_t>& lang_pkgs);

// The same, a member at a time (json_pieces.hpp): the four arrays an element at a time. One
// reader serves every Result of a report (begin() starts the next).
class ResultReader : public json::ObjectReader {
 public:
  ResultReader(const Input& in, std::vector<model::Finding>& out, std::vector<std::size_t>& lang_pkgs);
  bool split(std::string_view key) const override;
  void begin() override;
  void element(std::string_view key, json::od::value item) override;
  void member(std::string_view key, json::od::value v) override;
  void end() override;
  // A run of the findings arrays' elements on another thread (json_pieces.hpp), into a vector of
  // its own; joined at the end of this reader's findings, before end() fills in the Result's.
  std::unique_ptr<json::ObjectReader> fork(std::string_view key) override;
  bool forks(std::string_view) const override { return true; }
  void join(std::string_view key, json::ObjectReader& forked) override;

 private:
  const Input& in_;
  std::vector<model::Finding>& out_;
  std::vector<std::size_t>& lang_pkgs_;
  std::size_t first_ = 0;
  std::string target_, klass_, type_;  // copies: a piece's views end with it
};

// The tool's severity word is kept; trivy's words (CRITICAL … UNKNOWN) map directly.
constexpr std::size_t kMaxMessageBytes = 1000;

}  // namespace dg::ingest::trivy
