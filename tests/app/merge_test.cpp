// dockgate merge, the cross-scanner dedup and the baseline, end to end on files.
//
// tests/data/policy/pair/ is a trivy + grype pair of the SAME image built by hand: the corpus
// has no such pair. trivy.json is trivy/golden-alpine-310.json (its alpine result, real) plus
// the Werkzeug 0.11 entries of trivy/golden-pip.json (real) as the image's python packages;
// grype.json uses the layout of grype/snap-head-json-image.json with matches for the same
// packages: the same four alpine CVEs, the Werkzeug GHSA advisories with their real CVE
// aliases (GHSA-gq9m-qvpx-68hc = CVE-2019-14806, GHSA-3p3h-qghp-hvh2 = CVE-2020-28724) and
// one grype-only CVE (CVE-2019-1563, a real OpenSSL 1.1.1c advisory). *.result.json are the
// results a shard running `dockgate gate` on each would write.
#include "tests/support.hpp"

using namespace dg;

namespace {

std::string pair(const std::string& name) { return test::data("policy/pair/" + name).string(); }

// python3 over a result JSON: an independent look at what dockgate wrote.
std::string py(const std::string& code, const test::fs::path& file) {
  auto r = test::run_process({"/usr/bin/python3", "-c",
                              "import json,sys\nd=json.load(open(sys.argv[1]))\n"
                              "fs=[f for s in d['steps'] for f in s['findings']]\n" + code,
                              file.string()});
  return r.out + r.err;
}

}  // namespace

