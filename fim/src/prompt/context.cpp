#include "fimlsp/fim/prompt/context.hpp"

namespace fimlsp::fim {

namespace {

// Code points are counted as the bytes that do not continue a sequence: no cut ever lands inside
// a sequence, and invalid UTF-8 cannot make the walk go wrong.
bool starts_code_point(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

// The end of the last complete sequence: a window cut inside a sequence drops its head.
std::size_t complete_end(std::string_view s) {
  for (std::size_t back = 1; back <= 4 && back <= s.size(); ++back) {
    const auto lead = static_cast<unsigned char>(s[s.size() - back]);
    if ((lead & 0xC0) == 0x80) continue;
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length > back ? s.size() - back : s.size();
  }
  return s.size();
}

} // namespace

std::string_view trim_prefix(std::string_view before, std::size_t max_chars) {
  std::size_t chars = 0;                           // code points in [i, end)
  std::size_t line_start = std::string_view::npos; // earliest line start that fits
  std::size_t cut = before.size();                 // earliest code point start that fits
  std::size_t i = before.size();
  for (; i > 0; --i) {
    const char c = before[i - 1];
    if (c == '\n') line_start = i; // the lines after this newline are already counted
    if (starts_code_point(c)) {
      if (chars == max_chars) break;
      ++chars;
      cut = i - 1;
    }
  }
  if (i == 0) { // all of it fits, but a window cut inside a sequence must not start with its tail
    std::size_t start = 0;
    while (start < before.size() && !starts_code_point(before[start]))
      ++start;
    return before.substr(start);
  }
  return before.substr(line_start != std::string_view::npos ? line_start : cut);
}

std::string_view trim_suffix(std::string_view after, std::size_t max_chars) {
  std::size_t chars = 0;                         // code points in [0, i)
  std::size_t line_end = std::string_view::npos; // latest end of a line (after its '\n') that fits
  std::size_t i = 0;
  for (; i < after.size(); ++i) {
    if (starts_code_point(after[i])) {
      if (chars == max_chars) break;
      ++chars;
    }
    if (after[i] == '\n') line_end = i + 1;
  }
  if (i == after.size()) return after.substr(0, complete_end(after)); // all of it fits
  return after.substr(0, line_end != std::string_view::npos ? line_end : i);
}

} // namespace fimlsp::fim
