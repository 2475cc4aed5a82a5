#pragma once
// The clean-up of a finished suggestion: an ordered list of small filters (clean_up.cpp holds the
// order, fim/src/suggest/filters/ one file per filter). A new filter is a new file, its
// declaration below and its place in the order.
#include <cstddef>
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
  std::string_view language_id; // the document's languageId; "" while documents do not carry it
  // The suffix's non-blank lines after the cursor's line, without indentation: what a suggestion
  // that writes past its hole repeats.
  std::vector<std::string_view> next_lines;
};

struct Filter {
  std::string_view name;
  // Rewrites the finished suggestion in place; "" when nothing worth showing remains.
  void (*apply)(std::string& text, const FilterContext& ctx);
  // While streaming (may be null: then nothing is shown before the end): a length n such that,
  // whatever text follows `text`, apply() leaves text[0, n) in place. Called as `text` grows; the
  // previous call saw `seen` bytes and answered `kept` (0, 0 at first), so only text[seen, end)
  // is new: an answer costs the new text, not the whole suggestion. Be conservative.
  std::size_t (*keeps)(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx);
};

// The filters, one file each in fim/src/suggest/filters/.
namespace filters {
extern const Filter trailing_whitespace; // trailing spaces and newlines
extern const Filter line_after_repeat;   // a tail repeating the text after the cursor on its line
extern const Filter suffix_lines_repeat; // trailing lines repeating the lines after the cursor
extern const Filter whitespace_only;     // nothing visible: nothing to show
} // namespace filters

// The filters in the order they run (clean_up.cpp says why this order).
std::span<const Filter* const> clean_up_filters();

// Runs every filter in order; "" when nothing worth showing remains.
std::string clean_suggestion(std::string_view text, const FilterContext& ctx);

} // namespace fimlsp::fim
