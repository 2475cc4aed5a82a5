#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/fim/prompt/context.hpp"

namespace fimlsp::server {

fim::CompletionInput cut_at_cursor(const TextBuffer& text, std::size_t cursor,
                                   const fim::ContextSettings& budget, std::string document) {
  // A code point is at most 4 bytes: a window of 4 * budget + 4 bytes holds the budget plus the
  // byte that tells trim_prefix/trim_suffix whether the window was cut.
  const std::size_t before_bytes = std::min(cursor, 4 * budget.maxPrefixChars + 4);
  const std::string before = text.substr(cursor - before_bytes, before_bytes);
  const std::string after = text.substr(cursor, 4 * budget.maxSuffixChars + 4);
  const std::size_t line_end = text.line_end(text.line_of(cursor));

  fim::CompletionInput in;
  in.document = std::move(document);
  in.prefix = fim::trim_prefix(before, budget.maxPrefixChars);
  in.suffix = fim::trim_suffix(after, budget.maxSuffixChars);
  in.line_after = text.substr(cursor, line_end > cursor ? line_end - cursor : 0);
  return in;
}

} // namespace fimlsp::server
