// With text after the cursor on its line: a suggestion that only repeats it is dropped, and one
// that completes the line including it ("a, b)" before ")") loses that tail, unless the tail
// closes a bracket the suggestion opened itself.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

void apply(std::string& text, const FilterContext& ctx) {
  using namespace filter_text;
  const std::string_view after = trim(ctx.line_after);
  if (after.empty()) return;
  if (ctx.line_after.starts_with(text)) return text.clear();
  const std::string_view t = text;
  if (t.ends_with(after) && !opens_bracket(t.substr(0, t.size() - after.size())))
    text.resize(trim_end(t.substr(0, t.size() - after.size())).size());
}

// May drop everything when the line has text after the cursor (the suggestion is one line then,
// so nothing would be shown early anyway); otherwise it does nothing.
std::size_t keeps(std::string_view text, std::size_t, std::size_t, const FilterContext& ctx) {
  return filter_text::trim(ctx.line_after).empty() ? text.size() : 0;
}

} // namespace

const Filter line_after_repeat{"line_after_repeat", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
