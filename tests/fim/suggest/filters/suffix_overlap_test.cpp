#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

std::string apply(std::string text, std::string_view suffix, std::string_view prefix = "x = ") {
  fim::filters::suffix_overlap.apply(text,
                                     fim::FilterContext(prefix, suffix, suffix.substr(0, suffix.find('\n'))));
  return text;
}

} // namespace

TEST_SUITE("filter suffix_overlap") {

  TEST_CASE("a tail repeating the start of the rest of the line goes, compared without white space") {
    CHECK(apply("a, b));", "));\n", "print(foo(") == "a, b");
    CHECK(apply("data.txt\"", "\", encoding=\"utf-8\")\n") == "data.txt");
    CHECK(apply("x > 0){", ") {\n") == "x > 0");
    CHECK(apply("Name</label>", "</label>\n") == "Name");
    CHECK(apply("保存完了」\")", "」\");\n") == "保存完了");
  }

  TEST_CASE("a closer of the suggestion's own opener, quote or tag stays") {
    CHECK(apply("set(words)))", ")))\n", "n = len(") == "set(words)");
    CHECK(apply("\"a\"", "\"\n") == "\"a\"");
    CHECK(apply("<b>x</b>", "</b>\n") == "<b>x</b>");
  }

  TEST_CASE("different punctuation, or words, are no overlap; whole code points only") {
    CHECK(apply("a、", "。\n") == "a、");
    CHECK(apply("x + 1", "1;\n") == "x + 1");
  }

  TEST_CASE("across lines: a last line of closers that starts the next line at the same indentation") {
    CHECK(apply("a,\n  b\n}", "\n};\n", "int x[] = {") == "a,\n  b");
    CHECK(apply("a,\n  b\n  }", "\n};\n", "int x[] = {") == "a,\n  b\n  }"); // another indentation
    CHECK(apply("url,\n)", "\n).json()\n", "r = get(\n    ") == "url,");
    CHECK(apply("get(url,\n)", "\n).json()\n", "r = ") == "get(url,\n)"); // its own call's
  }
}

} // namespace fimlsp::test
