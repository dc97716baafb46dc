#include "adapters/ingest/json_pieces.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;
namespace od = ingest::json::od;

namespace {

// How grype's and trivy's readers cut their reports, for largest_piece (which parses nothing).
struct Splits : ingest::json::ObjectReader {
  std::vector<std::string> keys;
  Splits* inner = nullptr;
  std::string inner_key;
  Splits* sub = nullptr;  // an object member read member by member
  std::string sub_key;
  std::vector<std::string> forking;  // the split members the real reader forks (sharing_for)
  bool split(std::string_view k) const override { return std::find(keys.begin(), keys.end(), k) != keys.end(); }
  bool forks(std::string_view k) const override { return std::find(forking.begin(), forking.end(), k) != forking.end(); }
  ObjectReader* nested(std::string_view k) override { return k == inner_key ? inner : nullptr; }
  ObjectReader* object(std::string_view k) override { return k == sub_key ? sub : nullptr; }
  void member(std::string_view, od::value) override {}
};

std::optional<std::size_t> grype_piece(std::string_view text) {
  Splits root;
  root.keys = root.forking = {"matches"};
  return ingest::json::largest_piece(text, root);
}

std::optional<std::size_t> trivy_piece(std::string_view text) {
  Splits result, root;
  result.keys = {"Vulnerabilities", "Misconfigurations", "Secrets", "Licenses"};
  root.keys = {"Results", "Resources", "Vulnerabilities", "Misconfigurations"};
  root.inner = &result;
  root.inner_key = "Results";
  return ingest::json::largest_piece(text, root);
}

// How the SARIF reader cuts a log: runs, each run's results (shared among threads) and its
// tool's rules.
struct SarifSplits {
  Splits component, tool, run, root;
  SarifSplits() {
    component.keys = {"rules"};
    tool.keys = {"extensions"};
    tool.inner = &component;
    tool.inner_key = "extensions";
    tool.sub = &component;
    tool.sub_key = "driver";
    run.keys = run.forking = {"results"};
    run.sub = &tool;
    run.sub_key = "tool";
    root.keys = {"runs"};
    root.inner = &run;
    root.inner_key = "runs";
  }
  SarifSplits(const SarifSplits&) = delete;
  SarifSplits& operator=(const SarifSplits&) = delete;
};

std::optional<std::size_t> sarif_piece(std::string_view text) {
  SarifSplits s;
  return ingest::json::largest_piece(text, s.root);
}

// dockgate's own SARIF of a trivy report: a rule per finding, both arrays long.
std::string trivy_sarif() {
  test::TempDir dir;
  auto r = test::cli({"gate", test::corpus("trivy/dd-issue_9333.json").string(), "--fail-on", "none", "-q",
                      "--sarif", (dir / "t.sarif").string()});
  REQUIRE(r.code == 0);
  return test::read(dir / "t.sarif");
}

// The same report, read whole: an escaped key is what makes parse_json_pieces leave the cutting
// to simdjson. Inserted on the first line, it moves no line number.
std::string read_whole_variant(const std::string& report) {
  std::size_t brace = report.find('{');
  return report.substr(0, brace + 1) + "\"dockgate\\u0054est\": 1, " + report.substr(brace + 1);
}

std::vector<std::string> facts(const ingest::ParsedReport& r) {
  std::vector<std::string> out{r.format};
  for (auto& w : r.warnings) out.push_back(w);
  for (auto& s : r.steps) {
    out.push_back(s.tool + " " + s.tool_version);
    for (auto& f : s.findings)
      out.push_back(f.fingerprint + " " + f.rule_id + " " + f.package.name + "@" + f.package.version + " " +
                    std::string(model::to_string(f.severity)) + " " + f.location.target + " " + f.location.layer +
                    " " + f.location.path + ":" + std::to_string(f.location.line) + " " + f.package.path + " " +
                    f.package.type + " " + f.package.fixed_version + " " + f.help_uri + " " + f.title + " " + f.message);
  }
  return out;
}

int line_of(const std::string& text, std::size_t at) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace

TEST_SUITE("ingest.json_pieces") {
  TEST_CASE("every corpus grype and trivy JSON report is read in pieces and gives what the whole parse gives") {
    int grype = 0, trivy = 0;
    for (const char* family : {"grype", "trivy"}) {
      for (auto& e : test::fs::directory_iterator(test::corpus(family))) {
        if (e.path().extension() != ".json") continue;
        auto in = ingest::load_input(e.path());
        REQUIRE(in);
        auto format = ingest::sniff(*in);
        if (!format || format->family != family || format->variant == "trivy-json-v1") continue;
        std::string text = test::read(e.path());
        CAPTURE(e.path().filename().string());
        auto piece = std::string_view(family) == "grype" ? grype_piece(text) : trivy_piece(text);
        REQUIRE(piece);
        std::string whole = read_whole_variant(text);
        REQUIRE_FALSE(grype_piece(whole));
        REQUIRE_FALSE(trivy_piece(whole));
        auto a = format->parse(ingest::make_input("a.json", text));
        auto b = format->parse(ingest::make_input("a.json", whole));
        REQUIRE_MESSAGE(a, (a ? "" : a.error().to_string()));
        REQUIRE_MESSAGE(b, (b ? "" : b.error().to_string()));
        CHECK(facts(*a) == facts(*b));
        ++(std::string_view(family) == "grype" ? grype : trivy);
      }
    }
    CHECK(grype >= 10);
    CHECK(trivy >= 15);
  }

  TEST_CASE("every corpus SARIF log is read in pieces and gives what the whole parse gives") {
    int logs = 0;
    for (auto& e : test::fs::recursive_directory_iterator(test::corpus())) {
      if (e.path().extension() != ".sarif") continue;
      std::string text = test::read(e.path());
      CAPTURE(e.path().string());
      if (!sarif_piece(text)) {
        // Read whole (a key written with an escape, …): still read, just not in pieces.
        CHECK(ingest::parse_sarif(ingest::make_input("a.sarif", text)));
        continue;
      }
      std::string whole = read_whole_variant(text);
      REQUIRE_FALSE(sarif_piece(whole));
      auto a = ingest::parse_sarif(ingest::make_input("a.sarif", text));
      auto b = ingest::parse_sarif(ingest::make_input("a.sarif", whole));
      REQUIRE(a.has_value() == b.has_value());
      if (!a) {
        CHECK(a.error().to_string() == b.error().to_string());
        continue;
      }
      CHECK(facts(*a) == facts(*b));
      ++logs;
    }
    CHECK(logs >= 15);
  }

  TEST_CASE("a SARIF log's largest piece is one result or one rule") {
    std::string text = trivy_sarif();
    auto piece = sarif_piece(text);
    REQUIRE(piece);
    CHECK(*piece < text.size() / 10);
  }

  TEST_CASE("the largest piece of a big report is one finding and not the report") {
    std::string g = test::read(test::corpus("grype/dd-many_vulns3.json"));
    auto gp = grype_piece(g);
    REQUIRE(gp);
    CHECK(*gp < 40000);  // 821 KB of report; simdjson indexes a few dozen KB at a time
    std::string t = test::read(test::corpus("trivy/dd-issue_9333.json"));
    auto tp = trivy_piece(t);
    REQUIRE(tp);
    CHECK(*tp < t.size() / 4);  // a 44 KB report, cut into pieces of 10 KB at most
  }

  TEST_CASE("an error in a late grype match names the same line in pieces and whole") {
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    // The 40th match loses its vulnerability id; whole or in pieces, the error is at that match.
    std::size_t at = 0;
    for (int n = 0; n < 40; ++n) at = text.find("\"vulnerability\": {", at + 1);
    REQUIRE(at != std::string::npos);
    std::string broken = text;
    broken.replace(at, 15, "\"vulnerabilityX\"");
    auto a = ingest::parse_grype_json(ingest::make_input("b.json", broken));
    auto b = ingest::parse_grype_json(ingest::make_input("b.json", read_whole_variant(broken)));
    REQUIRE_FALSE(a);
    REQUIRE_FALSE(b);
    CHECK(a.error().message.find("no vulnerability id") != std::string::npos);
    CHECK(a.error().line < line_of(text, at));        // the match starts before its id
    CHECK(a.error().line > line_of(text, at) - 200);  // and not far before it
    CHECK(a.error().line == b.error().line);
    CHECK(a.error().column == b.error().column);
  }

  TEST_CASE("a scalar read on its own still names its place in the file") {
    // "Trivy": 5 is a shape error on a scalar member: parsed from a copy, reported in the file.
    std::string text = test::read(test::corpus("trivy/dd-issue_9333.json"));
    std::size_t at = text.find("\"ArtifactType\"");
    REQUIRE(at != std::string::npos);
    text.insert(at, "\"Trivy\": 5,\n  ");
    REQUIRE(trivy_piece(text));
    auto a = ingest::parse_trivy_json(ingest::make_input("s.json", text));
    auto b = ingest::parse_trivy_json(ingest::make_input("s.json", read_whole_variant(text)));
    REQUIRE_FALSE(a);
    REQUIRE_FALSE(b);
    CHECK(a.error().message.find("\"Trivy\" is a number, expected an object") != std::string::npos);
    CHECK(a.error().line == line_of(text, at));
    CHECK(a.error().column == static_cast<int>(at - (text.rfind('\n', at) + 1)) + 10);  // the 5
    CHECK(a.error().line == b.error().line);
  }

  TEST_CASE("invalid UTF-8 in a late finding or in a scalar is repaired once with a warning at its line") {
    std::string g = test::read(test::corpus("grype/dd-many_vulns3.json"));
    std::size_t at = g.rfind("\"description\": \"");
    REQUIRE(at != std::string::npos);
    g[at + 17] = '\xff';
    std::string t = test::read(test::corpus("trivy/dd-issue_9333.json"));
    std::size_t tat = t.find("\"Target\": \"");
    REQUIRE(tat != std::string::npos);
    t[tat + 12] = '\xfe';
    struct Case {
      std::string text;
      std::size_t at;
      ingest::ParseFn parse;
      bool target;  // the repaired byte is in the target (else in a message)
    };
    for (const auto& c : {Case{g, at, ingest::parse_grype_json, false}, Case{t, tat, ingest::parse_trivy_json, true}}) {
      for (const auto& variant : {c.text, read_whole_variant(c.text)}) {
        auto r = c.parse(ingest::make_input("u.json", variant));
        REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
        REQUIRE(r->warnings.size() == 1);
        CHECK(r->warnings[0].find("u.json:" + std::to_string(line_of(c.text, c.at)) + ":") == 0);
        CHECK(r->warnings[0].find("invalid UTF-8") != std::string::npos);
        bool repaired = false;
        for (auto& f : r->steps[0].findings)
          repaired |= (c.target ? f.location.target : f.message).find('?') != std::string::npos;
        CHECK(repaired);
      }
    }
  }

  TEST_CASE("what cannot be cut is read whole and its errors are the whole parse's") {
    // Truncated between two matches, a second document after the root, an escaped key, a match
    // that is a string: each is read whole.
    const char* cases[] = {
        "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\"}}, {\"vulnerability\": ",
        "{\"matches\": []} {\"matches\": []}",
        "{\"m\\u0061tches\": [{\"vulnerability\": {\"id\": \"CVE-1\"}}]}",
        "{\"matches\": {\"vulnerability\": {\"id\": \"CVE-1\"}}}",
        "{\"matches\": [\"CVE-1\"]}",
    };
    for (const char* c : cases) {
      CAPTURE(c);
      // An object where the matches should be is a piece like any other, given to the reader
      // as it is: its shape error is the reader's own, the same as read whole.
      CHECK(grype_piece(c).has_value() == (c == cases[3]));
    }
    auto truncated = ingest::parse_grype_json(ingest::make_input("t.json", cases[0]));
    REQUIRE_FALSE(truncated);
    CHECK_MESSAGE(truncated.error().message.find("malformed JSON") != std::string::npos, truncated.error().message);
    auto second = ingest::parse_grype_json(ingest::make_input("s.json", cases[1]));
    REQUIRE_FALSE(second);
    CHECK(second.error().message.find("trailing content") != std::string::npos);
    auto escaped = ingest::parse_grype_json(ingest::make_input("e.json", cases[2]));
    REQUIRE_MESSAGE(escaped, (escaped ? "" : escaped.error().to_string()));
    REQUIRE(escaped->steps[0].findings.size() == 1);
    CHECK(escaped->steps[0].findings[0].rule_id == "CVE-1");
    auto object = ingest::parse_grype_json(ingest::make_input("o.json", cases[3]));
    REQUIRE_FALSE(object);
    CHECK(object.error().message.find("\"matches\" is an object, expected an array") != std::string::npos);
    auto scalar = ingest::parse_grype_json(ingest::make_input("c.json", cases[4]));
    REQUIRE_FALSE(scalar);
    CHECK(scalar.error().message.find("expected an object") != std::string::npos);
    // A Result that is not an object: trivy's own shape error.
    std::string results = "{\"SchemaVersion\": 2, \"Results\": [\"x\"]}";
    CHECK_FALSE(trivy_piece(results));
    auto r = ingest::parse_trivy_json(ingest::make_input("r.json", results));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("\"Results[]\" is a string, expected an object") != std::string::npos);
  }