TEST_SUITE("app.merge") {
  TEST_CASE("merging a trivy shard and a grype shard dedups the pair") {
    test::TempDir tmp;
    auto out = tmp / "merged.json";
    auto r = test::cli({"merge", pair("trivy.result.json"), pair("grype.result.json"), "-o", out.string(),
                        "--fail-on", "critical"});
    CHECK_MESSAGE(r.code == 0, r.err);
    // Independent count of the duplicates: (lowercased package, version, any id) shared across the two files.
    auto expected = test::run_process(
        {"/usr/bin/python3", "-c",
         "import json,sys\n"
         "def keys(f):\n"
         "  ids={f['rule_id'].upper()}|{a.upper() for a in f.get('aliases',[])}\n"
         "  return {(f['package']['name'].lower(),f['package']['version'],i) for i in ids}\n"
         "t=[f for s in json.load(open(sys.argv[1]))['steps'] for f in s['findings']]\n"
         "g=[f for s in json.load(open(sys.argv[2]))['steps'] for f in s['findings']]\n"
         "tk=set().union(*[keys(f) for f in t])\n"
         "print(sum(1 for f in g if keys(f)&tk), len(t)+len(g))",
         pair("trivy.result.json"), pair("grype.result.json")});
    CHECK(expected.out == "6 13\n");
    CHECK(py("print(d['summary']['merged_duplicates'], len(fs), sum(1 for f in fs if len(f.get('sources',[]))==2))", out) ==
          "6 7 6\n");
    // The GHSA advisories met their CVE: one finding, the trivy id first, both sources.
    CHECK(py("w=[f for f in fs if f['rule_id']=='CVE-2019-14806'][0]\n"
             "print(w['aliases'], w['sources'], w['source_severities'], w['package']['purl'])",
             out) == "['GHSA-gq9m-qvpx-68hc'] ['trivy', 'grype'] ['trivy:high', 'grype:high'] pkg:pypi/werkzeug@0.11\n");
    // The merged findings stay in the trivy step; the grype step keeps what only grype saw.
    CHECK(py("print([(s['name'], len(s['findings'])) for s in d['steps']])", out) == "[('trivy', 6), ('grype', 1)]\n");
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", out) == "");
  }

  TEST_CASE("gate on the native trivy and grype reports of the pair merges the same six") {
    test::TempDir tmp;
    auto out = tmp / "result.json";
    auto r = test::cli({"gate", pair("trivy.json"), pair("grype.json"), "--json", out.string(), "--fail-on", "none"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(py("print(d['summary']['merged_duplicates'], len(fs), sorted(set(tuple(f.get('sources') or [f['tool']]) for f in fs)))", out) ==
          "6 7 [('grype',), ('trivy', 'grype')]\n");
  }

  TEST_CASE("merge folds same-name steps from shards and re-gates once") {
    test::TempDir tmp;
    auto out = tmp / "merged.json";
    auto r = test::cli({"merge", pair("trivy.result.json"), pair("trivy.result.json"), "--json", out.string(),
                        "--fail-on", "high"});
    CHECK(r.code == 1);  // Werkzeug CVE-2019-14806 is high
    // Same tool twice is not a cross-scanner duplicate: both shards' findings are kept.
    CHECK(py("print(len(d['steps']), len(fs), d['steps'][0]['inputs'])", out) == "1 12 ['trivy.json']\n");
    CHECK(py("print(d['verdict'], d['reasons'])", out) == "fail ['trivy: 2 high findings at or above fail-on high']\n");
  }

  TEST_CASE("merge with waivers and ignore-unfixed over all shards") {
    test::TempDir tmp;
    auto out = tmp / "merged.json";
    auto r = test::cli({"merge", pair("trivy.result.json"), pair("grype.result.json"), "-o", out.string(), "--waivers",
                        test::data("policy/waivers/dockgate-waivers.yml").string(), "--fail-on", "high"},
                       {{"SOURCE_DATE_EPOCH", "1795000000"}});
    CHECK(r.code == 0);  // the only high (Werkzeug CVE-2019-14806) is waived for Werkzeug 0.11
    CHECK(py("print([f['waiver']['reason'] for f in fs if f.get('waiver')])", out) ==
          "['the debugger is never enabled in production']\n");
  }

  TEST_CASE("a missing or foreign result is named and nothing is written") {
    test::TempDir tmp;
    auto r = test::cli({"merge", pair("trivy.result.json"), pair("trivy.json"), "-o", (tmp / "m.json").string()});
    CHECK(r.code == 3);
    CHECK(r.err.find("trivy.json") != std::string::npos);
    CHECK_FALSE(test::fs::exists(tmp / "m.json"));
  }

  // merge reads its inputs as dockgate results without sniffing them first (bench/README.md):
  // what is not one must still be named as what it is, and a broken result by its position.
  TEST_CASE("a shard that is a scanner report is named as one") {
    auto r = test::cli({"merge", pair("trivy.json"), "--fail-on", "none"});
    CHECK(r.code == 3);
    CHECK(r.err.find("trivy.json") != std::string::npos);
    CHECK(r.err.find("--format dockgate was given, but the file looks like trivy-json-v2") != std::string::npos);
  }

  TEST_CASE("an object without the keys of a result is no result") {
    test::TempDir tmp;
    test::write(tmp / "almost.json", R"({"schema_version": "1", "steps": []})");
    auto r = test::cli({"merge", (tmp / "almost.json").string(), "--fail-on", "none"});
    CHECK(r.code == 3);
    CHECK(r.err.find("no report dockgate knows") != std::string::npos);
  }

  TEST_CASE("a result with a broken finding names the field and its line") {
    test::TempDir tmp;
    auto text = test::read(pair("trivy.result.json"));
    auto at = text.find("\"title\": \"openssl: information disclosure in fork()\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string_view("\"title\": \"openssl: information disclosure in fork()\"").size(), "\"title\": {}");
    test::write(tmp / "broken.json", text);
    auto r = test::cli({"merge", (tmp / "broken.json").string(), "--fail-on", "none"});
    CHECK(r.code == 3);
    CHECK(r.err.find("broken.json:40:") != std::string::npos);
    CHECK(r.err.find("\"title\" is an object, expected a string") != std::string::npos);
  }

  TEST_CASE("a shard in error makes the merge exit 4") {
    test::TempDir tmp;
    auto text = test::read(pair("grype.result.json"));
    auto at = text.find("\"status\": \"failed\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 18, "\"status\": \"error\"");
    test::write(tmp / "grype-error.json", text);
    auto r = test::cli({"merge", pair("trivy.result.json"), (tmp / "grype-error.json").string(), "--fail-on", "none"});
    CHECK(r.code == 4);
  }

  TEST_CASE("baseline with moved lines: unchanged stays unchanged and new-only gates on the new") {
    test::TempDir tmp;
    auto report = test::corpus("hadolint/dd-one_dockerfile.json").string();
    auto first = tmp / "first.json";
    REQUIRE(test::cli({"gate", report, "--json", first.string(), "--fail-on", "none"}).code == 0);
    // The baseline: lines moved by 7, fingerprints dropped (recomputed, so this proves they do
    // not depend on lines), DL3015 not there yet, and one finding that is gone today.
    auto edit = test::run_process(
        {"/usr/bin/python3", "-c",
         "import json,sys,copy\nd=json.load(open(sys.argv[1]))\nfs=d['steps'][0]['findings']\n"
         "gone=copy.deepcopy(fs[0]); gone['rule_id']='DL3020'; gone['title']='Use COPY instead of ADD'; gone['message']='Use COPY'\n"
         "fs[:]=[f for f in fs if f['rule_id']!='DL3015']+[gone]\n"
         "for f in fs:\n  f['location']['line']+=7\n  f.pop('fingerprint')\n"
         "json.dump(d,open(sys.argv[2],'w'))",
         first.string(), (tmp / "baseline.json").string()});
    REQUIRE_MESSAGE(edit.code == 0, edit.err);
    auto out = tmp / "now.json";
    auto r = test::cli({"gate", report, "--baseline", (tmp / "baseline.json").string(), "--json", out.string(),
                        "--fail-on", "medium", "--new-only"});
    CHECK(r.code == 0);  // the only new finding, DL3015, is hadolint "info" = low, under medium
    CHECK(py("print(sorted((f['rule_id'],f['baseline']) for f in fs), [f['rule_id'] for f in d['fixed']], d['summary']['new'])", out) ==
          "[('DL3008', 'unchanged'), ('DL3008', 'unchanged'), ('DL3013', 'unchanged'), ('DL3015', 'new')] ['DL3020'] 1\n");
    r = test::cli({"gate", report, "--baseline", (tmp / "baseline.json").string(), "--fail-on", "info", "--new-only"});
    CHECK(r.code == 1);
    r = test::cli({"gate", report, "--baseline", (tmp / "baseline.json").string(), "--fail-on", "low"});
    CHECK(r.code == 1);  // without new-only the unchanged ones count
  }
}
