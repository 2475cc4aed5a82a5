#include "fimlsp/fim/suggest/filter.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

namespace {

// The cursor is where `|` stands in `doc`.
std::string apply(std::string text, std::string_view doc, std::string_view language) {
  const auto at = doc.find('|');
  const std::string_view prefix = doc.substr(0, at), suffix = doc.substr(at + 1);
  fim::filters::block_end.apply(
      text, fim::FilterContext(prefix, suffix, suffix.substr(0, suffix.find('\n')), language));
  return text;
}

std::size_t ends(std::string_view text, std::string_view doc, std::string_view language) {
  const auto at = doc.find('|');
  const std::string_view prefix = doc.substr(0, at), suffix = doc.substr(at + 1);
  return fim::filters::block_end.ends(
      text, fim::FilterContext(prefix, suffix, suffix.substr(0, suffix.find('\n')), language));
}

} // namespace

TEST_SUITE("filter block_end") {

  TEST_CASE("brackets: the block ends at the brace that closes it; kept only when the document lacks it") {
    const std::string doc = "int f() {\n  |\n}\n";
    CHECK(apply("return 1;\n}\n\nint g() {", doc, "c") == "return 1;");
    CHECK(apply("return 1;\n}\n\nint g() {", "int f() {\n  |\n", "c") == "return 1;\n}");
    CHECK(apply("if (a) {\n    b();\n  }\n  return 1;", doc, "c") == "if (a) {\n    b();\n  }\n  return 1;");
    CHECK(apply("x();\n});\n\nfoo();", "it('a', () => {\n  |\n", "javascript") == "x();\n});");
    CHECK(apply("a = '}';\n// }\nb();", doc, "c") == "a = '}';\n// }\nb();"); // in a char literal, a comment
  }

  TEST_CASE("closing and reopening continues the block") {
    CHECK(apply("a();\n} catch (e) {\n  b();\n}\nnext();", "try {\n  |\n", "javascript") ==
          "a();\n} catch (e) {\n  b();\n}");
    CHECK(apply("\n        a()\n    elif y:\n        b()\n    c()", "def f():\n    if x:|\n", "python") ==
          "\n        a()\n    elif y:\n        b()");
  }

  TEST_CASE(
      "indentation: a less indented line ends the block; with a closing keyword, that is kept if missing") {
    CHECK(apply("return s\n\ndef mean(xs):\n    pass", "def f(xs):\n    |\n", "python") == "return s");
    CHECK(apply("x\n  end\n\n  def g\n  end", "  def f\n    |\nend\n", "ruby") == "x\n  end");
    CHECK(apply("x\n  end\n\n  def g\n  end", "  def f\n    |\n  end\n", "ruby") == "x");
    CHECK(apply("echo hi\nfi\nrm x", "if a; then\n  |\n", "shellscript") == "echo hi\nfi");
    CHECK(apply("ended_at = now\n    x", "def f():\n    |\n", "ruby") == "ended_at = now\n    x");
  }

  TEST_CASE("a header by its first word; a line that only ends like one is no header") {
    CHECK(apply("\n    x\n  end\n  def g", "  def f|\nend\n", "ruby") == "\n    x\n  end");
    CHECK(apply("\n  y = 2\n  z = 3", "  print(x)|\nend\n", "lua") == "\n  y = 2\n  z = 3");
    CHECK(apply("\necho $x\nls", "x=$(date)|\n", "shellscript") == "\necho $x\nls");
  }

  TEST_CASE("lines inside a multi-line string end nothing") {
    CHECK(apply("\"\"\"Sum.\n\nNot indented.\n\"\"\"\n    return 0", "def f():\n    |\n", "python") ==
          "\"\"\"Sum.\n\nNot indented.\n\"\"\"\n    return 0");
  }

  TEST_CASE("markup: the closing tag of the element the cursor is in") {
    CHECK(apply("<li>a</li>\n</ul>\n<p>next</p>", "<ul>\n  |\n", "html") == "<li>a</li>\n</ul>");
    CHECK(apply("<li>a</li>\n</ul>\n<p>next</p>", "<ul>\n  |\n</ul>\n", "html") == "<li>a</li>");
    CHECK(apply("<img src=a>\n<br>\n<p>x</p>", "<div>\n  |\n", "html") == "<img src=a>\n<br>\n<p>x</p>");
  }

  TEST_CASE("text after the cursor on its line: not this filter's business") {
    CHECK(apply("a) }\nb", "f(|)\n", "c") == "a) }\nb");
  }

  TEST_CASE("ends: as soon as the closing line is complete, the rest of the stream does not matter") {
    const std::string doc = "int f() {\n  |\n}\n";
    CHECK(ends("return 1;\n", doc, "c") == std::string_view::npos);
    CHECK(ends("return 1;\n}", doc, "c") == std::string_view::npos);   // "}" may still become "}}"
    CHECK(ends("return 1;\n}\n", doc, "c") == std::string_view::npos); // an `else` may follow
    CHECK(ends("return 1;\n}\n\nint g() {\n", doc, "c") == 9);
  }
}

} // namespace fimlsp::test
