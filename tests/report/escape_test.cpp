#include "src/report/escape.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("report.escape") {
  TEST_CASE("xml_clean drops what XML 1.0 forbids and keeps the rest") {
    CHECK(report::xml_clean("a\x01" "b\tc\nd\x1f" "e") == "ab\tc\nde");
    CHECK(report::xml_clean("x\xEF\xBF\xBEy\xEF\xBF\xBFz") == "xyz");  // U+FFFE U+FFFF
    CHECK(report::xml_clean("caf\xC3\xA9 \xF0\x9F\x90\xB3") == "caf\xC3\xA9 \xF0\x9F\x90\xB3");
    CHECK(report::xml_clean("bad\xFF").find('\xFF') == std::string::npos);
  }

  TEST_CASE("md_text escapes markup and breaks mentions and references") {
    CHECK(report::md_text("a | b") == "a \\| b");
    CHECK(report::md_text("<img src=x>") == "&lt;img src=x&gt;");
    CHECK(report::md_text("@everyone") == "@&#8203;everyone");
    CHECK(report::md_text("see #12 and !3") == "see #&#8203;12 and !&#8203;3");
    CHECK(report::md_text("user@example.com") == "user@&#8203;example.com");
    CHECK(report::md_text("[a](b)") == "\\[a\\](b)");
    CHECK(report::md_text("two\nlines\r\nhere") == "two lines here");
    CHECK(report::md_text("``` `") == "\\`\\`\\` \\`");
    CHECK(report::md_text("\x1b[31mred\x1b[0m") == "red");
  }

  TEST_CASE("one_line and log_text: plain ASCII takes the fast path with the same result as the careful one") {
    CHECK(report::one_line("plain title") == "plain title");
    CHECK(report::one_line(" leading and trailing ") == "leading and trailing");
    CHECK(report::one_line("two  spaces\tand a tab") == "two spaces and a tab");
    CHECK(report::one_line("line\nbreak\r\nand CRLF") == "line break and CRLF");
    CHECK(report::one_line("del\x7f and bell\x07") == "del and bell");
    CHECK(report::one_line("\x1b[1mbold\x1b[0m") == "bold");
    CHECK(report::one_line("caf\xC3\xA9  ok") == "caf\xC3\xA9 ok");
    CHECK(report::one_line("") == "");
    CHECK(report::one_line("   ") == "");
    CHECK(report::log_text("a\tb\r\nc") == "a\tb\nc");
    CHECK(report::log_text("x\x1b]0;title\x07y") == "xy");
  }

  // one_line tests 8 bytes at a time and md_text copies runs between markup: a byte that needs
  // work is found at every position of a long text, and on both sides of a word boundary.
  TEST_CASE("one_line and md_text find a special byte at every position of a long text") {
    const std::string base(40, 'a');
    for (std::size_t i = 0; i < base.size(); ++i) {
      CAPTURE(i);
      for (std::string_view bad : {"\x01", "\x1f", "\x7f", "\n", "\t"}) {
        std::string s = base;
        s.replace(i, 1, bad);
        std::string want = base;
        if (bad == "\n" || bad == "\t") want.replace(i, 1, i == 0 || i == base.size() - 1 ? "" : " ");
        else want.erase(i, 1);
        CHECK(report::one_line(s) == want);
      }
      std::string s = base;
      s.replace(i, 1, "\xC3\xA9");
      CHECK(report::one_line(s) == s);
      s = base;
      s.replace(i, 1, "  ");
      if (i > 0 && i < base.size() - 1) CHECK(report::one_line(s) == std::string(i, 'a') + " " + std::string(base.size() - i - 1, 'a'));
      s = base;
      s[i] = '|';
      CHECK(report::md_text(s, 100) == base.substr(0, i) + "\\|" + base.substr(i + 1));
      s[i] = '@';
      CHECK(report::md_text(s, 100) == base.substr(0, i) + (i + 1 < base.size() ? "@&#8203;" : "@") + base.substr(i + 1));
    }
    CHECK(report::md_text("plain words, no markup at all: 1.0 (x) {y} = z", 100) ==
          "plain words, no markup at all: 1.0 (x) {y} = z");
  }

  TEST_CASE("md_code_block fences longer than any backtick run") {
    CHECK(report::md_code_block("plain") == "```text\nplain\n```\n");
    CHECK(report::md_code_block("a ``` b\n`````") == "``````text\na ``` b\n`````\n``````\n");
  }

  TEST_CASE("workflow command escaping") {
    CHECK(report::gh_data("50% a\r\nb") == "50%25 a%0D%0Ab");
    CHECK(report::gh_property("a:b,c%d") == "a%3Ab%2Cc%25d");
    CHECK(report::gh_property("x\ny") == "x y");
  }

  TEST_CASE("safe_url accepts plain http links only") {
    CHECK(report::safe_url("https://avd.aquasec.com/nvd/cve-2023-0286"));
    CHECK_FALSE(report::safe_url("javascript:alert(1)"));
    CHECK_FALSE(report::safe_url("https://x/a b"));
    CHECK_FALSE(report::safe_url("https://x/a)[y](z"));
  }
}
