#include "src/report/xml_out.hpp"

#include <doctest/doctest.h>

#include <pugixml.hpp>
#include <sstream>

#include "src/report/escape.hpp"

using namespace dg;

namespace {
// What pugixml's save() wrote for the same value, cleaned by xml_clean first (the JUnit writer
// before it appended text): `<e a="ATTR">TEXT</e>`.
std::string pugixml_element(std::string_view s) {
  pugi::xml_document doc;
  auto e = doc.append_child("e");
  auto clean = report::xml_clean(s);
  e.append_attribute("a").set_value(clean.c_str());
  e.append_child(pugi::node_pcdata).set_value(clean.c_str());
  std::ostringstream os;
  doc.save(os, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return os.str();
}
std::string our_element(std::string_view s) {
  std::string out = "<e a=\"";
  report::append_xml_attr(out, s);
  out += "\">";
  report::append_xml_text(out, s);
  return out + "</e>";
}
}  // namespace

TEST_SUITE("report.xml_out") {
  TEST_CASE("attribute and text are escaped exactly as pugixml wrote them after xml_clean") {
    std::string every_ascii;
    for (int c = 1; c < 0x80; ++c) every_ascii += static_cast<char>(c);
    for (std::string_view s :
         {std::string_view(""), std::string_view("plain ascii, long enough for whole words"),
          std::string_view(every_ascii), std::string_view("a&b<c>d\"e'f ]]> &amp; <![CDATA[x]]>"),
          std::string_view("tab\there\nline\r\nend"), std::string_view("nul\0in", 6),
          std::string_view("\x1b[31mred\x1b[0m \x7f"),
          std::string_view("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3 \xEF\xBF\xBD"),
          std::string_view("x\xEF\xBF\xBEy\xEF\xBF\xBFz"),  // U+FFFE U+FFFF: dropped
          std::string_view("bad \xFF \xC3 \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \xE2\x82"),
          std::string_view("12345678&12345678<12345678\xC3\xA9" "1234567")}) {
      INFO(s);
      CHECK(our_element(s) == pugixml_element(s));
    }
  }

  TEST_CASE("the output parses and reads back as the cleaned value") {
    std::string s = "a\x01 b\tc\nd \"q\" <t> & \xEF\xBF\xBE \xFF";
    pugi::xml_document doc;
    REQUIRE(doc.load_string(our_element(s).c_str()));
    auto clean = report::xml_clean(s);
    CHECK(std::string(doc.child("e").attribute("a").value()) == clean);
    CHECK(std::string(doc.child("e").text().get()) == clean);
  }
}
