#pragma once
// One suggestion from streamed pieces to the text the editor shows: the head filters on its
// start, the stop rules while it streams, then the clean-up filters, any of which may end the
// stream early. The server's engine and `fim-lsp complete` both use it (built by make_pipeline
// in plan.hpp), so they cannot disagree.
#include "fimlsp/fim/suggest/filter.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

class SuggestionPipeline {
public:
  SuggestionPipeline(StopRules rules, std::string prefix, std::string suffix, std::string line_after,
                     std::string language_id = {});

  // Returns true once the suggestion is complete (the stream can be closed at once): a stop rule
  // or a filter decided that nothing more can change it. Costs the piece, plus one look at the
  // text so far when the piece completes a line (at most maxLines times).
  bool append(std::string_view piece);
  bool complete() const { return nothing_ || ended_early_ || builder_.complete(); }
  // The text streamed so far that the head filters and stop rules let through, before the
  // clean-up ("" while the head filters are still deciding how it starts).
  std::string_view streamed() const { return builder_.text(); }
  // How much of streamed() the final text is sure to start with, whatever still arrives: what
  // may be shown before the end. Conservative: 0 while any filter may still change the text.
  std::size_t stable_prefix();

  // At the end of the stream: the held-back tail becomes text and the clean-up runs.
  void finish();
  bool finished() const { return finished_; }
  // The final text after finish() ("" when there is nothing to show).
  const std::string& text() const { return text_; }

private:
  // Owns the texts the filters' context views; on the heap so that the pipeline can move.
  struct Texts {
    Texts(std::string p, std::string s, std::string l, std::string lang);
    std::string prefix, suffix, line_after, language_id;
    FilterContext ctx;
  };
  struct Progress {
    std::size_t seen = 0, kept = 0; // what Filter::keeps saw and answered last
  };

  bool decide_head(bool ended);
  void feed(std::string_view piece);

  SuggestionBuilder builder_;
  std::unique_ptr<const Texts> texts_;
  std::string head_;                          // the stream's start, until the head filters decide
  std::vector<std::optional<HeadCut>> heads_; // their decisions, in head_filters() order
  bool head_done_ = false, nothing_ = false, ended_early_ = false;
  std::size_t lines_seen_ = 0;     // streamed() bytes the ends hooks have seen
  std::vector<Progress> progress_; // per filter, in clean_up_filters() order
  std::string text_;
  bool finished_ = false;
};

} // namespace fimlsp::fim
