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

} // namespace fimlsp::server
