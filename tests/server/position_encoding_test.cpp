#include "fimlsp/server/position_encoding.hpp"
#include <doctest/doctest.h>

namespace fimlsp::test {

using server::byte_offset_in_line;
using server::character_of;
using server::PositionEncoding;
constexpr auto U8 = PositionEncoding::Utf8;
constexpr auto U16 = PositionEncoding::Utf16;
constexpr auto U32 = PositionEncoding::Utf32;

TEST_CASE("position encodings are named and negotiated as LSP says") {
  CHECK(server::to_string(U8) == "utf-8");
  CHECK(server::to_string(U16) == "utf-16");
  CHECK(server::to_string(U32) == "utf-32");
  CHECK(server::parse_position_encoding("utf-32") == U32);
  CHECK(server::parse_position_encoding("utf-8") == U8);
  CHECK_FALSE(server::parse_position_encoding("UTF-8").has_value());
  CHECK_FALSE(server::parse_position_encoding("").has_value());

  CHECK(server::negotiate_position_encoding({}) == U16);
  CHECK(server::negotiate_position_encoding({"utf-16"}) == U16);
  CHECK(server::negotiate_position_encoding({"utf-32"}) == U16);
  CHECK(server::negotiate_position_encoding({"utf-32", "utf-16", "utf-8"}) == U8);
  CHECK(server::negotiate_position_encoding({"latin-1"}) == U16);
}

TEST_CASE("ASCII: every encoding counts bytes") {
  const std::string_view line = "int x;";
  for (auto e : {U8, U16, U32}) {
    CHECK(byte_offset_in_line(line, 0, e) == 0);
    CHECK(byte_offset_in_line(line, 4, e) == 4);
    CHECK(byte_offset_in_line(line, 6, e) == 6);
    CHECK(byte_offset_in_line(line, 7, e) == 6); // past the end: the line's end
    CHECK(byte_offset_in_line(line, 1u << 31, e) == 6);
    CHECK(character_of(line, 4, e) == 4);
    CHECK(character_of(line, 99, e) == 6);
    CHECK(byte_offset_in_line("", 3, e) == 0);
    CHECK(character_of("", 3, e) == 0);
  }
}

// "aé中😀éx" with the second é decomposed: e + U+0301 COMBINING ACUTE ACCENT (its own code point).
//   bytes:  a@0 é@1 中@3 😀@6 e@10 ◌́@11 x@13 end@14
//   utf-16: a 0 é 1 中 2 😀 3 (two units) e 5 ◌́ 6 x 7 end 8
//   utf-32: a 0 é 1 中 2 😀 3 e 4 ◌́ 5 x 6 end 7
const std::string_view kMixed = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"
                                "e\xCC\x81x";

TEST_CASE("non-ASCII characters to byte offsets") {
  REQUIRE(kMixed.size() == 14);
  const std::size_t bytes[] = {0, 1, 3, 6, 10, 11, 13, 14};
  const std::uint64_t utf16[] = {0, 1, 2, 3, 5, 6, 7, 8};
  const std::uint64_t utf32[] = {0, 1, 2, 3, 4, 5, 6, 7};
  for (std::size_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    CHECK(byte_offset_in_line(kMixed, utf16[i], U16) == bytes[i]);
    CHECK(byte_offset_in_line(kMixed, utf32[i], U32) == bytes[i]);
    CHECK(byte_offset_in_line(kMixed, bytes[i], U8) == bytes[i]);
    CHECK(character_of(kMixed, bytes[i], U16) == utf16[i]);
    CHECK(character_of(kMixed, bytes[i], U32) == utf32[i]);
    CHECK(character_of(kMixed, bytes[i], U8) == bytes[i]);
  }
  CHECK(byte_offset_in_line(kMixed, 9, U16) == 14);
  CHECK(byte_offset_in_line(kMixed, 8, U32) == 14);
  CHECK(byte_offset_in_line(kMixed, 15, U8) == 14);
}

TEST_CASE("a character inside a code point rounds down to the code point's start") {
  CHECK(byte_offset_in_line(kMixed, 4, U16) == 6); // between the emoji's surrogates
  CHECK(byte_offset_in_line(kMixed, 2, U8) == 1);  // inside é
  CHECK(byte_offset_in_line(kMixed, 4, U8) == 3);  // inside 中
  CHECK(byte_offset_in_line(kMixed, 5, U8) == 3);
  CHECK(byte_offset_in_line(kMixed, 9, U8) == 6);   // inside 😀
  CHECK(byte_offset_in_line(kMixed, 12, U8) == 11); // inside the combining mark
  // Byte offsets inside a code point count the units before it.
  CHECK(character_of(kMixed, 2, U16) == 1);
  CHECK(character_of(kMixed, 8, U16) == 3);
  CHECK(character_of(kMixed, 8, U32) == 3);
  CHECK(character_of(kMixed, 9, U8) == 6);
}

TEST_CASE("invalid UTF-8: each invalid byte is one code unit in every encoding") {
  // a, lone 0xFF, b, a truncated 中 (E4 B8) followed by c: bytes == units everywhere.
  const std::string_view line = "a\xFF"
                                "b\xE4\xB8"
                                "c";
  for (auto e : {U8, U16, U32}) {
    for (std::size_t i = 0; i <= line.size(); ++i) {
      CAPTURE(i);
      CHECK(byte_offset_in_line(line, i, e) == i);
      CHECK(character_of(line, i, e) == i);
    }
  }
  // Overlong "/", an encoded surrogate, a value above U+10FFFF, a lone continuation byte and a
  // truncated emoji at the end of the line: all bytes, one unit each.
  for (std::string_view bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xF0\x9F\x98"}) {
    CAPTURE(bad.size());
    for (auto e : {U8, U16, U32}) {
      CHECK(character_of(bad, bad.size(), e) == bad.size());
      CHECK(byte_offset_in_line(bad, bad.size() - 1, e) == bad.size() - 1);
    }
  }
  // Valid text after invalid bytes is still decoded: 0xFF then 😀.
  const std::string_view mixed = "\xFF\xF0\x9F\x98\x80z";
  CHECK(byte_offset_in_line(mixed, 3, U16) == 5);
  CHECK(byte_offset_in_line(mixed, 2, U32) == 5);
  CHECK(character_of(mixed, 6, U16) == 4);
}

} // namespace fimlsp::test
