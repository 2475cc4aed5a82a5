#include "fimlsp/server/cursor_context.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using server::cut_at_cursor;
using server::TextBuffer;

TEST_SUITE("cursor context") {

  TEST_CASE("prefix, suffix and the rest of the cursor's line") {
    const TextBuffer text("int f() {\n  return 1;  \r\n}\n");
    const auto in = cut_at_cursor(text, 12, {}, "file:///f.c"); // after "  "
    CHECK(in.document == "file:///f.c");
    CHECK(in.prefix == "int f() {\n  ");
    CHECK(in.suffix == "return 1;  \r\n}\n");
    CHECK(in.line_after == "return 1;  ");
    CHECK(cut_at_cursor(text, 9, {}, "").line_after.empty()); // at the end of a line
    CHECK(cut_at_cursor(text, text.size(), {}, "").line_after.empty());
  }

  TEST_CASE("a minified 5 MB single-line document: only the budget's worth is copied") {
    std::string doc(5 << 20, 'x');
    for (std::size_t i = 0; i < doc.size(); i += 97)
      doc[i] = ';';
    const TextBuffer text(doc);
    fim::ContextSettings budget;
    budget.maxPrefixChars = 100;
    budget.maxSuffixChars = 50;
    const std::size_t cursor = doc.size() / 2;
    const auto in = cut_at_cursor(text, cursor, budget, "");
    CHECK(in.prefix.size() == 100);
    CHECK(in.suffix.size() == 50);
    CHECK(in.line_after.size() <= 4 * budget.maxSuffixChars + 4);
    CHECK(in.line_after.size() >= in.suffix.size());
    CHECK(doc.compare(cursor, in.line_after.size(), in.line_after) == 0);
  }

  TEST_CASE("the rest of a long line is cut on a code point boundary") {
    std::string doc = "a = \"";
    for (int i = 0; i < 100; ++i)
      doc += "\xe6\x97\xa5"; // 日, 3 bytes
    const TextBuffer text(doc);
    fim::ContextSettings budget;
    budget.maxSuffixChars = 10; // a window of 44 bytes: 14 whole characters and 2 bytes of one
    const auto in = cut_at_cursor(text, 5, budget, "");
    CHECK(in.line_after.size() == 14 * 3);
    CHECK(in.suffix.size() == 10 * 3);
  }

} // TEST_SUITE

} // namespace fimlsp::test
