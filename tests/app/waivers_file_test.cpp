#include "src/app/waivers_file.hpp"

#include "tests/support.hpp"

using namespace dg;

namespace {

std::string waivers(const std::string& name) { return test::data("policy/waivers/" + name).string(); }

}  // namespace

TEST_SUITE("app.waivers_file") {
  TEST_CASE("dockgate waiver file: every key") {
    auto w = app::load_waivers(waivers("dockgate-waivers.yml"));
    REQUIRE_MESSAGE(w, w.error().to_string());
    REQUIRE(w->size() == 4);
    CHECK((*w)[0].rule == "DL3008");
    CHECK((*w)[0].path == "django-DefectDojo*");
    CHECK((*w)[0].owner == "platform-team");
    CHECK((*w)[0].expires == "2027-03-31");
    CHECK((*w)[0].source == waivers("dockgate-waivers.yml") + ":3");
    CHECK((*w)[1].id == "DL3013");
    CHECK((*w)[2].package == "Werkzeug");
    CHECK((*w)[2].version == "0.11");
    CHECK((*w)[2].expires.empty());
    CHECK((*w)[3].fingerprint == "0123456789abcdef0123456789abcdef");
  }

  TEST_CASE(".trivyignore: ids with exp: and comments as reasons") {
    auto w = app::load_waivers(waivers(".trivyignore"));
    REQUIRE_MESSAGE(w, w.error().to_string());
    // Independent count: non-empty, non-comment lines.
    auto py = test::run_process({"/usr/bin/python3", "-c",
                                 "import sys\nprint(sum(1 for l in open(sys.argv[1]) if l.strip() and not "
                                 "l.strip().startswith('#')))",
                                 waivers(".trivyignore")});
    CHECK(std::to_string(w->size()) + "\n" == py.out);
    CHECK((*w)[0].id == "CVE-2018-14618");
    CHECK((*w)[0].reason == "Accept the risk");
    CHECK((*w)[1].id == "CVE-2019-14697");
    CHECK((*w)[1].expires == "2023-01-01");
    CHECK((*w)[5].id == "aws-account-id");
    CHECK((*w)[5].reason == "ignored in .trivyignore");  // the comment belongs to the line above
  }

  // Found by clang-tidy (performance-inefficient-string-concatenation): each comment line copied
  // the whole reason gathered so far, so 160,000 comment lines (1.6 MB) took 151 s; this is 4 MB.
  TEST_CASE(".trivyignore: a long run of comment lines is read in linear time") {
    test::TempDir dir;
    std::string text;
    const int lines = 400'000;
    for (int i = 0; i < lines; ++i) text += "# abcdefgh\n";
    text += "CVE-2024-0001\n";
    test::write(dir.path / ".trivyignore", text);
    auto w = app::load_waivers(dir.path / ".trivyignore");
    REQUIRE_MESSAGE(w, w.error().to_string());
    REQUIRE(w->size() == 1);
    CHECK((*w)[0].id == "CVE-2024-0001");
    CHECK((*w)[0].reason.size() == std::size_t{lines} * 9 - 1);  // "abcdefgh" joined by spaces
    CHECK((*w)[0].reason.starts_with("abcdefgh abcdefgh"));
  }

  TEST_CASE(".trivyignore.yaml: every section with paths purls and expiry") {
    auto w = app::load_waivers(waivers(".trivyignore.yaml"));
    REQUIRE_MESSAGE(w, w.error().to_string());
    // Independent count: one rule per path and per purl, else one per entry.
    auto py = test::run_process({"/usr/bin/python3", "-c",
                                 "import sys,yaml\nd=yaml.safe_load(open(sys.argv[1]))\n"
                                 "print(sum(max(1,len(e.get('paths',[]))+len(e.get('purls',[]))) for s in d.values() for e in s))",
                                 waivers(".trivyignore.yaml")});
    CHECK(std::to_string(w->size()) + "\n" == py.out);
    CHECK((*w)[0].path == "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA");
    CHECK((*w)[0].reason == "Accept the risk");
    CHECK((*w)[2].expires == "2023-08-30");
    CHECK((*w)[3].purl == "pkg:deb/debian/libssl1.1");
    CHECK(w->back().id == "GPL-3.0");
  }

  TEST_CASE(".grype.yaml: ignore rules and nothing else") {
    auto w = app::load_waivers(waivers(".grype.yaml"));
    REQUIRE_MESSAGE(w, w.error().to_string());
    REQUIRE(w->size() == 4);
    CHECK((*w)[0].id == "CVE-2008-4318");
    CHECK((*w)[0].fix_state == "unknown");
    CHECK((*w)[0].package == "libcurl");
    CHECK((*w)[0].version == "1.5.1");
    CHECK((*w)[0].package_type == "npm");
    CHECK((*w)[0].path == "/usr/local/lib/node_modules/**");
    CHECK((*w)[2].package_type == "gem");
    CHECK((*w)[3].reason == "libcrypto is not used for TLS in this image");
  }

  TEST_CASE("bad waiver files are usage errors with file:line:col") {
    struct Row {
      const char* file;
      const char* where;
      const char* says;
    };
    const Row rows[] = {
        {"bad-no-reason.yml", ":2:5: ", "needs a reason"},
        {"bad-expires.yml", ":4:14: ", "must be a date YYYY-MM-DD"},
        {"bad-key.yml", ":4:5: ", "did you mean 'expires'?"},
        {"bad.trivyignore", ":1:15: ", "exp: must be a date"},
    };
    for (auto& row : rows) {
      CAPTURE(row.file);
      auto w = app::load_waivers(waivers(row.file));
      REQUIRE_FALSE(w);
      CHECK(w.error().kind == util::ErrorKind::Usage);
      auto text = w.error().to_string();
      CHECK_MESSAGE(text.find(std::string(row.file) + row.where) != std::string::npos, text);
      CHECK_MESSAGE(text.find(row.says) != std::string::npos, text);
    }
    test::TempDir tmp;
    auto missing = app::load_waivers(tmp / "nope.yml");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == util::ErrorKind::Usage);
  }

  TEST_CASE("waivers end to end: waived kept in the report and expired reported") {
    test::TempDir tmp;
    auto out = tmp / "result.json";
    // SOURCE_DATE_EPOCH 1795000000 = 2026-11-18: the DL3013 waiver (2026-11-01) has expired.
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--waivers",
                        waivers("dockgate-waivers.yml"), "--fail-on", "low", "--json", out.string()},
                       {{"SOURCE_DATE_EPOCH", "1795000000"}});
    // DL3013 counts again (its waiver expired): still a failure.
    CHECK(r.code == 1);
    auto py = test::run_process(
        {"/usr/bin/python3", "-c",
         "import json,sys\nd=json.load(open(sys.argv[1]))\nfs=[f for s in d['steps'] for f in s['findings']]\n"
         "print(len(fs), sum(1 for f in fs if f.get('waiver')), sorted((n['id'],n['state']) for n in d['waiver_notices']))",
         out.string()});
    CHECK(py.out == "4 2 [('0123456789abcdef0123456789abcdef', 'stale'), ('CVE-2019-14806', 'stale'), ('DL3013', 'expired')]\n");
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", out) == "");

    // On its last day the same waiver still applies.
    r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--waivers",
                   waivers("dockgate-waivers.yml"), "--fail-on", "medium", "--json", out.string()},
                  {{"SOURCE_DATE_EPOCH", "1793491200"}});  // 2026-11-01, the expiry day itself
    py = test::run_process({"/usr/bin/python3", "-c",
                            "import json,sys\nd=json.load(open(sys.argv[1]))\n"
                            "print(sum(1 for s in d['steps'] for f in s['findings'] if f.get('waiver')))",
                            out.string()});
    CHECK(py.out == "3\n");
    CHECK(r.code == 0);  // only DL3015 (hadolint info = low) is left, below fail-on medium

    // strict-waivers: the stale ones fail the gate even when nothing else would.
    r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--waivers",
                   waivers("dockgate-waivers.yml"), "--fail-on", "none", "--strict-waivers"});
    CHECK(r.code == 1);
    r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--waivers",
                   waivers("dockgate-waivers.yml"), "--fail-on", "none"});
    CHECK(r.code == 0);
  }
}
