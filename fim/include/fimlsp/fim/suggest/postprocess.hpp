#pragma once
// Stop rules applied while streaming, and the clean-up of a finished suggestion.
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

struct StopRules {
  bool single_line = false;       // text after the cursor on its line: end at the first newline
  int max_lines = 10;             // otherwise at most this many lines
  std::vector<std::string> stops; // template stop tokens + the user's stop strings
};

// Accumulates streamed text; a stop string split across pieces is still found.
class SuggestionBuilder {
public:
  explicit SuggestionBuilder(StopRules rules);
  // Returns true once the suggestion is complete: nothing more is needed from the stream.
  bool append(std::string_view piece);
  bool complete() const { return complete_; }
  // Text so far, without a tail that may still turn out to start a stop string.
  std::string_view text() const;
  // At the end of the stream: everything held back becomes text.
  void finish();

private:
  StopRules rules_;
  std::string buf_;
  std::size_t committed_ = 0;
  bool complete_ = false;
};

// Final clean-up: trailing whitespace removed; a tail repeating the text after the cursor on
// its line, or whole trailing lines repeating the next lines of `suffix`, removed.
// Returns "" when nothing worth showing remains.
std::string clean_suggestion(std::string_view text, std::string_view line_after_cursor,
                             std::string_view suffix);

} // namespace fimlsp::fim
