// The clean-up's order, and the context every filter reads.
#include "filters/filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"
#include "fimlsp/fim/suggest/postprocess.hpp"
#include <array>

namespace fimlsp::fim {

namespace {

// Order matters: trailing white space goes first so that the repeat filters compare visible
// text; the text after the cursor on its line is checked before the lines after it (a one-line
// suggestion repeats the former); whitespace_only runs last, on what the others left.
constexpr std::array<const Filter*, 4> kOrder{
    &filters::trailing_whitespace,
    &filters::line_after_repeat,
    &filters::suffix_lines_repeat,
    &filters::whitespace_only,
};

} // namespace

FilterContext::FilterContext(std::string_view prefix_, std::string_view suffix_, std::string_view line_after_,
                             std::string_view language_id_)
    : prefix(prefix_), suffix(suffix_), line_after(line_after_), language_id(language_id_) {
  const auto nl = suffix.find('\n');
  if (nl == std::string_view::npos) return;
  for (std::size_t start = nl + 1; start <= suffix.size();) {
    const auto end = std::min(suffix.size(), suffix.find('\n', start));
    if (const auto line = filter_text::trim(suffix.substr(start, end - start)); !line.empty())
      next_lines.push_back(line);
    start = end + 1;
  }
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
