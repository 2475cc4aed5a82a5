#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string apply(std::string text, std::string_view prefix = "") {
  fim::filters::degenerate_loop.apply(text, fim::FilterContext(prefix, "", ""));
  return text;
}

} // namespace

TEST_SUITE("filter degenerate_loop") {

  TEST_CASE("a line or a group of lines repeated three times to the end is cut to one") {
    CHECK(apply("a()\nx\nx\nx") == "a()\nx");
    CHECK(apply("x\nx\nx\nx\nx") == "x");
    CHECK(apply("p\nq\np\nq\np\nq") == "p\nq");
    CHECK(apply("s\np\nq\nr\np\nq\nr\np\nq\nr\np") == "s\np\nq\nr"); // a last, partial occurrence too
  }

  TEST_CASE("the first line counts as the whole cursor's line") {
    CHECK(apply("f(1)\n    f(1)\n    f(1)", "def t():\n    ") == "f(1)");
    CHECK(apply("f(1)\nf(1)\nf(1)", "    ") == "f(1)\nf(1)\nf(1)"); // other indentation: no loop
  }

  TEST_CASE("not a loop: two occurrences, repeats the model ends itself, blank lines") {
    CHECK(apply("x\nx") == "x\nx");
    CHECK(apply("[0, 0],\n[0, 0],\n[0, 0],\n]") == "[0, 0],\n[0, 0],\n[0, 0],\n]");
    CHECK(apply("a\n\n\n\nb") == "a\n\n\n\nb");
    CHECK(apply("  }\n}\n}") == "  }\n}\n}");
  }
}

} // namespace fimlsp::test