  TEST_CASE("a malformed finding is an error at that finding and not a skipped one") {
    std::string g = "{\"matches\": [\n{\"vulnerability\": {\"id\": \"CVE-1\"}},\n{\"vulnerability\": {\"id\": \"CVE-2\" \"severity\": \"High\"}}\n]}";
    REQUIRE(grype_piece(g));
    auto r = ingest::parse_grype_json(ingest::make_input("m.json", g));
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "m.json");
    CHECK(r.error().line == 3);
    std::string t = "{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"a\", \"Vulnerabilities\": [\n"
                    "{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"p\"},\n"
                    "{\"VulnerabilityID\": \"CVE-2\" \"PkgName\": \"q\"}]}]}";
    REQUIRE(trivy_piece(t));
    auto tr = ingest::parse_trivy_json(ingest::make_input("t.json", t));
    REQUIRE_FALSE(tr);
    CHECK(tr.error().line == 3);
  }

  TEST_CASE("null arrays and empty objects are read in pieces too") {
    std::string t = "{\"SchemaVersion\": 2, \"ArtifactType\": \"container_image\", \"Results\": [{\"Target\": \"a\", "
                    "\"Vulnerabilities\": null, \"Secrets\": []}, {}], \"Trivy\": {\"Version\": \"0.50.0\"}}";
    REQUIRE(trivy_piece(t));
    auto r = ingest::parse_trivy_json(ingest::make_input("n.json", t));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "trivy-json-v2");
    CHECK(r->steps[0].tool_version == "0.50.0");
    CHECK(r->steps[0].findings.empty());
  }
}

