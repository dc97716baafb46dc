// Big reports are mapped and their pages given back while the parser moves on: the findings must
// be exactly those of the same bytes read into memory, and errors must still name the right line.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/ingest/input.hpp"
#include "adapters/ingest/sniff.hpp"
#include "src/util/text.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

// A trivy report of copies of a corpus report's results, over 24 MB: past the mapping threshold
// and several release steps.
std::string big_trivy() {
  auto base = nlohmann::json::parse(test::read(test::corpus("trivy/dd-issue_9333.json")));
  auto results = base["Results"];
  auto one = results.dump(1).size();
  base["Results"] = nlohmann::json::array();
  for (std::size_t i = 0; i * one < (25u << 20); ++i)
    for (auto r : results) {
      r["Target"] = r["Target"].get<std::string>() + " #" + std::to_string(i);
      base["Results"].push_back(r);
    }
  return base.dump(1);
}

std::vector<std::string> summary(const ingest::ParsedReport& r) {
  std::vector<std::string> out;
  for (auto& s : r.steps)
    for (auto& f : s.findings)
      out.push_back(f.rule_id + "|" + f.package.name + "|" + f.location.target + "|" + f.title + "|" + f.fingerprint);
  return out;
}

// Resident kilobytes of every mapping of this process that overlaps [p, p + len).
long resident_kb(const void* p, std::size_t len) {
  std::ifstream smaps("/proc/self/smaps");
  auto from = reinterpret_cast<std::uintptr_t>(p), to = from + len;
  bool inside = false;
  long kb = 0;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') inside = lo < to && from < hi;
    else if (inside && line.starts_with("Rss:")) kb += std::stol(line.substr(4));
  }
  return kb;
}

// Resident kilobytes of this process's mapping that holds `p`.
long resident_kb(const void* p) { return resident_kb(p, 1); }

// `text` written to a file and loaded as a big report is: mapped or read into huge pages.
ingest::Input load_big(const test::TempDir& tmp, const std::string& text) {
  test::write(tmp / "big.json", text);
  auto in = ingest::load_input(tmp / "big.json");
  REQUIRE(in);
  REQUIRE(in->mapped());
  return std::move(*in);
}

// Both ways a big file is loaded, one per subcase: mapped, and read into huge pages (where the
// kernel gives them; mapped otherwise). The default comes back at the end of the test.
struct BothWays {
  bool copy = true;
  BothWays() {
    DOCTEST_SUBCASE("mapped") { copy = false; }
    DOCTEST_SUBCASE("read into huge pages") { copy = true; }
    ingest::set_copy_big_files(copy);
  }
  ~BothWays() { ingest::set_copy_big_files(true); }
};

bool huge_pages_on_request() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(f, line) && line.find("[never]") == std::string::npos;
}

}  // namespace

