// A model stuck in a loop repeats one line, or a short group of lines, until the stop rules cut
// it. Three or more occurrences in a row that reach the end of the text are cut to the first
// (a last, partial occurrence goes with them). Repeats the model ends itself (three equal rows,
// then `]`) and two equal lines are code.
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

constexpr std::size_t kLongestGroup = 4; // lines in a repeated group
constexpr std::size_t kLoop = 3;         // occurrences that make a loop

bool same(std::string_view a, std::string_view b) {
  return filter_text::trim_end(a) == filter_text::trim_end(b);
}

bool blank(std::string_view line) {
  return filter_text::trim(line).empty();
}

void apply(std::string& text, const FilterContext& ctx) {
  auto lines = filter_text::split_lines(text);
  // The first line continues the cursor's line: compared as the whole line.
  const std::string whole_first = std::string(ctx.line_before) + std::string(lines[0]);
  const std::string_view first_line = whole_first;
  auto line = [&](std::size_t i) { return i == 0 ? first_line : lines[i]; };
  const std::size_t n = lines.size();
  // The loop that starts earliest (a group may be read from several of its lines on).
  std::size_t best = n, best_group = 0;
  for (std::size_t g = 1; g <= kLongestGroup; ++g) {
    for (std::size_t partial = 0; partial <= g; ++partial) { // a last occurrence in part
      if (n < kLoop * g + partial) break;
      const std::size_t end = n - partial; // the full occurrences end here
      bool ok = true;
      // The last line may be cut short (the stream ended inside it).
      for (std::size_t i = 0; i < partial && ok; ++i)
        ok = i + 1 < partial
                 ? same(line(end + i), line(end - g + i))
                 : !blank(line(end + i)) && filter_text::trim_end(line(end - g + i))
                                                .starts_with(filter_text::trim_end(line(end + i)));
      if (!ok) continue;
      // Occurrences of lines[end - g, end) going back from the end.
      std::size_t count = 1;
      while (count * g + g <= end) {
        const std::size_t from = end - (count + 1) * g;
        bool equal = true;
        for (std::size_t i = 0; i < g && equal; ++i)
          equal = same(line(from + i), line(from + g + i));
        if (!equal) break;
        ++count;
      }
      const std::size_t first = end - count * g; // where the first occurrence starts
      bool all_blank = true;
      for (std::size_t i = first; i < first + g; ++i)
        all_blank = all_blank && blank(line(i));
      if (count < kLoop || all_blank || first >= best) continue;
      best = first;
      best_group = g;
    }
  }
  if (best < n) text.resize(filter_text::cut_before(text, lines[best + best_group]));
}

// A complete line that is no start of any of the kLongestGroup lines before it starts no second
// occurrence, not even a last partial one (what follows may be blank, and trimmed): it and
// everything before it stay whatever follows.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx) {
  if (text.find('\n', seen) == std::string_view::npos) return kept;
  const auto lines = filter_text::split_lines(text);
  const std::string whole_first = std::string(ctx.line_before) + std::string(lines[0]);
  auto line = [&](std::size_t i) { return i == 0 ? std::string_view(whole_first) : lines[i]; };
  for (std::size_t i = lines.size() - 1; i-- > 0;) { // complete lines, from the last
    if (filter_text::offset_in(text, lines[i]) + lines[i].size() <= kept) break;
    bool repeats = false;
    for (std::size_t g = 1; g <= kLongestGroup && g <= i && !repeats; ++g)
      repeats = filter_text::trim_end(line(i - g)).starts_with(filter_text::trim_end(line(i)));
    if (!repeats) return std::max(kept, filter_text::cut_after(text, lines[i]));
  }
  return kept;
}

} // namespace

const Filter degenerate_loop{"degenerate_loop", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