namespace {

// Threads for the reports read in a test, back to the default after it.
struct Threads {
  Threads(unsigned n, std::size_t min_bytes) { ingest::json::set_parallelism({n, min_bytes}); }
  ~Threads() { ingest::json::set_parallelism({}); }
  Threads(const Threads&) = delete;
  Threads& operator=(const Threads&) = delete;
};

std::vector<std::string> read_with(unsigned threads, ingest::ParseFn parse, const std::string& text) {
  Threads t(threads, 1);
  auto r = parse(ingest::make_input("p.json", text));
  if (!r) return {"error: " + r.error().to_string()};
  return facts(*r);
}

// A Result of `n` vulnerabilities found in a lock file, each with an id of its own.
std::string lock_result(const std::string& target, int n) {
  std::string s = "{\"Target\": \"" + target + "\", \"Class\": \"lang-pkgs\", \"Type\": \"npm\", \"Vulnerabilities\": [";
  for (int i = 0; i < n; ++i)
    s += std::string(i ? ",\n" : "\n") + "{\"VulnerabilityID\": \"CVE-2024-" + std::to_string(1000 + i) +
         "\", \"PkgName\": \"p" + std::to_string(i) + "\", \"InstalledVersion\": \"1.0\", \"Severity\": \"HIGH\"}";
  return s + "]}";
}

}  // namespace

