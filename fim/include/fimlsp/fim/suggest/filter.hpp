#pragma once
// The clean-up of a suggestion: small named filters (fim/src/suggest/filters/, one file each),
// run in the order clean_up.cpp gives and explains. Head filters decide how the suggestion
// starts while it streams, before the stop rules see it; the filters after the stop rules only
// ever cut the text's end, so each can say early that the rest of the stream does not matter.
#include "fimlsp/fim/suggest/language_facts.hpp"
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fimlsp::fim {

// What a filter knows about the text around the cursor. Views: the texts outlive the context.
struct FilterContext {
  FilterContext(std::string_view prefix, std::string_view suffix, std::string_view line_after,
                std::string_view language_id = {});

  std::string_view prefix;      // text before the cursor (within the budget)
  std::string_view suffix;      // text after the cursor (within the budget)
  std::string_view line_after;  // the rest of the cursor's line
  std::string_view line_before; // the cursor's line up to the cursor
  std::string_view language_id; // the document's languageId ("" when unknown)
  const LanguageFacts* facts;   // language_facts(language_id)
  // The suffix's first non-blank lines after the cursor's line, without trailing white space: what
  // a suggestion that writes past its hole repeats.
  std::vector<std::string_view> next_lines;
};

// How a head filter wants the suggestion to start.
struct HeadCut {
  std::size_t drop = 0;  // bytes to drop from the start of the stream
  std::string_view stop; // one more stop string from here on ("" = none)
  bool nothing = false;  // nothing follows that is worth showing
};

struct HeadFilter {
  std::string_view name;
  // Given the start of the stream (it grows; `ended` once the stream is over): the decision, or
  // nullopt while the start is too short to tell. Called with at most a line or two.
  std::optional<HeadCut> (*decide)(std::string_view head, bool ended, const FilterContext& ctx);
};

struct Filter {
  std::string_view name;
  // Cuts the finished suggestion's end in place (to "" when nothing worth showing remains).
  void (*apply)(std::string& text, const FilterContext& ctx);
  // While streaming (may be null: then nothing is shown before the end): a length n such that,
  // whatever text follows `text`, apply() leaves text[0, n) in place. Called as `text` grows; the
  // previous call saw `seen` bytes and answered `kept` (0, 0 at first), so only text[seen, end)
  // is new. Be conservative.
  std::size_t (*keeps)(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx);
  // While streaming (may be null): a length n such that, whatever text follows `text`, apply()
  // keeps at most text[0, n): then the stream can end now. npos while undecided. Called when a
  // piece completes a line.
  std::size_t (*ends)(std::string_view text, const FilterContext& ctx);
};

// The filters, one file each in fim/src/suggest/filters/.
namespace filters {
extern const HeadFilter fence;           // a chat-style ``` fence around the code
extern const HeadFilter prefix_seam;     // the start of the line, the typed word, a space repeated
extern const Filter trailing_whitespace; // trailing spaces and newlines
extern const Filter degenerate_loop;     // a line or group of lines repeated to the end
extern const Filter block_end;           // the block the cursor is in has ended
extern const Filter suffix_lines_repeat; // lines repeating the lines after the cursor
extern const Filter suffix_overlap;      // a tail repeating the start of the text after the cursor
extern const Filter line_after_repeat;   // a tail repeating the text after the cursor on its line
extern const Filter whitespace_only;     // nothing visible: nothing to show
} // namespace filters

// The filters in the order they run (clean_up.cpp says why this order).
std::span<const HeadFilter* const> head_filters();
std::span<const Filter* const> clean_up_filters();

// Runs every filter in order on a finished suggestion; "" when nothing worth showing remains.
std::string clean_suggestion(std::string_view text, const FilterContext& ctx);

} // namespace fimlsp::fim
