// Lines that repeat the document's first non-blank lines after the cursor's line (compared
// without indentation) go, with everything after them: at the end of the suggestion (one line
// or more) and anywhere when two or more repeat in a row. The model wrote past its hole. They
// stay when they close a block the suggestion opened ("if (a) {\n  b();\n}" before a "}" line),
// and a line that only closes (`}`, `end`, `</ul>`) repeats the document only at the same
// indentation.
#include "code_scan.hpp"
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

using namespace filter_text;

constexpr std::size_t npos = std::string_view::npos;

// Whether suggestion line `line` (line 0 continues the cursor's line) repeats document line `doc`.
bool repeats(std::string_view line, bool first, std::string_view doc, const FilterContext& ctx) {
  const std::string whole_line = first ? std::string(ctx.line_before) + std::string(line) : std::string();
  const std::string_view t = trim(first ? std::string_view(whole_line) : line);
  if (t.empty() || t != trim(doc)) return false;
  if (!code_scan::is_closing_line(t, *ctx.facts)) return true;
  return line_indent(ctx.line_before, line, first) == indent_width(doc);
}

struct Scan {
  std::size_t cut = npos; // where the repeat starts, when decided
  std::size_t safe = 0;   // what stays whatever follows
};

// `complete`: how many of the lines are known whole.
Scan scan(std::string_view text, std::size_t complete, bool whole, const FilterContext& ctx) {
  const auto& next = ctx.next_lines;
  const auto lines = split_lines(text);
  Scan out;
  out.safe = whole ? text.size() : cut_before(text, lines.back());
  if (next.empty()) return {npos, text.size()};
  for (std::size_t i = 0; i < complete; ++i) {
    if (!repeats(lines[i], i == 0, next[0], ctx)) continue;
    // The run of repeated lines from i, blank lines skipped.
    std::size_t run = 0, j = i;
    bool broken = false;
    for (; j < complete && run < next.size(); ++j) {
      if (j > i && trim(lines[j]).empty()) continue;
      if (!repeats(lines[j], j == 0, next[run], ctx)) {
        broken = true;
        break;
      }
      ++run;
    }
    const bool to_end = !broken && j == complete && whole;
    // A decided repeat; or one that may still reach the end: nothing from i on is safe.
    const std::size_t keep = i == 0 ? 0 : cut_before(text, lines[i]);
    if ((run >= 2 || to_end) && !opens_bracket(text.substr(0, keep))) {
      out.cut = keep;
      out.safe = keep;
      return out;
    }
    // Undecided, or broken off here: either way the line may yet end the text (an earlier
    // filter may cut right after it, or after a run that is whole up to there): not safe.
    if (!whole) {
      out.safe = keep;
      return out;
    }
  }
  return out;
}

void apply(std::string& text, const FilterContext& ctx) {
  const auto lines = split_lines(text);
  if (const auto s = scan(text, lines.size(), true, ctx); s.cut != npos) text.resize(s.cut);
}

// Both look again only when a line was completed.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx) {
  if (ctx.next_lines.empty()) return text.size(); // nothing to repeat
  if (text.find('\n', seen) == npos) return kept;
  const std::size_t complete = split_lines(text).size() - 1;
  return std::max(kept, scan(text, complete, false, ctx).safe);
}

std::size_t ends(std::string_view text, const FilterContext& ctx) {
  const std::size_t complete = split_lines(text).size() - 1;
  return scan(text, complete, false, ctx).cut;
}

} // namespace

const Filter suffix_lines_repeat{"suffix_lines_repeat", apply, keeps, ends};

} // namespace fimlsp::fim::filters
