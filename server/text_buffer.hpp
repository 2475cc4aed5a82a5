#pragma once
// The text of one document: bytes in chunks with per-chunk line counts, so that an edit costs
// the size of the edit (plus a scan of chunk sizes), not the size of the document.
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
  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
  std::size_t newlines_ = 0;
};

} // namespace fimlsp::server