TEST_SUITE("ingest.input") {
  TEST_CASE("a big report mapped or read into huge pages parses to the same findings as the same bytes in memory") {
    BothWays ways;
    test::TempDir tmp;
    std::string text = big_trivy();
    REQUIRE(text.size() > (24u << 20));
    test::write(tmp / "big.json", text);

    auto in = ingest::load_input(tmp / "big.json");
    REQUIRE(in);
    CHECK(in->mapped());
    CHECK(in->copied() == (ways.copy && huge_pages_on_request()));
    CHECK(in->text().size() == text.size());
    auto mapped = ingest::parse_input(*in);
    REQUIRE_MESSAGE(mapped, (mapped ? "" : mapped.error().to_string()));

    auto copy = ingest::make_input("big.json", text);
    CHECK_FALSE(copy.mapped());
    auto read = ingest::parse_input(copy);
    REQUIRE(read);
    CHECK(summary(*mapped).size() > 1000);
    CHECK(summary(*mapped) == summary(*read));
    // Pages given back come back from the file: the text is still whole.
    CHECK(in->text() == text);
  }

  TEST_CASE("an error late in a big mapped report names its line after earlier pages were given back") {
    BothWays ways;
    test::TempDir tmp;
    std::string text = big_trivy();
    // Break the last vulnerability's id into a number: a shape error near the end of the file.
    auto at = text.rfind("\"VulnerabilityID\": \"");
    REQUIRE(at != std::string::npos);
    auto end = text.find('"', at + 20);
    text.replace(at, end + 1 - at, "\"VulnerabilityID\": {\"x\": 1}");
    auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    test::write(tmp / "bad.json", text);
    auto mapped = ingest::load_input(tmp / "bad.json");
    REQUIRE(mapped);
    CHECK(mapped->mapped());
    auto r = ingest::parse_report(tmp / "bad.json");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().line == line);
  }

  TEST_CASE("a mapped report scanned once gives back its pages until the parser reads them again") {
    BothWays ways;
    test::TempDir tmp;
    std::string text = big_trivy();
    auto in = load_big(tmp, text);
    // Mapped in one go: the whole file is resident in this process.
    CHECK(resident_kb(in.text().data()) > static_cast<long>(text.size() / 1024 / 2));
    // After the first stage over all of it (simdjson's structural index is now as big as the
    // file's structure), the text need not stay resident beside the index.
    in.release_scanned();
    CHECK(resident_kb(in.text().data()) < 1024);
    CHECK(in.text() == text);  // read again, the pages come back from the file
  }

  TEST_CASE("a big report read into huge pages gives back whole ones that come back from the file") {
    // Where the kernel gives huge pages on request, a big file is read into them (on a virtual
    // machine a mapped file costs a host fault per small page); pages given back are mapped from
    // the file again, so the text stays whole for an error message that counts lines.
    test::TempDir tmp;
    std::string text = big_trivy();
    auto in = load_big(tmp, text);
    CHECK(in.copied() == huge_pages_on_request());
    if (!in.copied()) return;
    const char* p = in.text().data();
    CHECK(resident_kb(p, text.size()) >= static_cast<long>(text.size() / 1024));
    std::size_t half = text.size() / 2;
    std::size_t upto = in.release_between(0, half);
    CHECK(upto > half - (4u << 20));
    CHECK(upto <= half);
    CHECK((reinterpret_cast<std::uintptr_t>(p) + upto) % (2u << 20) == 0);  // whole huge pages only
    // Below the bytes still held: about half the text, and no more than a huge page each side.
    CHECK(resident_kb(p, text.size()) < static_cast<long>((text.size() - upto) / 1024 + 4096));
    CHECK(in.release_between(upto, upto + 4096) == upto);  // less than a huge page: nothing
    CHECK(in.text() == text);  // read again, given-back pages come from the file
    auto parsed = ingest::parse_input(in);
    REQUIRE(parsed);
    auto copy = ingest::make_input("big.json", text);
    auto read = ingest::parse_input(copy);
    REQUIRE(read);
    CHECK(summary(*parsed) == summary(*read));
  }

  TEST_CASE("invalid UTF-8 past the sniffed MiB is repaired once with one warning") {
    BothWays ways;
    // The sniffer checks the first MiB of a JSON report; simdjson's first stage finds the rest.
    test::TempDir tmp;
    for (std::size_t from_end : {std::size_t{200}, std::size_t{1} << 20}) {
      CAPTURE(from_end);
      std::string text = big_trivy();
      auto at = text.rfind("\"Title\": \"", text.size() - from_end) + 10;
      REQUIRE(at > (2u << 20));
      text[at] = '\xff';
      test::write(tmp / "late-bad-utf8.json", text);
      auto r = ingest::parse_report(tmp / "late-bad-utf8.json");
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      auto lc = util::line_col(text, at);
      int warned = 0;
      for (auto& w : r->warnings)
        if (w.find("invalid UTF-8") != std::string::npos) {
          ++warned;
          CHECK_MESSAGE(w.find(":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ":") !=
                            std::string::npos, w);
          CHECK(w.find("(1 bytes)") != std::string::npos);
        }
      CHECK(warned == 1);
      CHECK(r->warnings.at(0).find("invalid UTF-8") != std::string::npos);
      bool repaired = false;
      for (auto& f : r->steps.at(0).findings) repaired = repaired || f.title.starts_with("?");
      CHECK(repaired);
    }
  }

  TEST_CASE("a repaired mapping keeps its pages and its repairs") {
    BothWays ways;
    test::TempDir tmp;
    std::string text = big_trivy();
    auto at = text.find("\"Title\": \"") + 10;
    text[at] = '\xff';  // invalid UTF-8 early in the file
    test::write(tmp / "bad-utf8.json", text);
    auto r = ingest::parse_report(tmp / "bad-utf8.json");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(!r->warnings.empty());
    CHECK(r->warnings[0].find("invalid UTF-8") != std::string::npos);
    bool repaired = false;
    for (auto& f : r->steps.at(0).findings) repaired = repaired || f.title.starts_with("?");
    CHECK(repaired);
  }
}
