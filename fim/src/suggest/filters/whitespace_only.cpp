// A suggestion with nothing visible is nothing to show.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

void apply(std::string& text, const FilterContext&) {
  if (filter_text::trim(text).empty()) text.clear();
}

// Once something visible arrived, the text stays as it is.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext&) {
  if (kept > 0) return text.size();
  return text.find_first_not_of(filter_text::kSpace, seen) != std::string_view::npos ? text.size() : 0;
}

} // namespace

const Filter whitespace_only{"whitespace_only", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
