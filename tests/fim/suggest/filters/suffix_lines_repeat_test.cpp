#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string apply(std::string text, std::string_view suffix) {
  fim::filters::suffix_lines_repeat.apply(text, fim::FilterContext("", suffix, ""));
  return text;
}

// Feeds `text` to keeps() in pieces of `size` bytes, as the pipeline does.
std::size_t keeps(std::string_view text, std::string_view suffix, std::size_t size) {
  const fim::FilterContext ctx("", suffix, "");
  std::size_t kept = 0, seen = 0;
  for (std::size_t end = std::min(size, text.size());; end = std::min(end + size, text.size())) {
    kept = fim::filters::suffix_lines_repeat.keeps(text.substr(0, end), seen, kept, ctx);
    seen = end;
    if (end == text.size()) return kept;
  }
}

} // namespace

TEST_SUITE("filter suffix_lines_repeat") {

  TEST_CASE("the context holds the suffix's non-blank lines after the cursor's line, trimmed at the end") {
    const fim::FilterContext ctx("", ")\n    return x  \n\n  \ndef g():\n", ")");
    REQUIRE(ctx.next_lines.size() == 2);
    CHECK(ctx.next_lines[0] == "    return x");
    CHECK(ctx.next_lines[1] == "def g():");
    CHECK(fim::FilterContext("", "no newline", "").next_lines.empty());
  }

  TEST_CASE("trailing lines that repeat the lines after the cursor go") {
    const std::string suffix = "\n    return x\n\ndef g():\n";
    CHECK(apply("x = 1\n    return x", suffix) == "x = 1");
    CHECK(apply("x = 1\n    return x\ndef g():", suffix) == "x = 1");
    CHECK(apply("x = 1  \n\n    return x", suffix) == "x = 1"); // and the white space before them
    CHECK(apply("    return x\nx = 1", suffix) == "    return x\nx = 1");
    CHECK(apply("\n    return x", suffix) == "");
    CHECK(apply("return x", suffix) == "");
    // Out of order is not a repeat.
    CHECK(apply("x = 1\ndef g():", suffix) == "x = 1\ndef g():");
  }

  TEST_CASE("a block the suggestion opened keeps its closing line") {
    CHECK(apply("if (a) {\n  b();\n}", "\n}\n") == "if (a) {\n  b();\n}");
    CHECK(apply("  b();\n}", "\n}\n") == "  b();");
    CHECK(apply("x\n}", "") == "x\n}");
  }

  TEST_CASE("keeps: up to the last complete line that repeats none of the next lines") {
    const std::string suffix = "\n}\n";
    for (std::size_t size = 1; size <= 12; ++size) {
      CAPTURE(size);
      CHECK(keeps("a();\n}\n", suffix, size) == 4);
      CHECK(keeps("a();\n}", suffix, size) == 4);
      CHECK(keeps("a();", suffix, size) == 0); // not complete: it may still grow into anything
      CHECK(keeps("}\n", suffix, size) == 0);
      CHECK(keeps("  a();  \nb\n}\n", suffix, size) == 10);
      CHECK(keeps("a();\n\n\n", suffix, size) == 4);
    }
    // No line after the cursor's: nothing can go.
    CHECK(keeps("a\n}", "}", 1) == 3);
  }

} // TEST_SUITE

} // namespace fimlsp::test
