#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "adapters/ingest/sniff.hpp"
#include "src/report/line_hash.hpp"
#include "src/report/writers.hpp"
#include "src/util/gzip.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;
using nlohmann::json;

namespace {
test::fs::path sarif_schema() { return test::corpus("schemas/sarif-schema-2.1.0.json"); }

// A run built from real corpus reports: trivy image scan, hadolint, bandit.
model::Run corpus_run() {
  model::Run run;
  run.dockgate_version = "0.1.0-test";
  for (auto* rel : {"hadolint/dd-one_dockerfile.json", "trivy/golden-alpine-310.json", "bandit/dd-one_vuln.json",
                    "trivy/golden-secrets.json"}) {
    auto r = ingest::parse_report(test::corpus(rel));
    REQUIRE_MESSAGE(r, rel);
    for (auto& s : r->steps) run.steps.push_back(std::move(s));
  }
  return run;
}
}  // namespace

TEST_SUITE("report.sarif") {
  TEST_CASE("mixed run matches the golden file") {
    test::check_golden("mixed.sarif", report::write_sarif(test::mixed_run()));
  }

  TEST_CASE("one run per tool with rules results and fingerprints") {
    auto j = json::parse(report::write_sarif(test::mixed_run()));
    CHECK(j["version"] == "2.1.0");
    std::set<std::string> tools;
    for (auto& r : j["runs"]) CHECK(tools.insert(r["tool"]["driver"]["name"].get<std::string>()).second);
    // grype errored with no findings: no run (an empty one would close its alerts);
    // smoke-test and image-size share the dockgate run.
    CHECK(tools == std::set<std::string>{"hadolint", "trivy", "bandit", "dockgate"});
    for (auto& r : j["runs"]) {
      auto& rules = r["tool"]["driver"]["rules"];
      CHECK(r["automationDetails"]["id"].get<std::string>().starts_with("image-gate/"));
      for (auto& res : r["results"]) {
        auto idx = res["ruleIndex"].get<std::size_t>();
        REQUIRE(idx < rules.size());
        CHECK(rules[idx]["id"] == res["ruleId"]);
        CHECK(!res["partialFingerprints"]["dockgate/v1"].get<std::string>().empty());
        auto& loc = res["locations"][0];
        CHECK(loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
      }
    }
    auto& trivy = j["runs"][1];
    CHECK(trivy["tool"]["driver"]["name"] == "trivy");
    auto& rule0 = trivy["tool"]["driver"]["rules"][0];
    CHECK(rule0["properties"]["security-severity"] == "9.5");
    CHECK(rule0["properties"]["tags"][0] == "security");
    bool waived = false, image = false;
    for (auto& res : trivy["results"]) {
      if (res.contains("suppressions")) {
        waived = true;
        CHECK(res["suppressions"][0]["kind"] == "external");
        CHECK(res["suppressions"][0]["justification"] == "DH not used by the service");
      }
      if (res["ruleId"] == "CVE-2023-0286") {
        image = true;
        CHECK(res["baselineState"] == "new");
        CHECK(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile");
        CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
        CHECK(res["locations"][0]["logicalLocations"][1]["name"] == "libssl3@3.0.7-1");
      }
    }
    CHECK(waived);
    CHECK(image);
    CHECK(j.dump().find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
  }

  TEST_CASE("valid against the SARIF 2.1.0 schema") {
    test::TempDir tmp;
    test::write(tmp / "mixed.sarif", report::write_sarif(test::mixed_run()));
    CHECK(test::validate_json_schema(sarif_schema(), tmp / "mixed.sarif") == "");
    test::write(tmp / "corpus.sarif", report::write_sarif(corpus_run()));
    CHECK(test::validate_json_schema(sarif_schema(), tmp / "corpus.sarif") == "");
  }

  TEST_CASE("SARIF Multitool validate reports no error") {
    auto mt = test::node_tool("sarif-multitool");
    if (!test::need(!mt.empty(), "sarif-multitool")) return;
    test::TempDir tmp;
    test::write(tmp / "mixed.sarif", report::write_sarif(test::mixed_run()));
    test::write(tmp / "corpus.sarif", report::write_sarif(corpus_run()));
    auto out = tmp / "validation.sarif";
    // Both files in one call: the tool takes seconds to start.
    auto r = test::run_process({mt, "validate", (tmp / "mixed.sarif").string(), (tmp / "corpus.sarif").string(),
                                "--output", out.string(), "--log", "ForceOverwrite", "--quiet"},
                               {{"DOTNET_CLI_TELEMETRY_OPTOUT", "1"}}, {}, 300, tmp.path);
    REQUIRE_MESSAGE(test::fs::exists(out), r.out << r.err);
    auto log = json::parse(test::read(out));
    std::string errors;
    std::size_t warnings = 0;
    for (auto& run : log["runs"]) {
      for (auto& res : run.value("results", json::array())) {
        std::string level = res.value("level", "warning");
        if (level == "error") errors += res.dump() + "\n";
        else ++warnings;
      }
      for (auto& inv : run.value("invocations", json::array()))
        for (auto& n : inv.value("toolExecutionNotifications", json::array()))
          if (n.value("level", "") == "error") errors += n.dump() + "\n";
    }
    CHECK_MESSAGE(errors.empty(), errors);
    MESSAGE("sarif-multitool: 0 errors, " << warnings << " warnings");
  }

  TEST_CASE("paths become repository-relative URIs") {
    auto run = test::mixed_run();
    run.steps[0].findings[0].location.path = "./docker/My File#1.Dockerfile";
    auto j = json::parse(report::write_sarif(run));
    bool found = false;
    for (auto& res : j["runs"][0]["results"])
      if (res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docker/My%20File%231.Dockerfile")
        found = true;
    CHECK(found);
  }
}

// What GitHub code scanning does with our SARIF, rule by rule, each checked against its consumer.
namespace {

test::CliResult gate_sarif(const std::vector<std::string>& extra, std::map<std::string, std::string> env = {}) {
  std::vector<std::string> args{"gate"};
  args.insert(args.end(), extra.begin(), extra.end());
  for (auto a : {"-q", "--fail-on", "none"}) args.push_back(a);
  return test::cli(args, std::move(env));
}

// Multitool over SARIF files: "RULE FILENAME" for each of its results.
std::multiset<std::string> multitool_rules(const std::vector<test::fs::path>& files, const test::fs::path& dir) {
  auto mt = test::node_tool("sarif-multitool");
  std::vector<std::string> argv{mt, "validate"};
  for (auto& f : files) argv.push_back(f.string());
  auto out = dir / "validation.sarif";
  // The npm wrapper runs the tool through a shell: the quotes keep the level list one argument.
  // Warnings must be asked for (the default reports errors only).
  for (const std::string& a : {std::string("--output"), out.string(), std::string("--log"), std::string("ForceOverwrite"),
                        std::string("--quiet"), std::string("--level"), std::string("\"Error;Warning\"")})
    argv.push_back(a);
  auto r = test::run_process(argv, {{"DOTNET_CLI_TELEMETRY_OPTOUT", "1"}}, {}, 600, dir);
  REQUIRE_MESSAGE(test::fs::exists(out), r.out << r.err);
  std::multiset<std::string> rules;
  auto log = json::parse(test::read(out));
  for (auto& run : log["runs"])
    for (auto& res : run.value("results", json::array())) {
      std::string uri = res["locations"][0]["physicalLocation"]["artifactLocation"].value("uri", "");
      rules.insert(res.value("ruleId", "") + " " + uri.substr(uri.find_last_of('/') + 1));
    }
  return rules;
}

}  // namespace

TEST_SUITE("report.sarif.github") {
  // codeql-action src/upload-lib.ts populateRunAutomationDetails: the upload's `category` input is
  // used only for runs without automationDetails, so ours must carry the category itself.
  TEST_CASE("automationDetails id carries the comment key or sarif-category") {
    test::TempDir tmp;
    auto report = test::corpus("hadolint/dd-one_dockerfile.json").string();
    std::map<std::string, std::string> env{{"GITHUB_ACTIONS", "true"}, {"GITHUB_JOB", "scan"}};
    REQUIRE(gate_sarif({report, "--sarif", (tmp / "app.sarif").string(), "--comment-key", "app"}, env).code == 0);
    REQUIRE(gate_sarif({report, "--sarif", (tmp / "worker.sarif").string(), "--comment-key", "worker"}, env).code == 0);
    REQUIRE(gate_sarif({report, "--sarif", (tmp / "cat.sarif").string(), "--comment-key", "x", "--sarif-category",
                        "images/api"},
                       env).code == 0);
    auto id = [&](const char* f) {
      return json::parse(test::read(tmp / f))["runs"][0]["automationDetails"]["id"].get<std::string>();
    };
    CHECK(id("app.sarif") == "app/hadolint/");
    CHECK(id("worker.sarif") == "worker/hadolint/");
    CHECK(id("cat.sarif") == "images/api/hadolint/");
    auto opt = report::SarifOptions{};
    opt.category = "shop/";
    auto j = json::parse(report::write_sarif(test::mixed_run(), opt));
    CHECK(j["runs"][0]["automationDetails"]["id"] == "shop/hadolint/");
  }

  // "SARIF support for code scanning": artifactLocation.uri relative to %SRCROOT% (the checkout);
  // GitLab links location.path under the commit (lib/gitlab/ci/parsers/codequality/code_climate.rb
  // web_url), and annotations need a repository path. hadolint ran in a container with the
  // checkout at /code (corpus hadolint/issue125-hadolint-abs-path.json).
  TEST_CASE("absolute paths under the workspace are root-relative in every output") {
    test::TempDir tmp;
    auto report = test::corpus("hadolint/issue125-hadolint-abs-path.json").string();
    auto r = gate_sarif({report, "--sarif", (tmp / "o.sarif").string(), "--codequality", (tmp / "cq.json").string(),
                         "--markdown", (tmp / "c.md").string(), "--annotations"},
                        {{"GITHUB_WORKSPACE", "/code"}});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    auto sarif = json::parse(test::read(tmp / "o.sarif"));
    for (auto& res : sarif["runs"][0]["results"]) {
      auto& art = res["locations"][0]["physicalLocation"]["artifactLocation"];
      CHECK(art["uri"] == "Dockerfile");
      CHECK(art["uriBaseId"] == "%SRCROOT%");
    }
    for (auto& issue : json::parse(test::read(tmp / "cq.json"))) CHECK(issue["location"]["path"] == "Dockerfile");
    CHECK(r.out.find("file=Dockerfile,line=9") != std::string::npos);
    CHECK(r.out.find("/code/") == std::string::npos);
    auto md = test::read(tmp / "c.md");
    CHECK(md.find("Dockerfile:9") != std::string::npos);
    CHECK(md.find("/code/") == std::string::npos);

    // The same report under another root: kept as written, marked, and no %SRCROOT%.
    auto o = gate_sarif({report, "--sarif", (tmp / "out.sarif").string(), "--annotations", "--source-root", "/srv/repo"},
                        {{"GITHUB_WORKSPACE", "/code"}});
    REQUIRE(o.code == 0);
    auto res = json::parse(test::read(tmp / "out.sarif"))["runs"][0]["results"][0];
    CHECK(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///code/Dockerfile");
    CHECK_FALSE(res["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
    CHECK(res["properties"]["outside-source-root"] == true);
    CHECK(o.out.find("file=") == std::string::npos);
    CHECK(o.out.find("/code/Dockerfile:9 (outside the repository)") != std::string::npos);
  }

  // "SARIF support for code scanning": region.startLine is required to show a result in the
  // files view; codeql-action's fingerprints.ts hashes the startLine of the primary location.
  TEST_CASE("image findings sit on the final FROM line and lock files on line 1 with line hashes") {
    test::TempDir ws;
    auto dockerfile = test::read(test::corpus("dockerfiles/docker-library.golang-1.27-alpine3.24.Dockerfile"));
    test::write(ws / "Dockerfile", dockerfile);
    test::write(ws / "requirements.txt", "Django==2.0.0\nurllib3==1.24.1\n");
    auto r = gate_sarif({test::corpus("trivy/golden-alpine-310.json").string(), test::corpus("trivy/golden-pip.json").string(),
                         "--sarif", (ws / "o.sarif").string(), "--source-root", ws.path.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    auto hashes = report::line_hashes(dockerfile);
    REQUIRE(hashes.size() > 113);
    auto lock_hashes = report::line_hashes(test::read(ws / "requirements.txt"));
    std::size_t image = 0, lock = 0;
    auto sarif = json::parse(test::read(ws / "o.sarif"));
    for (auto& run : sarif["runs"])
      for (auto& res : run["results"]) {
        auto& pl = res["locations"][0]["physicalLocation"];
        REQUIRE(pl["region"].contains("startLine"));
        if (pl["artifactLocation"]["uri"] == "Dockerfile") {
          ++image;
          CHECK(pl["region"]["startLine"] == 113);  // FROM alpine:3.24, the final stage
          CHECK(res["message"]["text"].get<std::string>().find("alpine-310.tar.gz (alpine 3.10.2)") != std::string::npos);
          CHECK(res["partialFingerprints"]["primaryLocationLineHash"] == hashes[112]);
        } else {
          ++lock;
          CHECK(pl["artifactLocation"]["uri"] == "requirements.txt");
          CHECK(pl["region"]["startLine"] == 1);
          CHECK(res["partialFingerprints"]["primaryLocationLineHash"] == lock_hashes[0]);
        }
        CHECK(!res["partialFingerprints"]["dockgate/v1"].get<std::string>().empty());
      }
    CHECK(image == 4);
    CHECK(lock == 2);
  }

  // "SARIF results exceed one or more limits": 25,000 results per run, 20 runs per file; and
  // codeql-action upload-lib.ts gzips the file, which GitHub takes up to 10 MB.
  TEST_CASE("30000 findings keep the 25000 that gate and are most severe and say so") {
    model::Run run;
    run.dockgate_version = "0.1.0-test";
    model::StepResult s;
    s.name = s.tool = "trivy";
    s.tool_version = "0.58.1";
    s.status = model::StepStatus::Failed;
    for (int i = 0; i < 30000; ++i) {
      auto sev = i % 10 == 0 ? model::Severity::Critical : i % 10 < 3 ? model::Severity::High : model::Severity::Low;
      auto f = test::pkg(test::finding("trivy", "CVE-2024-" + std::to_string(10000 + i), sev, model::Kind::Vulnerability,
                                       "vulnerability " + std::to_string(i)),
                         "pkg" + std::to_string(i), "1.0", "", "registry.example/app:1 (debian 12)");
      f.fingerprint = std::to_string(i);
      // As policy::evaluate leaves them: every 7th critical waived, the lows ending in 8 or 9
      // below the threshold. Neither decides the gate, so every low that does goes first.
      if (sev == model::Severity::Critical && i % 7 == 0) {
        f = test::waived(f, "accepted risk");
        f.gating = false;
        f.why_not = "waived";
      }
      if (i % 10 >= 8) {
        f.gating = false;
        f.why_not = "below-threshold";
      }
      s.findings.push_back(std::move(f));
    }
    run.steps.push_back(std::move(s));
    std::vector<std::string> warnings;
    report::SarifOptions opt;
    opt.warnings = &warnings;
    auto text = report::write_sarif(run, opt);
    auto j = json::parse(text);
    auto& results = j["runs"][0]["results"];
    CHECK(results.size() == 25000);
    std::size_t critical = 0, high = 0;
    std::set<std::string> kept;
    for (auto& r : results) {
      auto sev = r["properties"]["severity"].get<std::string>();
      critical += sev == "critical";
      high += sev == "high";
      kept.insert(r["partialFingerprints"]["dockgate/v1"].get<std::string>());
    }
    // 23,571 findings gate: all of them are kept, then the 1,429 worst of the rest (unwaived
    // lows before the waived criticals).
    CHECK(critical == 3000 - 429);
    CHECK(high == 6000);
    std::size_t gating_lost = 0;
    for (int i = 0; i < 30000; ++i)
      if (i % 10 >= 3 && i % 10 < 8 && !kept.contains(std::to_string(i))) ++gating_lost;
    CHECK(gating_lost == 0);
    auto& props = j["runs"][0]["properties"]["dockgate-truncated"];
    CHECK(props["results-total"] == 30000);
    CHECK(props["results-dropped"] == 5000);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("kept 25000 of 30000") != std::string::npos);

    // The gzip limit, checked with gzip itself: lowered so that 30,000 results cannot fit.
    std::vector<std::string> w2;
    opt.warnings = &w2;
    opt.max_gzip_bytes = 300000;
    auto small = report::write_sarif(run, opt);
    test::TempDir tmp;
    test::write(tmp / "s.sarif", small);
    auto gz = test::run_process({"/usr/bin/python3", "-c",
                                 "import gzip,sys; print(len(gzip.compress(open(sys.argv[1],'rb').read())))",
                                 (tmp / "s.sarif").string()});
    REQUIRE(gz.code == 0);
    CHECK(std::stoul(gz.out) <= 300000);
    auto js = json::parse(small);
    CHECK(js["runs"][0]["results"].size() < 25000);
    CHECK(js["runs"][0]["results"][0]["properties"]["severity"] == "critical");
    CHECK(!w2.empty());

    // The run limit: the tool with the least severe findings is the one left out.
    model::Run three = test::mixed_run();
    std::vector<std::string> w3;
    report::SarifOptions o3;
    o3.max_runs = 3;
    o3.warnings = &w3;
    auto j3 = json::parse(report::write_sarif(three, o3));
    CHECK(j3["runs"].size() == 3);
    REQUIRE(w3.size() == 1);
    CHECK(w3[0].find("at most 3 runs") != std::string::npos);
  }

  // The limit is checked with zlib's fastest level first and its default level (the upload
  // action's) only when the fast one says "over": a log that fits at the default level is not cut.
  TEST_CASE("a log over the gzip limit at the fastest level but not at the default is kept whole") {
    model::Run run;
    run.dockgate_version = "0.1.0-test";
    model::StepResult s;
    s.name = s.tool = "trivy";
    s.tool_version = "0.58.1";
    s.status = model::StepStatus::Failed;
    for (int i = 0; i < 3000; ++i) {
      auto f = test::pkg(test::finding("trivy", "CVE-2024-" + std::to_string(10000 + i % 700),
                                       i % 4 ? model::Severity::High : model::Severity::Critical,
                                       model::Kind::Vulnerability, "vulnerability " + std::to_string(i % 700)),
                         "pkg" + std::to_string(i % 300), "1." + std::to_string(i % 11), "", "registry.example/app:1 (debian 12)");
      f.fingerprint = std::to_string(i);
      s.findings.push_back(std::move(f));
    }
    run.steps.push_back(std::move(s));
    report::SarifOptions opt;
    std::vector<std::string> warnings;
    opt.warnings = &warnings;
    auto whole = report::write_sarif(run, opt);
    REQUIRE(warnings.empty());
    auto fast = util::gzip_size(whole, 1), normal = util::gzip_size(whole);
    REQUIRE(fast);
    REQUIRE(normal);
    REQUIRE(*fast > *normal + 1000);

    opt.max_gzip_bytes = (*fast + *normal) / 2;
    CHECK(report::write_sarif(run, opt) == whole);
    CHECK(warnings.empty());

    opt.max_gzip_bytes = *normal - 1000;
    auto cut = report::write_sarif(run, opt);
    auto gz = util::gzip_size(cut);
    REQUIRE(gz);
    CHECK(*gz <= opt.max_gzip_bytes);
    auto j = json::parse(cut);
    CHECK(j["runs"][0]["results"].size() < 3000);
    CHECK(j["runs"][0]["properties"]["dockgate-truncated"]["results-total"] == 3000);
    CHECK(!warnings.empty());
  }

  // The CLI writes the log to the file as it is made: the pieces are the string form's text, at
  // most about 1 MiB each, and a cut starts the output over (restart) before the kept log.
  TEST_CASE("the log in pieces is the same text and a cut starts it over") {
    struct Recorder : report::TextSink {
      std::string text;
      std::size_t pieces = 0, largest = 0, restarts = 0;
      void put(std::string_view piece) override {
        text += piece;
        ++pieces;
        largest = std::max(largest, piece.size());
      }
      void restart() override {
        text.clear();
        ++restarts;
      }
    };
    model::Run run;
    run.dockgate_version = "0.1.0-test";
    model::StepResult s;
    s.name = s.tool = "trivy";
    s.status = model::StepStatus::Failed;
    for (int i = 0; i < 8000; ++i) {
      auto f = test::pkg(test::finding("trivy", "CVE-2024-" + std::to_string(10000 + i), model::Severity::High,
                                       model::Kind::Vulnerability, "vulnerability " + std::to_string(i)),
                         "pkg" + std::to_string(i), "1.0", "", "registry.example/app:1 (debian 12)");
      f.fingerprint = std::to_string(i);
      s.findings.push_back(std::move(f));
    }
    run.steps.push_back(std::move(s));
    report::SarifOptions opt;
    auto whole = report::write_sarif(run, opt);
    REQUIRE(whole.size() > 3u << 20);
    Recorder rec;
    report::write_sarif(run, opt, rec);
    CHECK(rec.text == whole);
    CHECK(rec.pieces > 2);
    CHECK(rec.largest < (1u << 20) + (64u << 10));
    CHECK(rec.restarts == 0);

    opt.max_gzip_bytes = 100000;
    auto cut = report::write_sarif(run, opt);
    Recorder rec2;
    report::write_sarif(run, opt, rec2);
    CHECK(rec2.restarts > 0);
    CHECK(rec2.text == cut);
    CHECK(json::parse(cut)["runs"][0]["results"].size() < 8000);
  }

  // SARIF Multitool's GitHub rules: SARIF2005 (ProvideToolProperties: a numeric tool version) and
  // SARIF2017 (ProvideRequiredRegionProperties: a region with startLine), over real reports.
  TEST_CASE("SARIF Multitool finds no SARIF2005 or SARIF2017 on the corpus reports") {
    auto mt = test::node_tool("sarif-multitool");
    if (!test::need(!mt.empty(), "sarif-multitool")) return;
    test::TempDir tmp;
    std::vector<test::fs::path> files;
    for (auto dir : {"trivy", "grype", "hadolint", "bandit"})
      for (auto& e : test::fs::directory_iterator(test::corpus(dir))) {
        auto r = ingest::parse_report(e.path());
        if (!r) continue;
        model::Run run;
        run.dockgate_version = "0.1.0-test";
        for (auto& s : r->steps) run.steps.push_back(std::move(s));
        auto out = tmp / (std::string(dir) + "-" + e.path().filename().string() + ".sarif");
        test::write(out, report::write_sarif(run));
        files.push_back(out);
      }
    REQUIRE(files.size() > 30);
    // The check can fail: trivy's lock-file findings without regions and tool version, as
    // dockgate wrote them before.
    auto control = json::parse(test::read(tmp / "trivy-golden-pip.json.sarif"));
    for (auto& run : control["runs"]) {
      run["tool"]["driver"].erase("version");
      for (auto& res : run["results"]) res["locations"][0]["physicalLocation"].erase("region");
    }
    test::write(tmp / "control.sarif", control.dump());
    files.push_back(tmp / "control.sarif");
    auto rules = multitool_rules(files, tmp.path);
    std::size_t bad = 0;
    for (auto& r : rules)
      if ((r.starts_with("SARIF2005 ") || r.starts_with("SARIF2017 ")) && r != "SARIF2005 control.sarif" &&
          r != "SARIF2017 control.sarif") {
        ++bad;
        MESSAGE(r);
      }
    CHECK(bad == 0);
    CHECK(rules.count("SARIF2005 control.sarif") > 0);
    CHECK(rules.count("SARIF2017 control.sarif") > 0);
    MESSAGE("sarif-multitool over " << files.size() << " corpus reports: " << rules.size() << " results");
  }
}
