#pragma once
#include "fimlsp/fim/engine.hpp"
#include "fimlsp/server/text_buffer.hpp"

namespace fimlsp::server {

// Cuts the text at byte `cursor` into the prompt's prefix and suffix (within the budget, on line
// boundaries nearest the cursor). Copies only the budget's worth of text, never the document.
fim::CompletionInput cut_at_cursor(const TextBuffer& text, std::size_t cursor,
                                   const fim::ContextSettings& budget, std::string document);
// The cut cut_at_cursor would make at the end of `inserted` once it is inserted at `cursor` (a
// suggestion accepted), without changing or copying the document.
fim::CompletionInput cut_after_insert(const TextBuffer& text, std::size_t cursor, std::string_view inserted,
                                      const fim::ContextSettings& budget, std::string document);

} // namespace fimlsp::server
