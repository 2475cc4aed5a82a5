#include "fimlsp/server/position_encoding.hpp"
#include <algorithm>

namespace fimlsp::server {

namespace {

struct CodePoint {
  std::size_t bytes;      // length of the sequence; 1 for an invalid byte
  std::uint32_t units[3]; // code units in utf-8, utf-16, utf-32
};

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// The code point starting at s[i]. A byte that does not start a complete, shortest-form
// sequence of a scalar value is one invalid byte: one unit in every encoding, as U+FFFD would be.
CodePoint next_code_point(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const std::size_t left = s.size() - i;
  const unsigned char c = b(0);
  if (c < 0x80) return {1, {1, 1, 1}};
  if (c >= 0xC2 && c <= 0xDF && left >= 2 && is_continuation(b(1))) return {2, {2, 1, 1}};
  if (c >= 0xE0 && c <= 0xEF && left >= 3 && is_continuation(b(1)) && is_continuation(b(2))) {
    const bool overlong = c == 0xE0 && b(1) < 0xA0;
    const bool surrogate = c == 0xED && b(1) >= 0xA0;
    if (!overlong && !surrogate) return {3, {3, 1, 1}};
  }
  if (c >= 0xF0 && c <= 0xF4 && left >= 4 && is_continuation(b(1)) && is_continuation(b(2)) &&
      is_continuation(b(3))) {
    const bool overlong = c == 0xF0 && b(1) < 0x90;
    const bool too_big = c == 0xF4 && b(1) >= 0x90;
    if (!overlong && !too_big) return {4, {4, 2, 1}};
  }
  return {1, {1, 1, 1}};
}

std::size_t index_of(PositionEncoding e) {
  return static_cast<std::size_t>(e);
}

} // namespace

std::string_view to_string(PositionEncoding e) {
  switch (e) {
  case PositionEncoding::Utf8:
    return "utf-8";
  case PositionEncoding::Utf16:
    return "utf-16";
  case PositionEncoding::Utf32:
    return "utf-32";
  }
  return "utf-16";
}

std::optional<PositionEncoding> parse_position_encoding(std::string_view s) {
  if (s == "utf-8") return PositionEncoding::Utf8;
  if (s == "utf-16") return PositionEncoding::Utf16;
  if (s == "utf-32") return PositionEncoding::Utf32;
  return std::nullopt;
}

PositionEncoding negotiate_position_encoding(const std::vector<std::string>& offered) {
  // utf-8 spares the conversion; utf-32 is never chosen over the mandatory utf-16.
  if (std::find(offered.begin(), offered.end(), "utf-8") != offered.end()) return PositionEncoding::Utf8;
  return PositionEncoding::Utf16;
}

std::size_t byte_offset_in_line(std::string_view line, std::uint64_t character, PositionEncoding e) {
  std::uint64_t units = 0;
  std::size_t i = 0;
  while (i < line.size() && units < character) {
    const CodePoint cp = next_code_point(line, i);
    // A character inside this code point (e.g. between its UTF-16 surrogates) rounds down to its
    // start: the only byte offset that does not split the code point and never moves forward.
    if (units + cp.units[index_of(e)] > character) return i;
    units += cp.units[index_of(e)];
    i += cp.bytes;
  }
  return i;
}

std::uint64_t character_of(std::string_view line, std::size_t byte_offset, PositionEncoding e) {
  byte_offset = std::min(byte_offset, line.size());
  std::uint64_t units = 0;
  std::size_t i = 0;
  while (i < byte_offset) {
    const CodePoint cp = next_code_point(line, i);
    if (i + cp.bytes > byte_offset) break; // inside a code point: count up to its start
    units += cp.units[index_of(e)];
    i += cp.bytes;
  }
  return units;
}

} // namespace fimlsp::server
