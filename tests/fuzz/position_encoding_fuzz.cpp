// Position conversions in all three encodings on any line, valid UTF-8 or not: offsets stay in
// the line and on character starts, move forward with the character, and round-trip.
#include "fimlsp/server/position_encoding.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace s = fimlsp::server;
  fuzz::Input in(data, size);
  const std::uint64_t character = in.number(UINT16_MAX);
  const std::size_t offset = in.number(UINT16_MAX);
  const std::string_view line = in.rest();
  for (auto e : {s::PositionEncoding::Utf8, s::PositionEncoding::Utf16, s::PositionEncoding::Utf32}) {
    FUZZ_CHECK(s::parse_position_encoding(s::to_string(e)) == e);
    const std::size_t at = s::byte_offset_in_line(line, character, e);
    FUZZ_CHECK(at <= line.size());
    const std::uint64_t back = s::character_of(line, at, e);
    FUZZ_CHECK(back <= character);
    // `at` is a character start: converting its character back lands on it again.
    FUZZ_CHECK(s::byte_offset_in_line(line, back, e) == at);
    if (character > 0) FUZZ_CHECK(s::byte_offset_in_line(line, character - 1, e) <= at);
    const std::uint64_t total = s::character_of(line, line.size(), e);
    FUZZ_CHECK(s::byte_offset_in_line(line, total, e) == line.size());
    if (character >= total) FUZZ_CHECK(at == line.size());
    if (e == s::PositionEncoding::Utf8) FUZZ_CHECK(total == line.size());
    FUZZ_CHECK(s::character_of(line, offset, e) <= total);
  }
  return 0;
}