TEST_SUITE("ingest.json_pieces") {
  TEST_CASE("every corpus grype trivy and SARIF report read by 2 to 4 threads gives what one thread gives") {
    int shared = 0;
    for (auto& e : test::fs::recursive_directory_iterator(test::corpus())) {
      auto ext = e.path().extension();
      if (ext != ".json" && ext != ".sarif") continue;
      auto in = ingest::load_input(e.path());
      if (!in) continue;
      auto format = ingest::sniff(*in);
      if (!format || (format->family != "grype" && format->family != "trivy" && format->family != "sarif")) continue;
      std::string text = test::read(e.path());
      CAPTURE(e.path().filename().string());
      auto one = read_with(1, format->parse, text);
      for (unsigned n : {2u, 3u, 4u}) CHECK(read_with(n, format->parse, text) == one);
      Threads t(4, 1);
      Splits probe_root;
      shared += format->family == "grype" && [&] {
        probe_root.keys = probe_root.forking = {"matches"};
        return ingest::json::sharing_for(text, probe_root).threads > 1;
      }();
    }
    CHECK(shared >= 5);  // the grype reports with two matches or more were shared out
  }

  TEST_CASE("the array shared out is the one whose bytes are not all in one element") {
    // One Result holding nearly everything: its Vulnerabilities are shared, not the two Results.
    std::string one_big = "{\"SchemaVersion\": 2, \"ArtifactType\": \"filesystem\", \"Results\": [" +
                          lock_result("big/package-lock.json", 400) + ", " + lock_result("small/yarn.lock", 2) + "]}";
    // Many small Results: the Results themselves are shared.
    std::string many = "{\"SchemaVersion\": 2, \"ArtifactType\": \"filesystem\", \"Results\": [";
    for (int r = 0; r < 60; ++r) many += (r ? ", " : "") + lock_result("app" + std::to_string(r) + "/package-lock.json", 7);
    many += "]}";
    for (const auto& text : {one_big, many}) {
      Threads t(3, 1000);
      Splits result, root;
      result.keys = result.forking = {"Vulnerabilities"};
      root.keys = root.forking = {"Results"};
      root.inner = &result;
      root.inner_key = "Results";
      CHECK(ingest::json::sharing_for(text, root).threads == 3);
      auto shared = ingest::parse_trivy_json(ingest::make_input("s.json", text));
      REQUIRE_MESSAGE(shared, (shared ? "" : shared.error().to_string()));
      auto one = read_with(1, ingest::parse_trivy_json, text);
      CHECK(facts(*shared) == one);
      // Lock-file findings name their file: the indexes a later run kept were moved with it.
      for (auto& f : shared->steps[0].findings) CHECK(f.location.path == f.location.target);
      CHECK(shared->steps[0].findings.size() == (text == many ? 420u : 402u));
    }
  }

  TEST_CASE("an error in a run another thread reads is the error one thread reports") {
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    std::size_t late = 0, early = 0;
    for (int n = 0; n < 150; ++n) {
      late = text.find("\"vulnerability\": {", late + 1);
      if (n == 2) early = late;
    }
    REQUIRE(late != std::string::npos);
    std::string broken = text;
    broken.replace(late, 15, "\"vulnerabilityX\"");
    std::string twice = broken;
    twice.replace(early, 15, "\"vulnerabilityY\"");
    for (const auto& b : {broken, twice}) {
      auto one = read_with(1, ingest::parse_grype_json, b);
      REQUIRE(one.size() == 1);
      CHECK(one[0].find("no vulnerability id") != std::string::npos);
      for (unsigned n : {2u, 4u}) CHECK(read_with(n, ingest::parse_grype_json, b) == one);
    }
    // Malformed JSON in a late match: simdjson's error, at the same place.
    std::string malformed = text;
    malformed.replace(late, 1, "}");
    auto one = read_with(1, ingest::parse_grype_json, malformed);
    REQUIRE(one.size() == 1);
    CHECK(read_with(4, ingest::parse_grype_json, malformed) == one);
  }

  TEST_CASE("a report with invalid UTF-8 is read by one thread and repaired once") {
    std::string g = test::read(test::corpus("grype/dd-many_vulns3.json"));
    g[g.rfind("\"description\": \"") + 17] = '\xff';
    Threads t(4, 1);
    Splits root;
    root.keys = root.forking = {"matches"};
    CHECK(ingest::json::sharing_for(g, root).threads == 1);
    auto r = ingest::parse_grype_json(ingest::make_input("u.json", g));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->warnings.size() == 1);
  }

  TEST_CASE("a mapped report read by two threads gives its text back and what one thread gives") {
    // 10 MB of grype matches in a file: mapped, shared by two threads, each giving back what it read.
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    std::size_t open = text.find('[', text.find("\"matches\"")) + 1;
    std::size_t close = text.find("\n ],\n \"source\"", open);
    REQUIRE(close != std::string::npos);
    std::string matches = text.substr(open, close - open);
    std::string big = text.substr(0, open);
    for (int k = 0; k < 12; ++k) big += (k ? "," : "") + matches;
    big += text.substr(close);
    test::TempDir dir;
    test::write(dir / "big.json", big);
    auto read = [&](unsigned threads, bool copy) {
      Threads t(threads, std::size_t{1} << 20);
      ingest::set_copy_big_files(copy);  // mapped, a page toucher beside the check; or read whole
      auto in = ingest::load_input(dir / "big.json");
      ingest::set_copy_big_files(true);
      REQUIRE(in);
      CHECK(in->mapped());
      auto r = ingest::parse_grype_json(*in);
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      return facts(*r);
    };
    auto one = read(1, false);
    CHECK(one.size() > 12 * 100);
    CHECK(read(2, false) == one);
    CHECK(read(2, true) == one);
  }

  TEST_CASE("a larger array whose reader does not fork leaves the one that does to be shared") {
    // As many rules (in the tool, read by one thread) as results, and the rules are larger.
    std::string text = trivy_sarif();
    Threads t(2, 1);
    SarifSplits sarif;
    auto results = text.find('[', text.find("\"results\""));
    auto rules = text.find('[', text.find("\"rules\""));
    REQUIRE(results != std::string::npos);
    REQUIRE(rules != std::string::npos);
    auto sharing = ingest::json::sharing_for(text, sarif.root);
    CHECK(sharing.threads == 2);
    CHECK(sharing.array == results);
    sarif.component.forking = {"rules"};  // were the rules shared out, they would be: they are larger
    CHECK(ingest::json::sharing_for(text, sarif.root).array == rules);
    auto one = read_with(1, ingest::parse_sarif, text);
    CHECK(read_with(2, ingest::parse_sarif, text) == one);
  }
}

