#pragma once
// Open documents, kept in sync by didOpen/didChange/didClose (sync kind Incremental).
#include "fimlsp/protocol/lsp_types.hpp"
#include "fimlsp/server/position_encoding.hpp"
#include "fimlsp/server/text_buffer.hpp"
#include <optional>
#include <string>
#include <unordered_map>

namespace fimlsp::server {

struct Document {
  TextBuffer text;
  std::int64_t version = 0;
  std::string languageId;
};

// Byte offset of `p`: a character past the end of its line is the line's end; a line past the
// end of the document is the document's end.
std::size_t offset_of(const TextBuffer& text, protocol::Position p, PositionEncoding e);
protocol::Position position_of(const TextBuffer& text, std::size_t offset, PositionEncoding e);

class DocumentStore {
public:
  explicit DocumentStore(PositionEncoding e = PositionEncoding::Utf16) : encoding_(e) {}
  void set_encoding(PositionEncoding e) { encoding_ = e; }
  PositionEncoding encoding() const { return encoding_; }

  void open(const protocol::TextDocumentItem& item); // reopening replaces
  // Applies the changes in order. Returns an error message for an unknown URI or an impossible
  // range (start after end); then no change is applied (positions otherwise clamp, see offset_of).
  std::optional<std::string> change(const protocol::DidChangeTextDocumentParams& params);
  bool close(const std::string& uri);

  const Document* find(const std::string& uri) const;
  std::size_t size() const { return docs_.size(); }
  std::size_t total_bytes() const { return total_bytes_; } // of every open document's text

private:
  PositionEncoding encoding_;
  std::unordered_map<std::string, Document> docs_;
  std::size_t total_bytes_ = 0;
};

} // namespace fimlsp::server
