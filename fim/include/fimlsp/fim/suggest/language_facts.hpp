#pragma once
// What the clean-up needs to know about a language, by LSP languageId: one table
// (language_facts.cpp), so that a rule never tests a language by name. An unknown language gets
// the fallback: brackets and indentation, C-like and shell-like comments and strings.
#include <span>
#include <string_view>

namespace fimlsp::fim {

struct LanguageFacts {
  std::string_view id;                          // the LSP languageId ("" for the fallback)
  std::span<const std::string_view> aliases;    // other languageIds and fence tags naming it
  std::span<const std::string_view> extensions; // file name endings, for `fim-lsp complete`
  std::span<const std::string_view> line_comments;
  std::string_view block_comment_open, block_comment_close;
  std::string_view quotes;     // string delimiters (a doubled-up """ is one)
  bool char_literals = false;  // ' quotes one character: 'a' is no string start
  bool raw_strings = false;    // Rust r#"..."#, C++ R"x(...)x"
  bool regex_literals = false; // JavaScript /.../ after an operator
  bool heredocs = false;       // <<EOF ... EOF (shell, Ruby, Perl, PHP)
  // How a block ends: a closing bracket, a line less indented than the block, a line that starts
  // with a closing keyword, a closing tag. Markup counts tags and no brackets.
  bool brackets = true, indentation = true, markup = false;
  std::span<const std::string_view> closing_keywords;      // end, fi, done, esac
  std::span<const std::string_view> continuation_keywords; // else, elif, except, rescue…
  std::span<const std::string_view> header_endings;        // a line ending so opens a block
  std::span<const std::string_view> header_starts;         // …or starting so: def, function
  bool fences_are_content = false;                         // Markdown: ``` is the document's own
};

// The facts for a languageId (or one of its aliases); the fallback when unknown.
const LanguageFacts& language_facts(std::string_view language_id);

// The languageId for a file name by its extension ("" when unknown), for `fim-lsp complete`.
std::string_view language_for_path(std::string_view path);

// Whether a fence tag (```tag) names the language.
bool names_language(const LanguageFacts& facts, std::string_view tag);

} // namespace fimlsp::fim
