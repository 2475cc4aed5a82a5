#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

TEST_SUITE("filter whitespace_only") {

  TEST_CASE("nothing visible is nothing to show; anything visible stays as it is") {
    const fim::FilterContext ctx("", "", "");
    for (std::string blank : {"", " ", "\n\t\r\n"}) {
      fim::filters::whitespace_only.apply(blank, ctx);
      CHECK(blank.empty());
    }
    std::string text = "\n  x \n";
    fim::filters::whitespace_only.apply(text, ctx);
    CHECK(text == "\n  x \n");
  }

  TEST_CASE("keeps: nothing until something visible arrives, then everything") {
    const fim::FilterContext ctx("", "", "");
    const auto& f = fim::filters::whitespace_only;
    CHECK(f.keeps("  \n", 0, 0, ctx) == 0);
    CHECK(f.keeps("  \n  ", 3, 0, ctx) == 0);
    CHECK(f.keeps("  \n  y", 5, 0, ctx) == 6);
    CHECK(f.keeps("  \n  y \n", 6, 6, ctx) == 8);
  }

} // TEST_SUITE

} // namespace fimlsp::test
