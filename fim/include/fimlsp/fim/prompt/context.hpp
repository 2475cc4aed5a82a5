#pragma once
// Cutting the text around the cursor to the prompt budget.
#include <cstddef>
#include <string_view>

namespace fimlsp::fim {

// `before` is the text before the cursor, or its tail (then longer than max_chars * 4 bytes, so
// that its first, possibly partial, line is never kept). Returns the tail of whole lines nearest
// the cursor that fits in max_chars code points; when even the cursor's line does not fit, its
// last max_chars code points (never splitting a UTF-8 sequence).
std::string_view trim_prefix(std::string_view before, std::size_t max_chars);
// The same from the other side for the text after the cursor.
std::string_view trim_suffix(std::string_view after, std::size_t max_chars);

} // namespace fimlsp::fim
