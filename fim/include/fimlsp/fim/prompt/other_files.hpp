#pragma once
// Other files in the prompt: snippets of the open and imported files, rendered per model family.
#include "fimlsp/fim/prompt/templates.hpp"
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

struct Snippet {
  std::string path; // relative to the workspace root, '/'-separated
  std::string text; // whole lines, each ending in '\n'
};

struct OtherFiles {
  std::string repo;              // the workspace's name (its root directory's name)
  std::string path;              // the current file, relative to the root
  std::string language;          // the current file's languageId: the comment syntax
  std::vector<Snippet> snippets; // in prompt order, the most relevant last (nearest the cursor)
  std::uint64_t fingerprint = 0; // of everything above when there are snippets, else 0
};

// The fingerprint the typed-ahead cache and in-flight reuse key on.
std::uint64_t fingerprint_of(const OtherFiles& other);

// How a line comment is written in a language (by languageId, else by the path's extension):
// the snippets' form for families without repository tokens.
struct CommentStyle {
  std::string_view open;  // "// "
  std::string_view close; // "" or " */"
};
CommentStyle comment_style(std::string_view language_id, std::string_view path);

// With no snippets, exactly render_prompt(t, prefix, suffix). Otherwise the template's repository
// form, or for families without one the snippets as comments at the top of the prefix
// ("// Path: src/tax.ts" then each line commented).
std::string render_prompt(const FimTemplate& t, std::string_view prefix, std::string_view suffix,
                          const OtherFiles& other);

// What the other files add to a prompt besides their paths and text, in code points: once
// (repository header, the current file's path line), per file, per line (comment markers).
struct SnippetCost {
  std::size_t fixed = 0, per_file = 0, per_line = 0;
};
// For `t`, with other.repo, other.path and other.language as they will be rendered (the larger
// of the forms with and without a suffix).
SnippetCost snippet_cost(const FimTemplate& t, const OtherFiles& other);

// The comment block that stands before the prefix for families without repository tokens
// ("" with no snippets): for providers that send the prefix on its own.
std::string commented_snippets(const OtherFiles& other);

} // namespace fimlsp::fim
