#include "fimlsp/fim/prompt/context.hpp"
#include <doctest/doctest.h>
#include <random>
#include <string>

namespace fimlsp::test {

using fim::trim_prefix;
using fim::trim_suffix;

namespace {

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool is_boundary(std::string_view whole, std::size_t pos) {
  return pos == whole.size() || (static_cast<unsigned char>(whole[pos]) & 0xC0) != 0x80;
}

} // namespace

TEST_CASE("context: text within the budget is kept whole") {
  CHECK(trim_prefix("abc\ndef", 7) == "abc\ndef");
  CHECK(trim_suffix("abc\ndef", 7) == "abc\ndef");
  CHECK(trim_prefix("", 5) == "");
  CHECK(trim_suffix("", 0) == "");
  CHECK(trim_prefix("中文", 2) == "中文");
}

TEST_CASE("context: whole lines nearest the cursor") {
  // Prefix keeps its end: "line2\nli" fits in 8, "1\nline2\nli" would not.
  CHECK(trim_prefix("line1\nline2\nli", 8) == "line2\nli");
  CHECK(trim_prefix("line1\nline2\nli", 9) == "line2\nli");
  CHECK(trim_prefix("line1\nline2\nli", 14) == "line1\nline2\nli");
  CHECK(trim_prefix("line1\nline2\nli", 13) == "line2\nli");
  // The cursor at the start of a line.
  CHECK(trim_prefix("aaa\nbbb\n", 4) == "bbb\n");
  CHECK(trim_prefix("aaa\nbbb\n", 3) == "");
  // Suffix keeps its start, with the newline of its last whole line.
  CHECK(trim_suffix("ne1\nline2\nline3", 10) == "ne1\nline2\n");
  CHECK(trim_suffix("ne1\nline2\nline3", 9) == "ne1\n");
  CHECK(trim_suffix("\nline2", 3) == "\n");
}

TEST_CASE("context: a cursor line longer than the budget is cut by code points") {
  CHECK(trim_prefix("before\n0123456789", 4) == "6789");
  CHECK(trim_suffix("0123456789\nafter", 4) == "0123");
  CHECK(trim_prefix("0123456789", 0) == "");
  CHECK(trim_suffix("0123456789", 0) == "");
  // The newline itself does not fit: what fits is the cursor's line.
  CHECK(trim_suffix("abc\ndef", 3) == "abc");
  CHECK(trim_prefix("abc\ndef", 3) == "def");
}

TEST_CASE("context: CJK and emoji count as one code point each and are never split") {
  // 你好世界: 4 code points, 12 bytes. 😀: 1 code point, 4 bytes.
  CHECK(trim_prefix("第一行\n你好世界", 5) == "你好世界");
  CHECK(trim_prefix("第一行\n你好世界", 8) == "第一行\n你好世界");
  CHECK(trim_prefix("第一行\n你好世界", 7) == "你好世界");
  CHECK(trim_prefix("你好世界", 3) == "好世界");
  CHECK(trim_prefix("😀😀😀", 2) == "😀😀");
  CHECK(trim_suffix("😀😀😀", 2) == "😀😀");
  CHECK(trim_suffix("你好\n世界", 2) == "你好");
  CHECK(trim_suffix("你好\n世界", 3) == "你好\n");
  CHECK(trim_suffix("a😀b\nc", 2) == "a😀");
  // Combining sequences are several code points; budgets count code points, not glyphs.
  CHECK(trim_prefix("e\xCC\x81", 1) == "\xCC\x81");
}

TEST_CASE("context: a window cut inside a UTF-8 sequence never keeps the partial sequence") {
  // What server/cursor_context passes: the last 4 * budget + 4 bytes before the cursor.
  const std::string text = "😀😀😀😀😀😀a";
  const std::size_t budget = 3;
  const std::string window = text.substr(text.size() - (4 * budget + 4)); // starts mid-emoji
  CHECK(trim_prefix(window, budget) == "😀😀a");
  const std::string head = text.substr(0, 4 * budget + 2); // ends mid-emoji
  CHECK(trim_suffix(head, budget) == "😀😀😀");
  // Windows shorter than the header asks for are handled too.
  CHECK(trim_prefix(text.substr(text.size() - 8), budget) == "😀a");
  CHECK(trim_suffix(text.substr(0, 6), budget) == "😀");
  CHECK(trim_suffix("ab\xE4\xB8", budget) == "ab");
}

TEST_CASE("context: random mixed text keeps every promise") {
  std::mt19937 rng(12345);
  const char* pieces[] = {"a", "bc", " ", "\n", "中", "文", "😀", "é", "\t", "\n\n"};
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i)
      text += pieces[rng() % std::size(pieces)];
    const std::size_t budget = rng() % 20;
    CAPTURE(text);
    CAPTURE(budget);

    const std::string_view p = trim_prefix(text, budget);
    CHECK(std::string_view(text).ends_with(p));
    const std::size_t start = text.size() - p.size();
    CHECK(is_boundary(text, start));
    CHECK(code_points(p) <= budget);
    const std::size_t last_nl = text.rfind('\n');
    const bool cursor_line_fits =
        code_points(last_nl == std::string::npos ? text : text.substr(last_nl + 1)) <= budget;
    if (p.size() < text.size() && cursor_line_fits) {
      // Starts at a line start, and the line before it would not have fit.
      CHECK(text[start - 1] == '\n');
      const std::size_t prev = text.rfind('\n', start - 2);
      const std::size_t prev_start = start < 2 || prev == std::string::npos ? 0 : prev + 1;
      CHECK(code_points(std::string_view(text).substr(prev_start)) > budget);
    }
    if (!cursor_line_fits) CHECK(code_points(p) == budget);

    const std::string_view s = trim_suffix(text, budget);
    CHECK(std::string_view(text).starts_with(s));
    CHECK(is_boundary(text, s.size()));
    CHECK(code_points(s) <= budget);
    const std::size_t first_nl = text.find('\n');
    const bool first_line_fits = code_points(text.substr(0, first_nl)) <= budget;
    if (s.size() < text.size() && first_line_fits && first_nl != std::string::npos &&
        code_points(text.substr(0, first_nl + 1)) <= budget) {
      CHECK(s.back() == '\n');
      const std::size_t next = text.find('\n', s.size());
      const std::size_t next_end = next == std::string::npos ? text.size() : next + 1;
      CHECK(code_points(std::string_view(text).substr(0, next_end)) > budget);
    }
    if (!first_line_fits) CHECK(code_points(s) == budget);
  }
}

} // namespace fimlsp::test
