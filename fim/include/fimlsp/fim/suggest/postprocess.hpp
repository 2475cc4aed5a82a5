#pragma once
// Stop rules applied while streaming (the clean-up of a finished suggestion is in filter.hpp;
// pipeline.hpp puts both together).
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

struct StopRules {
  bool single_line = false;       // text after the cursor on its line: end at the first newline
  int max_lines = 10;             // otherwise at most this many lines
  std::vector<std::string> stops; // template stop tokens + the user's stop strings
};

// Accumulates streamed text; a stop string split across pieces is still found. A piece costs its
// own size (plus the held-back tail), not the size of the text so far.
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
  // One more stop string, before any text arrives (a head filter's: a closing fence).
  void add_stop(std::string stop);

private:
  void commit(std::size_t to);

  StopRules rules_;
  std::size_t longest_stop_ = 0;
  std::string buf_;
  std::size_t committed_ = 0;
  int newlines_ = 0; // in buf_[0, committed_)
  bool complete_ = false;
};

// The clean-up (filter.hpp) for a suggestion at a cursor known only by the rest of its line and
// the suffix. Returns "" when nothing worth showing remains.
std::string clean_suggestion(std::string_view text, std::string_view line_after_cursor,
                             std::string_view suffix);

} // namespace fimlsp::fim
