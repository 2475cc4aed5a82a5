#pragma once
// The text of one document: bytes in chunks of a few KiB with per-chunk line counts and prefix
// sums over the chunks, so that an edit costs the size of the edit, not the size of the document.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::server {

class TextBuffer {
public:
  TextBuffer() = default;
  explicit TextBuffer(std::string_view text);

  std::size_t size() const;       // bytes
  std::size_t line_count() const; // number of '\n' + 1

  // Byte offset where `line` starts; line >= line_count() gives size().
  std::size_t line_start(std::size_t line) const;
  // Byte offset where `line`'s content ends: before its "\n" or "\r\n"; size() for the last line.
  std::size_t line_end(std::size_t line) const;
  // The line's content without its line terminator.
  std::string line_text(std::size_t line) const;
  // The line holding byte `offset` (offset <= size()).
  std::size_t line_of(std::size_t offset) const;

  // Replaces [offset, offset + length) by `text`. Arguments are clamped to the buffer.
  void replace(std::size_t offset, std::size_t length, std::string_view text);

  std::string substr(std::size_t offset, std::size_t length) const; // clamped
  std::string text() const;

private:
  struct Chunk {
    std::string bytes;
    std::size_t newlines = 0;
  };
  // Where a byte offset or a newline falls: its chunk and the totals before that chunk.
  struct Found {
    std::size_t chunk = 0;
    std::size_t bytes_before = 0;
    std::size_t newlines_before = 0;
  };
  Found find_byte(std::size_t offset) const; // chunk holding byte `offset` (< size_)
  Found find_newline(std::size_t nth) const; // chunk holding the nth '\n' (1 <= nth <= newlines_)
  // Deltas are modulo 2^64, so a shrink is a wrapped-around negative delta.
  void add_to_index(std::size_t chunk, std::size_t bytes_delta, std::size_t newlines_delta);
  void rebuild_index();

  std::vector<Chunk> chunks_;
  // Fenwick trees over chunks_ (1-based) of bytes and newlines: lookups in O(log chunks).
  std::vector<std::size_t> bytes_tree_;
  std::vector<std::size_t> newlines_tree_;
  std::size_t size_ = 0;
  std::size_t newlines_ = 0;
};

} // namespace fimlsp::server
