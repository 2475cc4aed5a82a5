#include "fimlsp/server/cursor_context.hpp"
#include "fimlsp/fim/prompt/context.hpp"

namespace fimlsp::server {

namespace {

// A code point is at most 4 bytes: a window of 4 * budget + 4 bytes holds the budget plus the
// byte that tells trim_prefix/trim_suffix whether the window was cut.
std::size_t window(std::size_t chars) {
  return 4 * chars + 4;
}

fim::CompletionInput cut(std::string_view before, std::string_view after, const fim::ContextSettings& budget,
                         std::string document) {
  fim::CompletionInput in;
  in.document = std::move(document);
  in.prefix = fim::trim_prefix(before, budget.maxPrefixChars);
  in.suffix = fim::trim_suffix(after, budget.maxSuffixChars);
  // The rest of the cursor's line as far as the suffix window reaches (a minified file's line
  // is megabytes): that is all the stop rules and the clean-up look at.
  std::string_view line = after;
  if (const auto nl = line.find('\n'); nl != std::string_view::npos) {
    line = line.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
  } else {
    line = fim::trim_suffix(line, line.size()); // no code point cut in two at the window's end
  }
  in.line_after = line;
  return in;
}

} // namespace

fim::CompletionInput cut_at_cursor(const TextBuffer& text, std::size_t cursor,
                                   const fim::ContextSettings& budget, std::string document) {
  const std::size_t before_bytes = std::min(cursor, window(budget.maxPrefixChars));
  return cut(text.substr(cursor - before_bytes, before_bytes),
             text.substr(cursor, window(budget.maxSuffixChars)), budget, std::move(document));
}

fim::CompletionInput cut_after_insert(const TextBuffer& text, std::size_t cursor, std::string_view inserted,
                                      const fim::ContextSettings& budget, std::string document) {
  // The window before the new cursor: the end of the old one, then the inserted text.
  const std::size_t wanted = window(budget.maxPrefixChars);
  const std::size_t old_bytes = std::min(cursor, wanted - std::min(wanted, inserted.size()));
  std::string before = text.substr(cursor - old_bytes, old_bytes);
  before += inserted.substr(inserted.size() - std::min(inserted.size(), wanted));
  return cut(before, text.substr(cursor, window(budget.maxSuffixChars)), budget, std::move(document));
}

} // namespace fimlsp::server
