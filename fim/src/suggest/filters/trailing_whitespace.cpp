// Trailing spaces and newlines go: ghost text that ends in blank lines pushes the code below down.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

void apply(std::string& text, const FilterContext&) {
  text.resize(filter_text::trim_end(text).size());
}

// Everything up to the last visible character stays, whatever follows.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext&) {
  const auto last = text.substr(seen).find_last_not_of(filter_text::kSpace);
  return last != std::string_view::npos ? seen + last + 1 : kept;
}

} // namespace

const Filter trailing_whitespace{"trailing_whitespace", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
