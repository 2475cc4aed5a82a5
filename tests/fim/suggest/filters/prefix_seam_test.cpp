#include "head_filter_cases.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string seamed(std::string_view prefix, std::string_view stream) {
  return after_head(fim::filters::prefix_seam, prefix, stream);
}

} // namespace

TEST_SUITE("filter prefix_seam") {

  TEST_CASE("the indentation the cursor stands after, repeated, goes from the first line only") {
    CHECK(seamed("def f():\n    ", "    return 1\n    x") == "return 1\n    x");
    CHECK(seamed("\t\t", "\t\tgo()") == "go()");
    CHECK(seamed("    ", "  x") == "  x");    // less than typed: not a repeat of it
    CHECK(seamed("a\n", "    x") == "    x"); // at column 0 indentation is needed
  }

  TEST_CASE("the line so far, with or without its indentation, goes") {
    CHECK(seamed("    return ", "    return sum(xs)") == "sum(xs)");
    CHECK(seamed("    return ", "return sum(xs)") == "sum(xs)");
    CHECK(seamed("let mut ", "let mut v = Vec::new();") == "v = Vec::new();");
  }

  TEST_CASE("the partly typed word goes; what merely starts like the line stays") {
    CHECK(seamed("    resu", "results.append(x)") == "lts.append(x)");
    CHECK(seamed("x = json.Unmar", "Unmarshal(b, &v)") == "shal(b, &v)");
    CHECK(seamed("count = ", "count + 1") == "count + 1");
    CHECK(seamed("x = 1\ny = fo", "o()") == "o()");
  }

  TEST_CASE("a space the prefix ends with is not doubled; one it lacks stays") {
    CHECK(seamed("return ", " sum(xs)") == "sum(xs)");
    CHECK(seamed("return ", "\t sum(xs)") == "sum(xs)");
    CHECK(seamed("x =", " 1") == " 1");
    CHECK(seamed("x = ", "\n  y") == "\n  y");
  }

  TEST_CASE("non-ASCII words are whole code points") {
    CHECK(seamed("# 計算", "計算する") == "する");
    CHECK(seamed("naïve_", "naïve_sum") == "sum");
  }
}

} // namespace fimlsp::test
