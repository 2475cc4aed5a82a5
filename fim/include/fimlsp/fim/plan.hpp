#pragma once
// The completion plan: everything one request needs, built in one place from the settings and
// the text around the cursor, so that the server and `fim-lsp complete` cannot disagree.
#include "fimlsp/fim/prompt/other_files.hpp"
#include "fimlsp/fim/settings.hpp"
#include "fimlsp/fim/suggest/pipeline.hpp"
#include <string>

namespace fimlsp::fim {

// The text around the cursor, already cut to the budget.
struct CompletionInput {
  std::string document;    // the document it belongs to (a newer request for it supersedes)
  std::string prefix;      // text before the cursor, trimmed to the budget
  std::string suffix;      // text after the cursor, trimmed to the budget
  std::string line_after;  // the rest of the cursor's line, at most the suffix window (4 bytes a char)
  std::string language_id; // the document's LSP languageId ("" when unknown): the clean-up's rules
  OtherFiles other_files;  // snippets of other files, cut to context.maxOtherChars (none: as before)
};

struct CompletionPlan {
  std::string prefix, suffix, line_after, language_id;
  std::string prompt;     // the template-rendered FIM prompt, for providers that take one
  OtherFiles other_files; // already in `prompt`; for providers that send other files apart
  StopRules rules;        // template and user stop strings, the single-line rule, maxLines
  std::string model;
  RequestSettings request; // the seed's parameters; each provider maps them to its own names
  bool prefetch = false;   // asked ahead of the user: sent on a connection of its own
};

// Whether the rest of the line holds anything but white space: then the suggestion is one line.
bool has_visible_text(std::string_view s);

// An unknown template falls back to "qwen" (settings validation refuses unknown names).
CompletionPlan make_plan(const Settings& settings, const CompletionInput& input);

// The plan's stop rules and clean-up, for the text streamed for it.
SuggestionPipeline make_pipeline(const CompletionPlan& plan);

} // namespace fimlsp::fim
