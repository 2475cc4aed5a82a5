#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string apply(std::string text, std::string_view line_after) {
  fim::filters::line_after_repeat.apply(text, fim::FilterContext("", line_after, line_after));
  return text;
}

} // namespace

TEST_SUITE("filter line_after_repeat") {

  TEST_CASE("a suggestion that only repeats the rest of the line is dropped") {
    CHECK(apply("bar", "bar, baz)") == "");
    CHECK(apply(")", ")") == "");
  }

  TEST_CASE("a tail that repeats the rest of the line goes, unless it closes the suggestion's own bracket") {
    CHECK(apply("a, b)", ")") == "a, b");
    CHECK(apply(" > 0) {", ") {") == " > 0");
    CHECK(apply("x)", "  )  ") == "x"); // compared without the white space around it
    CHECK(apply("(a + b)", ")") == "(a + b)");
    CHECK(apply("a, b", ")") == "a, b");
  }

  TEST_CASE("nothing visible after the cursor: nothing to do") {
    CHECK(apply("a)", "") == "a)");
    CHECK(apply("a)", "   ") == "a)");
    CHECK(apply("", "  ") == "");
  }

  TEST_CASE("keeps: nothing while the line has text after the cursor, everything otherwise") {
    const fim::FilterContext mid("", ")\n", ")");
    CHECK(fim::filters::line_after_repeat.keeps("a, b", 0, 0, mid) == 0);
    const fim::FilterContext blank("", "   \n}", "   ");
    CHECK(fim::filters::line_after_repeat.keeps("a\nb", 0, 0, blank) == 3);
  }

} // TEST_SUITE

} // namespace fimlsp::test
