#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string apply(std::string text) {
  fim::filters::trailing_whitespace.apply(text, fim::FilterContext("", "", ""));
  return text;
}

std::size_t keeps(std::string_view text, std::size_t seen = 0, std::size_t kept = 0) {
  return fim::filters::trailing_whitespace.keeps(text, seen, kept, fim::FilterContext("", "", ""));
}

} // namespace

TEST_SUITE("filter trailing_whitespace") {

  TEST_CASE("trailing spaces, tabs and newlines go; leading ones stay") {
    CHECK(apply("x = 1  \n\n") == "x = 1");
    CHECK(apply("x = 1\r\n\t") == "x = 1");
    CHECK(apply("    indented") == "    indented");
    CHECK(apply("a  \nb") == "a  \nb");
    CHECK(apply(" \n\t") == "");
  }

  TEST_CASE("keeps everything up to the last visible character, looking only at new text") {
    CHECK(keeps("") == 0);
    CHECK(keeps("   \n") == 0);
    CHECK(keeps("a  \n") == 1);
    CHECK(keeps("a  \nb", 4, 1) == 5);
    CHECK(keeps("a  \nb \n ", 5, 5) == 5); // nothing visible since: the earlier answer stands
  }

} // TEST_SUITE

} // namespace fimlsp::test