TEST_SUITE("ingest.json_pieces") {
  TEST_CASE("a crafted report of tiny elements keeps little beside its text when it is shared") {
    // 10 MB of `{}` matches: the check keeps where a value closes only for larger values, and an
    // element start now and then, not 8 and 16 bytes for every 3 of text.
    std::string text = "{\"matches\": [{}";
    while (text.size() < (std::size_t{10} << 20)) text += ",{}";
    text += "]}";
    Threads t(2, std::size_t{1} << 20);
    Splits root;
    root.keys = root.forking = {"matches"};
    auto sharing = ingest::json::sharing_for(text, root);
    CHECK(sharing.threads == 2);
    CHECK_MESSAGE(sharing.kept < text.size() / 64, sharing.kept);
    // Findings of a couple of hundred bytes (their closes not kept, found again as they are read)
    // and larger ones (kept) read alike by one thread and by two.
    std::string g = "{\"matches\": [";
    for (int i = 0; i < 3000; ++i) {
      std::string pad(i % 2 ? 40 : 400, 'x');
      g += std::string(i ? "," : "") + "{\"vulnerability\": {\"id\": \"CVE-2024-" + std::to_string(i) +
           "\", \"description\": \"" + pad + "\"}, \"artifact\": {\"name\": \"p\", \"version\": \"1\"}}";
    }
    g += "]}";
    auto one = read_with(1, ingest::parse_grype_json, g);
    CHECK(one.size() == 3002);  // the format, the tool, a line per finding
    CHECK(read_with(2, ingest::parse_grype_json, g) == one);
  }
}
