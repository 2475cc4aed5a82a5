#include "fimlsp/server/text_buffer.hpp"
#include <doctest/doctest.h>
#include <numeric>
#include <random>

namespace fimlsp::test {

using server::TextBuffer;

namespace {

std::vector<std::size_t> naive_line_starts(const std::string& s) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n') starts.push_back(i + 1);
  return starts;
}

// Checks every line query of `b` against the plain string `s`.
void check_same(const TextBuffer& b, const std::string& s) {
  REQUIRE(b.size() == s.size());
  REQUIRE(b.text() == s);
  const auto starts = naive_line_starts(s);
  REQUIRE(b.line_count() == starts.size());
  // Gathered first and compared whole: one assertion per check, not one per line.
  std::vector<std::size_t> got_starts, got_ends, want_ends, got_lines;
  for (std::size_t line = 0; line < starts.size(); ++line) {
    got_starts.push_back(b.line_start(line));
    got_ends.push_back(b.line_end(line));
    got_lines.push_back(b.line_of(starts[line]));
    std::size_t end = line + 1 < starts.size() ? starts[line + 1] - 1 : s.size();
    if (line + 1 < starts.size() && end > starts[line] && s[end - 1] == '\r') --end;
    want_ends.push_back(end);
  }
  REQUIRE(got_starts == starts);
  REQUIRE(got_ends == want_ends);
  std::vector<std::size_t> want_lines(starts.size());
  std::iota(want_lines.begin(), want_lines.end(), std::size_t{0});
  REQUIRE(got_lines == want_lines);
  CHECK(b.line_start(starts.size()) == s.size());
  CHECK(b.line_end(starts.size()) == s.size());
  CHECK(b.line_of(s.size() + 10) == starts.size() - 1);
}

} // namespace

TEST_CASE("an empty buffer has one empty line") {
  TextBuffer b;
  CHECK(b.size() == 0);
  CHECK(b.line_count() == 1);
  CHECK(b.line_start(0) == 0);
  CHECK(b.line_end(0) == 0);
  CHECK(b.line_text(0).empty());
  CHECK(b.line_of(5) == 0);
  CHECK(b.substr(0, 10).empty());
  b.replace(3, 3, "");
  CHECK(b.text().empty());
  check_same(TextBuffer(""), "");
}

TEST_CASE("lines end before \\n or \\r\\n; a lone \\r is content") {
  const std::string s = "ab\r\ncd\n\r\nx\ry\n";
  TextBuffer b(s);
  check_same(b, s);
  CHECK(b.line_count() == 5);
  CHECK(b.line_text(0) == "ab");
  CHECK(b.line_text(1) == "cd");
  CHECK(b.line_text(2).empty());
  CHECK(b.line_text(3) == "x\ry");
  CHECK(b.line_text(4).empty());
  CHECK(b.line_text(9).empty());
  CHECK(b.line_of(2) == 0); // the \r
  CHECK(b.line_of(3) == 0); // the \n
  CHECK(b.line_of(4) == 1);
}

TEST_CASE("substr and replace clamp their arguments") {
  TextBuffer b("hello\nworld");
  CHECK(b.substr(6, 100) == "world");
  CHECK(b.substr(100, 5).empty());
  CHECK(b.substr(4, 3) == "o\nw");
  b.replace(5, 100, "!"); // length clamped to the end
  CHECK(b.text() == "hello!");
  b.replace(100, 0, "?"); // offset clamped to the end
  CHECK(b.text() == "hello!?");
  b.replace(0, 0, "\xFF"); // bytes are kept as they are
  CHECK(b.text() == "\xFFhello!?");
  CHECK(b.line_count() == 1);
}

TEST_CASE("a large buffer answers across chunk boundaries, CRLF split included") {
  // 1 MB of lines of varied lengths with CRLF endings: many chunks, some boundaries between
  // a \r and its \n.
  std::string s;
  for (std::size_t i = 0; s.size() < (1u << 20); ++i)
    s += std::string(i % 97, 'a' + i % 26) + "\r\n";
  TextBuffer b(s);
  check_same(b, s);
  CHECK(b.substr(500000, 70000) == s.substr(500000, 70000));
  CHECK(b.line_text(1000) == std::string(1000 % 97, 'a' + 1000 % 26));

  // An edit spanning many chunks, one removing almost everything, one emptying the buffer.
  b.replace(1000, 300000, "X\r\nY");
  s.replace(1000, 300000, "X\r\nY");
  check_same(b, s);
  b.replace(1, s.size() - 2, "");
  s.replace(1, s.size() - 2, "");
  check_same(b, s);
  b.replace(0, s.size(), "");
  check_same(b, "");
}

TEST_CASE("random byte edits match std::string") {
  for (unsigned seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
    std::string s;
    TextBuffer b;
    for (int step = 0; step < 300; ++step) {
      CAPTURE(step);
      const std::size_t offset = pick(s.size());
      // Mostly small edits, sometimes pastes and cuts of tens of KiB, so chunks split and merge.
      const bool big = pick(9) == 0;
      const std::size_t length = std::min(s.size() - offset, big ? pick(60000) : pick(5));
      std::string text;
      const std::size_t n = big ? pick(40000) : pick(6);
      for (std::size_t i = 0; i < n; ++i)
        text += "ab\n\r\nxyzabcdefghijklmnopqrst"[pick(27)];
      b.replace(offset, length, text);
      s.replace(offset, length, text);
      REQUIRE(b.text() == s);
      if (step % 25 == 0) check_same(b, s);
      const std::size_t from = pick(s.size() + 2);
      const std::size_t len = pick(20000);
      REQUIRE(b.substr(from, len) == (from <= s.size() ? s.substr(from, len) : ""));
    }
    check_same(b, s);
  }
}

} // namespace fimlsp::test
