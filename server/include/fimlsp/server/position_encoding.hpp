#pragma once
// Conversions between LSP `character` offsets (utf-8, utf-16 or utf-32 code units) and byte
// offsets within one line. Invalid UTF-8 bytes count as one code unit each in every encoding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::server {

enum class PositionEncoding { Utf8, Utf16, Utf32 };

std::string_view to_string(PositionEncoding e); // "utf-8", "utf-16", "utf-32"
std::optional<PositionEncoding> parse_position_encoding(std::string_view s);
// utf-8 when offered, else utf-16 (the LSP default, also when nothing is offered).
PositionEncoding negotiate_position_encoding(const std::vector<std::string>& offered);

// Byte offset in `line` of `character` code units. Past the end → line.size(); inside a code
// point (e.g. between UTF-16 surrogates) → the start of that code point.
std::size_t byte_offset_in_line(std::string_view line, std::uint64_t character, PositionEncoding e);
// Code units of `e` in line[0, byte_offset) (byte_offset clamped to line.size()).
std::uint64_t character_of(std::string_view line, std::size_t byte_offset, PositionEncoding e);

} // namespace fimlsp::server
