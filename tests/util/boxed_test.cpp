#include "src/util/boxed.hpp"

#include <string>

#include "tests/support.hpp"

TEST_SUITE("util.boxed") {
  TEST_CASE("a boxed value copies deeply moves its box and resets like an optional") {
    dg::util::Boxed<std::string> a;
    CHECK_FALSE(a);
    CHECK_FALSE(a.has_value());
    a = std::string("waived");
    REQUIRE(a);
    dg::util::Boxed<std::string> b = a;  // a copy of its own
    *b += " twice";
    CHECK(*a == "waived");
    CHECK(*b == "waived twice");
    dg::util::Boxed<std::string> c = std::move(b);
    CHECK(c->size() == 12);
    a = c;
    CHECK(*a == "waived twice");
    a.reset();
    CHECK_FALSE(a);
    CHECK(*c == "waived twice");
    c = a;  // copying an empty box empties
    CHECK_FALSE(c);
  }
}
