#include <map>
#include <sstream>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

const char* kCorpusDirs[] = {"trivy", "grype", "hadolint", "bandit", "sarif"};

std::vector<test::fs::path> corpus_files() {
  std::vector<test::fs::path> files;
  for (auto dir : kCorpusDirs)
    for (auto& e : test::fs::directory_iterator(test::corpus(dir)))
      if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// "family variant" per file, from count_findings.py's own (independent) recognition.
std::map<std::string, std::string> expected_formats(const std::vector<test::fs::path>& files) {
  std::vector<std::string> argv{"/usr/bin/python3", test::data("count_findings.py").string(), "--detect"};
  for (auto& f : files) argv.push_back(f.string());
  auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  std::string family, variant, path;
  while (lines >> family >> variant >> path) out[path] = family + " " + variant;
  return out;
}

}  // namespace

TEST_SUITE("ingest.sniff") {
  TEST_CASE("every corpus file is recognized by content as the right family and variant") {
    auto files = corpus_files();
    auto expected = expected_formats(files);
    REQUIRE(expected.size() == files.size());
    test::TempDir tmp;
    for (auto& file : files) {
      auto in = ingest::load_input(file);
      REQUIRE(in);
      auto fmt = ingest::sniff(*in);
      CHECK_MESSAGE(fmt, file.string() << ": " << (fmt ? "" : fmt.error().to_string()));
      if (!fmt) continue;
      CHECK_MESSAGE(fmt->family + " " + fmt->variant == expected[file.string()], file.string());
      // The name means nothing: the same bytes under a misleading name are the same report.
      auto renamed = tmp / ("report-" + file.stem().string() + ".txt");
      test::fs::copy_file(file, renamed, test::fs::copy_options::overwrite_existing);
      auto again = ingest::load_input(renamed);
      REQUIRE(again);
      auto fmt2 = ingest::sniff(*again);
      REQUIRE(fmt2);
      CHECK(fmt2->variant == fmt->variant);
    }
  }

  TEST_CASE("SARIF knows the tool that wrote it") {
    auto in = ingest::load_input(test::corpus("trivy/golden-alpine-310.sarif"));
    REQUIRE(in);
    auto fmt = ingest::sniff(*in);
    REQUIRE(fmt);
    CHECK(fmt->family == "sarif");
    CHECK(fmt->tool == "trivy");
    auto g = ingest::load_input(test::corpus("grype/snap-head-sarif-image.sarif"));
    REQUIRE(g);
    CHECK(ingest::sniff(*g)->tool == "grype");
    auto c = ingest::load_input(test::corpus("sarif/codeQL-output.sarif"));
    REQUIRE(c);
    CHECK(ingest::sniff(*c)->tool.empty());
  }

  TEST_CASE("--format grype on a trivy report says what the file looks like") {
    test::TempDir tmp;
    auto file = test::corpus("trivy/golden-alpine-310.json");
    auto r = test::cli({"gate", file.string(), "--format", "grype", "--json", (tmp / "out.json").string()});
    CHECK(r.code == 3);
    CHECK(r.err.find(file.string()) != std::string::npos);
    CHECK(r.err.find("looks like trivy") != std::string::npos);
    CHECK_FALSE(test::fs::exists(tmp / "out.json"));
  }

  TEST_CASE("--format trivy accepts trivy's SARIF and --format sarif any SARIF") {
    auto trivy = ingest::parse_report(test::corpus("trivy/golden-alpine-310.sarif"), "trivy");
    CHECK_MESSAGE(trivy, (trivy ? "" : trivy.error().to_string()));
    CHECK(ingest::parse_report(test::corpus("trivy/golden-alpine-310.sarif"), "sarif"));
    auto wrong = ingest::parse_report(test::corpus("trivy/golden-alpine-310.sarif"), "grype");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.find("looks like sarif") != std::string::npos);
  }

  TEST_CASE("an unknown JSON object names its keys") {
    auto in = ingest::make_input("x.json", R"({"zebra": 1, "apple": {"a": 2}, "mango": [3]})");
    auto fmt = ingest::sniff(in);
    REQUIRE_FALSE(fmt);
    CHECK(fmt.error().kind == util::ErrorKind::Input);
    CHECK(fmt.error().file == "x.json");
    CHECK(fmt.error().line == 1);
    for (auto key : {"zebra", "apple", "mango"}) CHECK(fmt.error().message.find(key) != std::string::npos);
    auto arr = ingest::make_input("y.json", R"([{"foo": 1, "bar": 2}])");
    auto f2 = ingest::sniff(arr);
    REQUIRE_FALSE(f2);
    CHECK(f2.error().message.find("foo") != std::string::npos);
  }

  // A CycloneDX VEX has `vulnerabilities` and `version`: it was read as GitLab container scanning
  // and failed the gate with findings the document says do not apply.
  TEST_CASE("VEX documents and BOMs given as reports say where they belong") {
    for (auto* name : {"cyclonedx-alpine-310.json", "cyclonedx-debian-buster.json", "openvex-vulnerable-image.json"}) {
      auto in = ingest::load_input(test::data(std::string("vex/") + name));
      REQUIRE(in);
      auto fmt = ingest::sniff(*in);
      REQUIRE_FALSE(fmt);
      CHECK(fmt.error().kind == util::ErrorKind::Input);
      CHECK_MESSAGE(fmt.error().message.find("this is a VEX document, pass it with --vex") != std::string::npos,
                    fmt.error().message);
    }
    auto sbom = ingest::make_input("bom.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "components": [{"type": "library", "name": "zlib"}]})");
    auto f = ingest::sniff(sbom);
    REQUIRE_FALSE(f);
    CHECK(f.error().message.find("CycloneDX SBOM") != std::string::npos);
    // GitLab's own report keeps being recognized.
    auto gitlab = ingest::make_input("gl.json", R"({"version": "15.0.0", "vulnerabilities": [{"id": "x", "severity": "High"}], "scan": {}})");
    auto g = ingest::sniff(gitlab);
    REQUIRE(g);
    CHECK(g->family == "gitlab");
  }

  TEST_CASE("unknown text and binary files are named without echoing control bytes") {
    auto in = ingest::make_input("bin.dat", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
    auto fmt = ingest::sniff(in);
    REQUIRE_FALSE(fmt);
    CHECK(fmt.error().message.find("binary") != std::string::npos);
    auto txt = ingest::make_input("notes.txt", "hello\x1b[31m world\n");
    auto f2 = ingest::sniff(txt);
    REQUIRE_FALSE(f2);
    CHECK(f2.error().message.find('\x1b') == std::string::npos);
    CHECK(f2.error().message.find("hello") != std::string::npos);
  }

  TEST_CASE("telling keys after a large first value are still found") {
    // runs (2 MB) before version: the prefix read misses "version", the full read finds it.
    std::string big(2 << 20, 'x');
    auto text = R"({"runs": [{"tool": {"driver": {"name": "t"}}, "properties": {"blob": ")" + big +
                R"("}, "results": []}], "version": "2.1.0"})";
    auto in = ingest::make_input("late.sarif", text);
    auto fmt = ingest::sniff(in);
    REQUIRE_MESSAGE(fmt, (fmt ? "" : fmt.error().to_string()));
    CHECK(fmt->family == "sarif");
    auto bandit = R"({"errors": [], "metrics": {"f": ")" + big + R"("}, "results": []})";
    auto b = ingest::make_input("late.json", bandit);
    auto fb = ingest::sniff(b);
    REQUIRE(fb);
    CHECK(fb->variant == "bandit-json");
  }

  TEST_CASE("keys between the short and the long prefix are found and judged as the long one judges them") {
    // 200 KB of trivy Metadata before Results and ArtifactName: past the 64 KiB read first.
    std::string pad(200 << 10, 'y');
    auto trivy = ingest::make_input("t.json", R"({"Metadata": {"Blob": ")" + pad +
                                                  R"("}, "ArtifactName": "x", "Results": []})");
    auto t = ingest::sniff(trivy);
    REQUIRE_MESSAGE(t, (t ? "" : t.error().to_string()));
    CHECK(t->variant == "trivy-json-v2");
    // A CycloneDX VEX whose first vulnerability says "analysis" after 64 KiB: the short read sees
    // a vulnerabilities array and a version (GitLab's keys) but is not taken; the long one says VEX.
    auto vex = ingest::make_input("v.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "vulnerabilities": [{"id": "CVE-1", "detail": ")" + pad + R"(", "analysis": {"state": "not_affected"}}]})");
    auto v = ingest::sniff(vex);
    REQUIRE_FALSE(v);
    CHECK_MESSAGE(v.error().message.find("this is a VEX document") != std::string::npos, v.error().message);
  }

  TEST_CASE("a BOM and leading white space do not hide the format") {
    auto in = ingest::make_input("bom.json", "\xEF\xBB\xBF\n  [{\"code\": \"DL3008\", \"level\": \"warning\", \"line\": 1}]");
    auto fmt = ingest::sniff(in);
    REQUIRE(fmt);
    CHECK(fmt->variant == "hadolint-json");
  }

  TEST_CASE("the sniffed prefix of a big report is cut outside strings and closed") {
    std::string text = R"({"SchemaVersion": 2, "Results": [{"Target": "a\"b{[", "Vulnerabilities": [{"VulnerabilityID": "CVE-1"}]}]})";
    // Cut inside the Target string: back to before it, then every open bracket closed.
    auto cut = text.find("\"Target\": \"a") + 13;  // just after the a of the Target string
    CHECK(ingest::closed_prefix(text, cut) == R"({"SchemaVersion": 2, "Results": [{"Target": }]})");
    // Brackets inside strings do not count; the whole document needs no closer.
    CHECK(ingest::closed_prefix(text, text.size()) == text);
    CHECK(ingest::closed_prefix(text, text.find("CVE-1") - 1) ==
          R"({"SchemaVersion": 2, "Results": [{"Target": "a\"b{[", "Vulnerabilities": [{"VulnerabilityID": }]}]})");
  }

  TEST_CASE("expected_findings asks for one finding per KiB so a crafted file cannot ask for more") {
    CHECK(ingest::json::expected_findings(std::string(1 << 20, ' ')) == 1024 + 16);
    CHECK(ingest::json::expected_findings("{}") == 16);
  }

  TEST_CASE("a trivy report denser than one finding per KiB is read whole") {
    // The reservation is a guess from the size: more findings than it must grow, not be lost.
    nlohmann::json vulns = nlohmann::json::array();
    for (int i = 0; i < 20000; ++i)
      vulns.push_back({{"VulnerabilityID", "CVE-2024-" + std::to_string(10000 + i)}, {"PkgName", "p"},
                       {"InstalledVersion", "1"}, {"Severity", "LOW"}});
    nlohmann::json doc = {{"SchemaVersion", 2},
                          {"Results", {{{"Target", "t"}, {"Class", "os-pkgs"}, {"Vulnerabilities", vulns}}}}};
    auto text = doc.dump();
    REQUIRE(text.size() / 1024 + 16 < 20000);
    auto in = ingest::make_input("dense.json", text);
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(r->steps.size() == 1);
    CHECK(r->steps[0].findings.size() == 20000);
    CHECK(r->steps[0].findings.back().rule_id == "CVE-2024-29999");
  }

  TEST_CASE("a big grype report is recognized from its first match before descriptor and source") {
    // grype writes matches first; in a report over the sniffed MiB, or one cut before its end,
    // the keys after matches are not seen.
    auto full = nlohmann::json::parse(test::read(test::corpus("grype/dd-many_vulns3.json")));
    nlohmann::json only_matches = {{"matches", nlohmann::json::array()}};
    while (only_matches.dump().size() < (3u << 20))
      for (auto& m : full["matches"]) only_matches["matches"].push_back(m);
    auto in = ingest::make_input("big-grype.json", only_matches.dump());
    auto fmt = ingest::sniff(in);
    REQUIRE_MESSAGE(fmt, (fmt ? "" : fmt.error().to_string()));
    CHECK(fmt->variant == "grype-json");
  }

  TEST_CASE("1 MiB of open brackets is refused at the depth limit in one pass") {
    // Issue 16 row 1: the sniffer copied its bracket stack at every byte (O(n*depth)): 19 s
    // before exit 3. Run as a process with a timeout far above the linear cost.
    test::TempDir tmp;
    test::write(tmp / "deep.json", std::string(1u << 20, '['));
    auto r = test::run_process({test::dockgate_binary(), "gate", (tmp / "deep.json").string()}, {}, {}, 8);
    CHECK_MESSAGE(r.code == 3, r.err);
    CHECK_MESSAGE(r.err.find("deep.json:1:1025: JSON nested deeper than 1024 levels") != std::string::npos, r.err);
    std::size_t at = 0;
    ingest::closed_prefix(std::string(5000, '['), 5000, &at);
    CHECK(at == ingest::kMaxJsonDepth);
  }
}
