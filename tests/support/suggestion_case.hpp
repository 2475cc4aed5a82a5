#pragma once
// The golden suggestion corpus (tests/fim/suggestions/, format in its README), read for the
// engine's corpus test and the end-to-end one through the real binary.
#include "fimlsp/fim/settings.hpp"
#include <filesystem>
#include <string>
#include <vector>

namespace fimlsp::test {

inline constexpr std::string_view kCursorMarker = "<|cursor|>";

struct SuggestionCase {
  std::filesystem::path file;
  std::string category, language, settings, document, model, show;
  std::vector<std::string> chunks; // the model text as the pieces it streams in
  std::string error;               // non-empty: the file breaks the format

  std::string prefix() const { return document.substr(0, document.find(kCursorMarker)); }
  std::string suffix() const { return document.substr(document.find(kCursorMarker) + kCursorMarker.size()); }
  std::string model_text() const; // the chunks joined
  std::string name() const;       // category/file, for messages
  // The defaults with the case's `@@ settings` applied; nullopt (and `why`) when refused.
  std::optional<fim::Settings> settings_applied(std::string& why) const;
};

SuggestionCase read_suggestion_case(const std::filesystem::path& file);

// The repository's corpus, or the directory FIM_SUGGESTION_CORPUS names, sorted by path.
std::filesystem::path suggestion_corpus_dir();
std::vector<SuggestionCase> load_suggestion_corpus();

// Text with white space made visible, for failure messages (· space, → tab, ⏎ newline).
std::string visible_whitespace(std::string_view s);

} // namespace fimlsp::test
