#pragma once
// The prompt's other-file context for a request: the other open documents (most recently edited
// or focused first) and the files the current one imports, resolved under the workspace root
// (open, or read from disk off the io thread into fim::SourceIndex), ranked and cut to
// context.maxOtherChars. The context of a document stays the same while only that document is
// edited near the same place, so that typing through a suggestion keeps hitting the cache.
#include "fimlsp/fim/context/source_index.hpp"
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/settings.hpp"
#include "fimlsp/server/documents.hpp"
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fimlsp::server {

class OtherFilesContext {
public:
  explicit OtherFilesContext(boost::asio::any_io_executor ex);

  // From initialize: workspaceFolders, else rootUri, else rootPath (absolute paths). With none,
  // each file's own directory is its root.
  void set_roots(std::vector<std::string> roots);
  // `template_name`: the prompt's format, which the budget counts in (fim::snippet_cost).
  void configure(const fim::ContextSettings& settings, const std::string& template_name = "qwen");

  // didOpen / didChange (edited) or a completion request (focused).
  void touched(const std::string& uri, bool edited);
  void closed(const std::string& uri);
  // didSave, workspace/didChangeWatchedFiles: what was read of it from disk is read again;
  // `created_or_deleted`: imports are resolved again too.
  void file_changed(const std::string& uri, bool created_or_deleted);
  // Edits seen for `uri`: a request that waited for the disk checks nothing changed meanwhile.
  std::uint64_t edits(const std::string& uri) const;

  // Calls `then` once what a request for `uri` needs from disk is indexed: before returning when
  // it is already (the usual case), else on the io thread after the worker read it.
  void prepare(const DocumentStore& docs, const std::string& uri, std::function<void()> then);
  // The context for a request in `uri` at `cursor_line`, `around` being the text around the cursor.
  fim::OtherFiles build(const DocumentStore& docs, const std::string& uri, std::size_t cursor_line,
                        std::string_view around);

  // The lines around the cursor that the other files are ranked against.
  static std::string around_cursor(std::string_view prefix, std::string_view suffix);

  static constexpr std::size_t kMaxOpenSources = 32;   // most recent first
  static constexpr std::size_t kStableLines = 40;      // the context is kept within this many lines
  static constexpr std::size_t kImportHead = 64 << 10; // imports are looked for in this many first bytes

private:
  struct Place {
    std::string root, relative;
  };
  std::optional<Place> place_of(const std::string& uri) const;
  struct Imports {
    std::uint64_t edits = ~std::uint64_t{0};
    std::string language;
    fim::ImportCandidates found;      // as the text says
    fim::ImportCandidates candidates; // without excluded paths
  };
  const Imports& imports_of(const DocumentStore& docs, const std::string& uri, const Place& place);
  void prepare_round(const DocumentStore& docs, const std::string& uri, std::function<void()> then,
                     int round);
  std::shared_ptr<const fim::IndexedText> open_text(const Document& doc, const std::string& uri);
  // context.exclude for a path relative to the root, remembered until the settings change.
  bool excluded(const std::string& relative);

  fim::SourceIndex index_;
  fim::ContextSettings settings_;
  std::string template_ = "qwen";
  std::vector<std::string> roots_;
  std::uint64_t tick_ = 0;
  struct Seen {
    std::uint64_t last = 0;  // tick of the last edit or focus
    std::uint64_t edits = 0; // edits so far
  };
  std::unordered_map<std::string, Seen> seen_;
  std::unordered_map<std::string, Imports> imports_;
  std::unordered_map<std::string, bool> excluded_;
  struct OpenText {
    std::uint64_t edits = 0;
    std::shared_ptr<const fim::IndexedText> text;
  };
  std::unordered_map<std::string, OpenText> open_texts_;
  struct Frozen {
    std::uint64_t sources = 0; // fingerprint of the sources and their versions
    std::size_t line = 0;
    fim::OtherFiles result;
  };
  std::unordered_map<std::string, Frozen> frozen_;
};

} // namespace fimlsp::server
