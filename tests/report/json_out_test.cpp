#include "src/report/json_out.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace dg;

namespace {
std::string quoted(std::string_view s) {
  std::string out;
  report::append_json_string(out, s);
  return out;
}
// What nlohmann::json writes for the same string (the writer the envelope uses).
std::string nlohmann_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

TEST_SUITE("report.json_out") {
  TEST_CASE("strings are escaped exactly as nlohmann::json escapes them") {
    for (std::string_view s : {std::string_view(""), std::string_view("plain ascii"),
                               std::string_view("quote \" backslash \\ slash /"),
                               std::string_view("\b\f\n\r\t\x01\x1f\x7f", 8),
                               std::string_view("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3"),
                               std::string_view("</script>\xE2\x80\xA8")})
      CHECK(quoted(s) == nlohmann_quoted(s));
    CHECK(quoted(std::string_view("nul\0in", 6)) == "\"nul\\u0000in\"");
  }

  TEST_CASE("invalid UTF-8 becomes U+FFFD and the output stays valid JSON") {
    for (std::string_view bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\xFF\x62", "\xE2\x82"}) {
      auto out = quoted(bad);
      INFO(out);
      auto parsed = nlohmann::json::parse(out);  // throws on invalid UTF-8
      CHECK(parsed.get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
    }
  }

  TEST_CASE("objects leave out empty members and empty nested objects") {
    std::string out;
    {
      report::JsonObject o(out);
      auto empty = o.nested("empty_first");
      empty.str_if("x", "");
      empty.close();
      o.str("a", "1").str_if("b", "").num_if("c", 0).num("d", -7).boolean("e", false);
      auto inner = o.nested("f");
      inner.strings_if("g", {"x", "y"});
      inner.close();
      auto empty2 = o.nested("h");
      empty2.close();
      o.close();
    }
    CHECK(out == R"({"a":"1","d":-7,"e":false,"f":{"g":["x","y"]}})");
    CHECK(nlohmann::json::accept(out));
  }

  TEST_CASE("real numbers are written as nlohmann::json writes them") {
    // EPSS scores, percentiles and grype's risk (96.25000000000001 in grype's own snapshot).
    // 0.0001 and 0.0005 are EPSS scores that std::to_chars writes as 1e-04 and 5e-04.
    for (double v : {0.03, 0.00043, 0.99985, 96.25000000000001, 1.0, 0.0, 1e-05, 123456789.5, 0.0001, 0.0005, 1e15,
                     1.2345678901234568e+17}) {
      std::string out;
      {
        report::JsonObject o(out);
        o.real("v", v);
        o.close();
      }
      CAPTURE(v);
      CHECK(out == nlohmann::json{{"v", v}}.dump());
      CHECK(nlohmann::json::parse(out)["v"].get<double>() == v);
    }
  }
}
