// The clean-up's order, and the context every filter reads.
#include "filters/filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include <array>

namespace fimlsp::fim {

namespace {

// The fence goes before the seam is judged: the echo is inside the fence.
constexpr std::array<const HeadFilter*, 2> kHead{&filters::fence, &filters::prefix_seam};

// Every filter only cuts the end of what the one before left. Order matters:
// - trailing white space first, so that the others compare visible text;
// - a degenerate loop is cut while it still reaches the end of the streamed text (a cut made
//   before would hide it);
// - the block's end before the repeat rules: a closing line is judged by the block rule, and
//   what follows the block never reaches the rules below;
// - lines repeating the document after the cursor, then a tail overlapping its start (on the
//   cursor's line or the next line), then the rest of the cursor's line repeated whole;
// - whitespace_only last, on what the others left.
constexpr std::array<const Filter*, 8> kOrder{
    &filters::trailing_whitespace, &filters::degenerate_loop, &filters::block_end,
    &filters::suffix_lines_repeat, &filters::suffix_overlap,  &filters::line_after_repeat,
    &filters::trailing_whitespace, &filters::whitespace_only,
};

} // namespace

FilterContext::FilterContext(std::string_view prefix_, std::string_view suffix_, std::string_view line_after_,
                             std::string_view language_id_)
    : prefix(prefix_), suffix(suffix_), line_after(line_after_), language_id(language_id_),
      facts(&language_facts(language_id_)) {
  line_before = prefix.substr(prefix.rfind('\n') + 1);
  const auto nl = suffix.find('\n');
  if (nl == std::string_view::npos) return;
  // Enough lines for any suggestion to repeat (maxLines is small); the suffix may be long.
  constexpr std::size_t kMaxNextLines = 64;
  for (std::size_t start = nl + 1; start <= suffix.size() && next_lines.size() < kMaxNextLines;) {
    const auto end = std::min(suffix.size(), suffix.find('\n', start));
    if (const auto line = filter_text::trim_end(suffix.substr(start, end - start)); !line.empty())
      next_lines.push_back(line);
    start = end + 1;
  }
}

std::span<const HeadFilter* const> head_filters() {
  return kHead;
}

std::span<const Filter* const> clean_up_filters() {
  return kOrder;
}

std::string clean_suggestion(std::string_view text, const FilterContext& ctx) {
  std::string out(text);
  for (const Filter* f : kOrder)
    f->apply(out, ctx);
  return out;
}

std::string clean_suggestion(std::string_view text, std::string_view line_after_cursor,
                             std::string_view suffix) {
  return clean_suggestion(text, FilterContext({}, suffix, line_after_cursor));
}

} // namespace fimlsp::fim
