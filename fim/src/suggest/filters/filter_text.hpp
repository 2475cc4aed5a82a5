#pragma once
// Text functions the clean-up filters share.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace fimlsp::fim::filter_text {

constexpr std::string_view kSpace = " \t\r\n";

inline bool is_space(char c) {
  return kSpace.find(c) != std::string_view::npos;
}

inline std::string_view trim_end(std::string_view s) {
  const auto last = s.find_last_not_of(kSpace);
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

inline std::string_view trim(std::string_view s) {
  s = trim_end(s);
  return s.substr(std::min(s.size(), s.find_first_not_of(kSpace)));
}

// A byte of an identifier: ASCII letters, digits, '_' and every byte of a non-ASCII code point.
inline bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '_' || u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

// The leading spaces and tabs of a line.
inline std::string_view indentation(std::string_view line) {
  return line.substr(0, std::min(line.size(), line.find_first_not_of(" \t")));
}

// The width of a line's indentation; a tab counts as 4 (files mix them rarely enough).
inline std::size_t indent_width(std::string_view line) {
  std::size_t w = 0;
  for (char c : indentation(line))
    w += c == '\t' ? 4 : 1;
  return w;
}

// The indentation width of a suggestion line; the first continues the cursor's line, so it
// stands after that line's text (and its own spaces count only after a blank cursor line).
inline std::size_t line_indent(std::string_view line_before, std::string_view line, bool first) {
  if (!first) return indent_width(line);
  return indent_width(line_before) + (trim(line_before).empty() ? indent_width(line) : 0);
}

// The lines of `s` (views into it), without their newlines; "" gives one empty line.
inline std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const auto nl = s.find('\n', start);
    lines.push_back(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) return lines;
    start = nl + 1;
  }
}

// Where line `line` (a view into `text`) starts and ends within `text`.
inline std::size_t offset_in(std::string_view text, std::string_view line) {
  return static_cast<std::size_t>(line.data() - text.data());
}

// The text before a line of it, without the newline that ends that text and trailing spaces:
// what remains when the line and everything after it go.
inline std::size_t cut_before(std::string_view text, std::string_view line) {
  return trim_end(text.substr(0, offset_in(text, line))).size();
}

// The text up to the end of a line of it: what remains when everything after the line goes.
inline std::size_t cut_after(std::string_view text, std::string_view line) {
  return trim_end(text.substr(0, offset_in(text, line) + line.size())).size();
}

// Whether `s` leaves a bracket open that a closing bracket after it would close. Then a tail that
// looks like the text after the cursor is the suggestion's own closing bracket, not a repeat.
inline bool opens_bracket(std::string_view s) {
  constexpr std::array<std::pair<char, char>, 3> kPairs{{{'(', ')'}, {'[', ']'}, {'{', '}'}}};
  return std::any_of(kPairs.begin(), kPairs.end(), [s](auto pair) {
    return std::count(s.begin(), s.end(), pair.first) > std::count(s.begin(), s.end(), pair.second);
  });
}

// The length of the UTF-8 code point that starts with byte `lead` (1 for a stray byte).
inline std::size_t code_point_length(char lead) {
  const auto u = static_cast<unsigned char>(lead);
  return u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
}

} // namespace fimlsp::fim::filter_text
