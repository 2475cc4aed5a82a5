// textDocument/inlineCompletion (ghost text) and textDocument/completion (a popup item for
// clients without inline completion), both answered by the same engine.
#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/server/language_server.hpp"
#include "fimlsp/server/logging.hpp"
#include <algorithm>
#include <boost/json.hpp>

namespace fimlsp::server {

namespace {

bool is_word_byte(unsigned char c) {
  return c == '_' || c >= 0x80 || std::isalnum(c);
}

// The word right before the cursor on its line: what popup clients filter by.
std::size_t word_start(const TextBuffer& text, std::size_t cursor) {
  const std::size_t line_start = text.line_start(text.line_of(cursor));
  const std::string line = text.substr(line_start, cursor - line_start);
  std::size_t i = line.size();
  while (i > 0 && is_word_byte(static_cast<unsigned char>(line[i - 1])))
    --i;
  return line_start + i;
}

// The popup's label: the suggestion's first line that has something to show.
std::string label_of(const std::string& s) {
  std::size_t start = s.find_first_not_of(" \t\r\n");
  start = start == std::string::npos ? 0 : s.rfind('\n', start) + 1;
  return s.substr(start, s.find('\n', start) - start);
}

} // namespace

void LanguageServer::ask_engine(const Reply& reply, const std::string& uri, protocol::Position position,
                                const protocol::SelectedCompletionInfo* selected, Answer answer) {
  if (kept_out_.contains(uri)) return answer(nullptr, 0, ""); // past context.maxOpenBytes: nothing
  if (!documents_.find(uri)) return reply.error(ErrorCode::InvalidParams, "document not open: " + uri);
  other_files_.touched(uri, false);
  // Usually at once; the first request after an import appears waits for the worker's read.
  std::optional<protocol::SelectedCompletionInfo> chosen;
  if (selected) chosen = *selected;
  const auto edits = other_files_.edits(uri);
  other_files_.prepare(documents_, uri, [this, reply, uri, position, chosen, answer, edits] {
    if (reply.answered()) return;
    if (!documents_.find(uri) || other_files_.edits(uri) != edits) return answer(nullptr, 0, ""); // stale
    ask_engine_now(reply, uri, position, chosen ? &*chosen : nullptr, answer);
  });
}

void LanguageServer::ask_engine_now(const Reply& reply, const std::string& uri, protocol::Position position,
                                    const protocol::SelectedCompletionInfo* selected, Answer answer) {
  const Document* doc = documents_.find(uri);
  if (!doc) return reply.error(ErrorCode::InvalidParams, "document not open: " + uri);
  if (position.line >= doc->text.line_count())
    return reply.error(ErrorCode::InvalidParams, "position.line " + std::to_string(position.line) +
                                                     " is past the end of " + uri + " (" +
                                                     std::to_string(doc->text.line_count()) + " lines)");
  const std::size_t cursor = offset_of(doc->text, position, documents_.encoding());
  fim::CompletionInput input = cut_at_cursor(doc->text, cursor, settings_.context, uri);
  input.language_id = doc->languageId;
  if (selected) {
    // A popup item is selected (VS Code): complete as if it were accepted, replacing its range.
    const std::size_t start =
        std::min(cursor, offset_of(doc->text, selected->range.start, documents_.encoding()));
    const std::string replaced = doc->text.substr(start, cursor - start);
    if (input.prefix.ends_with(replaced)) input.prefix.resize(input.prefix.size() - replaced.size());
    input.prefix += selected->text;
  }
  input.other_files = other_files_.build(documents_, uri, position.line,
                                         OtherFilesContext::around_cursor(input.prefix, input.suffix));
  auto ticket =
      engine_.complete(std::move(input), [this, uri, cursor, line = position.line, plain = !selected,
                                          answer = std::move(answer)](fim::Completion c) {
        // Any edit answers a request first, so a document still open is the one
        // the request saw. Every empty reason is answered with no items.
        const Document* d = documents_.find(uri);
        if (!d) c.text.clear();
        const std::string shown = plain && d ? c.text : std::string();
        answer(d, cursor, std::move(c.text));
        if (!shown.empty()) prefetch_after(uri, *d, cursor, line, shown);
      });
  reply.on_cancel([this, ticket] { engine_.cancel(ticket); });
}

void LanguageServer::prefetch_after(const std::string& uri, const Document& doc, std::size_t cursor,
                                    std::uint32_t line, const std::string& suggestion) {
  if (!engine_.prefetch_enabled()) return;
  // The request the editor makes once the suggestion is accepted, made now.
  fim::CompletionInput next = cut_after_insert(doc.text, cursor, suggestion, settings_.context, uri);
  next.language_id = doc.languageId;
  const auto newlines = static_cast<std::size_t>(std::count(suggestion.begin(), suggestion.end(), '\n'));
  next.other_files = other_files_.build(documents_, uri, line + newlines,
                                        OtherFilesContext::around_cursor(next.prefix, next.suffix));
  prefetched_[uri] = {cursor, suggestion, 0};
  engine_.prefetch(std::move(next));
}

// Whether `params` goes on accepting the suggestion a prefetch follows: one change that ends at
// the part not yet accepted and inserts more of it (after what it replaced, for an editor that
// rewrites the word before the cursor). Whole, by line or by word: any prefix counts.
bool LanguageServer::follows_suggestion(Prefetched& p,
                                        const protocol::DidChangeTextDocumentParams& params) const {
  const Document* doc = documents_.find(params.uri);
  if (!doc || params.contentChanges.size() != 1 || !params.contentChanges[0].range) return false;
  const auto& change = params.contentChanges[0];
  const std::size_t start = offset_of(doc->text, change.range->start, documents_.encoding());
  const std::size_t end = offset_of(doc->text, change.range->end, documents_.encoding());
  if (end != p.cursor + p.accepted || start > end) return false;
  const std::string replaced = doc->text.substr(start, end - start);
  if (!change.text.starts_with(replaced)) return false;
  const std::string_view added = std::string_view(change.text).substr(replaced.size());
  if (added.empty() || !std::string_view(p.suggestion).substr(p.accepted).starts_with(added)) return false;
  p.accepted += added.size();
  return true;
}

// With selectedCompletionInfo the item must extend the selected popup item and replace its range.
void LanguageServer::inline_completion(protocol::InlineCompletionParams params, Reply reply) {
  const auto selected = params.selectedCompletionInfo;
  ask_engine(reply, params.uri, params.position, selected ? &*selected : nullptr,
             [this, reply, selected](const Document* doc, std::size_t cursor, std::string suggestion) {
               protocol::InlineCompletionList list;
               if (!suggestion.empty() && selected) {
                 list.items.push_back({selected->text + suggestion, selected->range});
               } else if (!suggestion.empty()) {
                 // The cursor the request was made at: clients that place a range-less item at
                 // the cursor of the moment the reply arrives (Neovim 0.12) cannot misplace it.
                 const auto at = position_of(doc->text, cursor, documents_.encoding());
                 list.items.push_back({std::move(suggestion), protocol::Range{at, at}});
               }
               reply.result(protocol::to_json(list));
             });
}

// One item that works across Helix, eglot, Neovim and Kate (REFERENCE.md): label = first line,
// filterText = the word before the cursor, a textEdit over that word with word + suggestion.
// isIncomplete makes clients ask again as the user types instead of filtering a stale item.
void LanguageServer::completion(protocol::CompletionParams params, Reply reply) {
  ask_engine(reply, params.uri, params.position, nullptr,
             [this, reply](const Document* doc, std::size_t cursor, std::string suggestion) {
               protocol::CompletionList list{.isIncomplete = true};
               if (!suggestion.empty()) {
                 const std::size_t start = word_start(doc->text, cursor);
                 const std::string word = doc->text.substr(start, cursor - start);
                 const std::string new_text = word + suggestion;
                 const protocol::Range range{position_of(doc->text, start, documents_.encoding()),
                                             position_of(doc->text, cursor, documents_.encoding())};
                 list.items.push_back({.label = label_of(suggestion),
                                       .detail = "fim-lsp",
                                       .documentation = new_text,
                                       .filterText = word,
                                       .sortText = "0",
                                       .preselect = true,
                                       .insertText = new_text,
                                       .textEdit = protocol::TextEdit{range, new_text}});
               }
               reply.result(protocol::to_json(list));
             });
}

} // namespace fimlsp::server
