#include "fimlsp/server/text_buffer.hpp"
#include <algorithm>
#include <cstdint>
#include <cstring>

namespace fimlsp::server {

namespace {

// Chunks are kept between kMinChunk and kMaxChunk bytes (except a lone chunk), so an edit or a
// line lookup touches at most a few KiB of text; a 50 MB document has ~6000 chunks.
constexpr std::size_t kTargetChunk = 8 * 1024;
constexpr std::size_t kMaxChunk = 16 * 1024;
constexpr std::size_t kMinChunk = 2 * 1024;

// Counts '\n' eight bytes at a time (SWAR): the hot loop of every line lookup, and as fast at -O0/-O1
// as std::count is when vectorised.
std::size_t count_newlines(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  std::size_t count = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    const std::uint64_t x = word ^ (kOnes * '\n');           // bytes equal to '\n' become zero
    const std::uint64_t nonzero = ((x & kLow7) + kLow7) | x; // high bit set in each non-zero byte
    const std::uint64_t zero_bits = (~nonzero >> 7) & kOnes; // 1 in each zero byte
    count += static_cast<std::size_t>((zero_bits * kOnes) >> 56);
  }
  for (; i < s.size(); ++i)
    count += s[i] == '\n';
  return count;
}

// Offset just after the n-th (1-based) '\n' of s; s must hold at least n of them. Skips 64-byte
// blocks by their counts, so dense newlines cost no more than sparse ones.
std::size_t after_nth_newline(std::string_view s, std::size_t n) {
  constexpr std::size_t kBlock = 64;
  std::size_t i = 0;
  for (; s.size() - i >= kBlock; i += kBlock) {
    const std::size_t k = count_newlines(s.substr(i, kBlock));
    if (k >= n) break;
    n -= k;
  }
  for (;; ++i)
    if (s[i] == '\n' && --n == 0) return i + 1;
}

struct Descent {
  std::size_t chunk = 0;
  std::size_t bytes = 0;
  std::size_t newlines = 0;
};

// Fenwick descent: the first chunk at which the prefix sum of `key` reaches `target`, with the
// bytes and newlines of the chunks before it.
Descent descend(const std::vector<std::size_t>& key, std::size_t target,
                const std::vector<std::size_t>& bytes, const std::vector<std::size_t>& newlines) {
  Descent d;
  std::size_t step = 1;
  while (step * 2 < key.size())
    step *= 2;
  for (; step > 0; step /= 2) {
    const std::size_t next = d.chunk + step;
    if (next < key.size() && key[next] < target) {
      d.chunk = next;
      target -= key[next];
      d.bytes += bytes[next];
      d.newlines += newlines[next];
    }
  }
  return d;
}

} // namespace

TextBuffer::TextBuffer(std::string_view text) {
  replace(0, 0, text);
}

std::size_t TextBuffer::size() const {
  return size_;
}
std::size_t TextBuffer::line_count() const {
  return newlines_ + 1;
}

void TextBuffer::rebuild_index() {
  // Linear Fenwick construction; only after chunks split or merge, which a chunk does once per
  // few KiB typed.
  const std::size_t n = chunks_.size();
  bytes_tree_.assign(n + 1, 0);
  newlines_tree_.assign(n + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    bytes_tree_[i] += chunks_[i - 1].bytes.size();
    newlines_tree_[i] += chunks_[i - 1].newlines;
    const std::size_t parent = i + (i & (~i + 1));
    if (parent <= n) {
      bytes_tree_[parent] += bytes_tree_[i];
      newlines_tree_[parent] += newlines_tree_[i];
    }
  }
}

void TextBuffer::add_to_index(std::size_t chunk, std::size_t bytes_delta, std::size_t newlines_delta) {
  for (std::size_t i = chunk + 1; i < bytes_tree_.size(); i += i & (~i + 1)) {
    bytes_tree_[i] += bytes_delta;
    newlines_tree_[i] += newlines_delta;
  }
}

TextBuffer::Found TextBuffer::find_byte(std::size_t offset) const {
  // The chunk holding byte `offset` is the first whose prefix sum reaches offset + 1 bytes.
  const Descent d = descend(bytes_tree_, offset + 1, bytes_tree_, newlines_tree_);
  return {d.chunk, d.bytes, d.newlines};
}

TextBuffer::Found TextBuffer::find_newline(std::size_t nth) const {
  const Descent d = descend(newlines_tree_, nth, bytes_tree_, newlines_tree_);
  return {d.chunk, d.bytes, d.newlines};
}

std::size_t TextBuffer::line_start(std::size_t line) const {
  if (line == 0) return 0;
  if (line > newlines_) return size_;
  const Found f = find_newline(line);
  return f.bytes_before + after_nth_newline(chunks_[f.chunk].bytes, line - f.newlines_before);
}

std::size_t TextBuffer::line_end(std::size_t line) const {
  if (line >= newlines_) return size_;
  const std::size_t newline = line_start(line + 1) - 1;
  if (newline > line_start(line) && substr(newline - 1, 1) == "\r") return newline - 1;
  return newline;
}

std::string TextBuffer::line_text(std::size_t line) const {
  const std::size_t start = line_start(line);
  return substr(start, line_end(line) - start);
}

