// The suggestion's last lines go when they repeat the first non-blank lines after the cursor's
// line (compared without indentation): the model wrote past the hole it was asked to fill. They
// stay when they close a block the suggestion opened: "if (a) {\n  b();\n}" before a "}" line.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"
#include <algorithm>

namespace fimlsp::fim::filters {

namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const auto nl = s.find('\n', start);
    lines.push_back(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) return lines;
    start = nl + 1;
  }
}

void apply(std::string& text, const FilterContext& ctx) {
  using namespace filter_text;
  const auto& next = ctx.next_lines;
  const std::string_view t = text;
  const auto lines = split_lines(t);
  for (std::size_t k = std::min(lines.size(), next.size()); k > 0; --k) {
    const std::size_t first = lines.size() - k;
    bool same = true;
    for (std::size_t j = 0; j < k && same; ++j)
      same = trim(lines[first + j]) == next[j];
    if (!same) continue;
    // Keep the text up to the start of line `first` (its newline goes too).
    const std::size_t keep = first == 0 ? 0 : lines[first].data() - t.data() - 1;
    if (opens_bracket(t.substr(0, keep))) continue;
    return text.resize(trim_end(t.substr(0, keep)).size());
  }
}

// Only a trailing run of lines that each equal one of the next lines can go: a complete line
// with visible text found in none of them stays, with everything before it, whatever follows.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx) {
  using namespace filter_text;
  if (ctx.next_lines.empty()) return text.size();
  if (text.find('\n', seen) == std::string_view::npos) return kept; // no new complete line
  // The first line that was not complete before starts after the last newline before `seen`.
  const auto before = seen == 0 ? std::string_view::npos : text.rfind('\n', seen - 1);
  std::size_t start = before == std::string_view::npos ? 0 : before + 1;
  std::size_t result = kept;
  for (std::size_t nl = text.find('\n', start); nl != std::string_view::npos; nl = text.find('\n', start)) {
    const std::string_view line = text.substr(start, nl - start);
    const std::string_view visible = trim(line);
    if (!visible.empty() &&
        std::find(ctx.next_lines.begin(), ctx.next_lines.end(), visible) == ctx.next_lines.end())
      result = std::max(result, start + trim_end(line).size());
    start = nl + 1;
  }
  return result;
}

} // namespace

const Filter suffix_lines_repeat{"suffix_lines_repeat", apply, keeps};

} // namespace fimlsp::fim::filters
