#include "fimlsp/server/documents.hpp"
#include <algorithm>

namespace fimlsp::server {

namespace {

bool after(protocol::Position a, protocol::Position b) {
  return a.line != b.line ? a.line > b.line : a.character > b.character;
}

std::string describe(protocol::Position p) {
  return std::to_string(p.line) + ":" + std::to_string(p.character);
}

} // namespace

std::size_t offset_of(const TextBuffer& text, protocol::Position p, PositionEncoding e) {
  if (p.line >= text.line_count()) return text.size();
  const std::size_t start = text.line_start(p.line);
  const std::size_t length = text.line_end(p.line) - start;
  // A code unit is at most 4 bytes, so 4 * character bytes reach the position (plus slack for
  // the code point it may land in): a huge one-line file is not copied whole.
  const std::size_t window = std::min<std::size_t>(length, 4 * static_cast<std::size_t>(p.character) + 4);
  return start + byte_offset_in_line(text.substr(start, window), p.character, e);
}

protocol::Position position_of(const TextBuffer& text, std::size_t offset, PositionEncoding e) {
  offset = std::min(offset, text.size());
  const std::size_t line = text.line_of(offset);
  const std::size_t start = text.line_start(line);
  const std::size_t end = text.line_end(line);
  offset = std::min(offset, end); // between "\r" and "\n": the line's end
  // Three bytes past the offset, so that a code point the offset splits still decodes as one.
  const std::string content = text.substr(start, std::min(end, offset + 3) - start);
  return {static_cast<std::uint32_t>(line),
          static_cast<std::uint32_t>(character_of(content, offset - start, e))};
}

void DocumentStore::open(const protocol::TextDocumentItem& item) {
  Document& doc = docs_[item.uri];
  total_bytes_ -= doc.text.size();
  doc.text = TextBuffer(item.text);
  total_bytes_ += doc.text.size();
  doc.version = item.version;
  doc.languageId = item.languageId;
}

std::optional<std::string> DocumentStore::change(const protocol::DidChangeTextDocumentParams& params) {
  const auto it = docs_.find(params.uri);
  if (it == docs_.end()) return "unknown document: " + params.uri;
  // Positions clamp to the document, so the only impossible range is one whose start is after
  // its end, and that does not depend on the text: checking every change first makes a
  // didChange all-or-nothing without copying the document.
  for (std::size_t i = 0; i < params.contentChanges.size(); ++i) {
    const auto& range = params.contentChanges[i].range;
    if (range && after(range->start, range->end))
      return "contentChanges[" + std::to_string(i) + "]: range start " + describe(range->start) +
             " is after its end " + describe(range->end);
  }
  Document& doc = it->second;
  total_bytes_ -= doc.text.size();
  for (const auto& change : params.contentChanges) {
    if (!change.range) {
      doc.text = TextBuffer(change.text);
      continue;
    }
    const std::size_t start = offset_of(doc.text, change.range->start, encoding_);
    const std::size_t end = offset_of(doc.text, change.range->end, encoding_);
    doc.text.replace(start, end - start, change.text);
  }
  total_bytes_ += doc.text.size();
  if (params.version) doc.version = *params.version;
  return std::nullopt;
}

bool DocumentStore::close(const std::string& uri) {
  const auto it = docs_.find(uri);
  if (it == docs_.end()) return false;
  total_bytes_ -= it->second.text.size();
  docs_.erase(it);
  return true;
}

const Document* DocumentStore::find(const std::string& uri) const {
  const auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : &it->second;
}

} // namespace fimlsp::server