std::size_t TextBuffer::line_of(std::size_t offset) const {
  if (offset >= size_) return newlines_;
  const Found f = find_byte(offset);
  return f.newlines_before +
         count_newlines(std::string_view(chunks_[f.chunk].bytes).substr(0, offset - f.bytes_before));
}

std::string TextBuffer::substr(std::size_t offset, std::size_t length) const {
  offset = std::min(offset, size_);
  length = std::min(length, size_ - offset);
  std::string out;
  if (length == 0) return out;
  out.reserve(length);
  const Found f = find_byte(offset);
  std::size_t from = offset - f.bytes_before;
  for (std::size_t i = f.chunk; out.size() < length; ++i, from = 0)
    out.append(chunks_[i].bytes, from, std::min(length - out.size(), chunks_[i].bytes.size() - from));
  return out;
}

std::string TextBuffer::text() const {
  std::string out;
  out.reserve(size_);
  for (const Chunk& c : chunks_)
    out += c.bytes;
  return out;
}

void TextBuffer::replace(std::size_t offset, std::size_t length, std::string_view text) {
  offset = std::min(offset, size_);
  length = std::min(length, size_ - offset);
  if (length == 0 && text.empty()) return;

  // first: the chunk holding byte `offset` (the last chunk when offset == size_);
  // last: the chunk holding the last removed byte (== first for an insertion).
  std::size_t first = 0, first_start = 0;
  if (offset < size_) {
    const Found f = find_byte(offset);
    first = f.chunk;
    first_start = f.bytes_before;
  } else if (!chunks_.empty()) {
    first = chunks_.size() - 1;
    first_start = size_ - chunks_.back().bytes.size();
  }
  std::size_t last = first, last_start = first_start;
  const std::size_t end = offset + length;
  if (length > 0) {
    const Found l = find_byte(end - 1);
    last = l.chunk;
    last_start = l.bytes_before;
  }

  // Fast path: the edit stays inside one chunk that keeps a reasonable size.
  if (first == last && !chunks_.empty()) {
    Chunk& c = chunks_[first];
    const std::size_t new_size = c.bytes.size() - length + text.size();
    if (new_size <= kMaxChunk && (new_size >= kMinChunk || chunks_.size() == 1) && new_size > 0) {
      const std::size_t from = offset - first_start;
      const std::size_t removed = count_newlines(std::string_view(c.bytes).substr(from, length));
      const std::size_t added = count_newlines(text);
      c.bytes.replace(from, length, text);
      c.newlines = c.newlines - removed + added;
      add_to_index(first, text.size() - length, added - removed);
      newlines_ = newlines_ - removed + added;
      size_ = size_ - length + text.size();
      return;
    }
  }

  // General path: rebuild chunks [first, last] from their kept head and tail plus the new text,
  // absorbing a neighbour when the result would be a tiny chunk.
  std::string combined;
  if (!chunks_.empty()) {
    const std::string& head = chunks_[first].bytes;
    const std::string& tail = chunks_[last].bytes;
    const std::size_t tail_from = end - last_start;
    combined.reserve(offset - first_start + text.size() + tail.size() - tail_from);
    combined.append(head, 0, offset - first_start);
    combined.append(text);
    combined.append(tail, tail_from);
  } else {
    combined.assign(text);
  }
  std::size_t old_newlines = 0;
  for (std::size_t i = first; i < std::min(last + 1, chunks_.size()); ++i)
    old_newlines += chunks_[i].newlines;
  std::size_t erase_end = chunks_.empty() ? 0 : last + 1;
  if (combined.size() < kMinChunk) {
    if (erase_end < chunks_.size()) {
      old_newlines += chunks_[erase_end].newlines;
      combined += chunks_[erase_end++].bytes;
    } else if (first > 0) {
      --first;
      old_newlines += chunks_[first].newlines;
      combined.insert(0, chunks_[first].bytes);
    }
  }

  std::vector<Chunk> pieces;
  if (!combined.empty()) {
    const std::size_t count =
        combined.size() <= kMaxChunk ? 1 : (combined.size() + kTargetChunk - 1) / kTargetChunk;
    pieces.reserve(count);
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t n = (combined.size() - at) / (count - i);
      Chunk c;
      c.bytes.assign(combined, at, n);
      c.newlines = count_newlines(c.bytes);
      pieces.push_back(std::move(c));
      at += n;
    }
  }
  std::size_t new_newlines = 0;
  for (const Chunk& c : pieces)
    new_newlines += c.newlines;

  // Reuse the replaced slots, then insert or erase the difference: one shift of the vector.
  const std::size_t old_count = erase_end - first;
  const std::size_t reused = std::min(old_count, pieces.size());
  std::move(pieces.begin(), pieces.begin() + reused, chunks_.begin() + first);
  if (pieces.size() > old_count)
    chunks_.insert(chunks_.begin() + first + reused, std::make_move_iterator(pieces.begin() + reused),
                   std::make_move_iterator(pieces.end()));
  else
    chunks_.erase(chunks_.begin() + first + reused, chunks_.begin() + erase_end);

  newlines_ = newlines_ - old_newlines + new_newlines;
  size_ = size_ - length + text.size();
  rebuild_index();
}

} // namespace fimlsp::server
