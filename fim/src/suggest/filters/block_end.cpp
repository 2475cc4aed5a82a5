// The suggestion ends where the block the cursor is in ends: at a closing bracket or tag that
// closes what was open before the cursor, or (in indentation-structured and keyword languages)
// at a line less indented than the block. A closing line (`}`, `end`, `</ul>`) is kept only when
// the document lacks it; a less indented line that closes nothing (a new `def`) goes with
// everything after it. Lines that close and reopen (`} else {`, `elif x:`) continue the block.
//
// The cursor's block: when the cursor ends a header line (`:`, `{`, `do`, an open tag), the block
// that line opens (it ends at a line as indented as the header); otherwise the block its line is
// in (it ends at a line less indented than the cursor's line).
#include "code_scan.hpp"
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"

namespace fimlsp::fim::filters {

namespace {

using namespace filter_text;

constexpr std::size_t npos = std::string_view::npos;

// The last non-blank line of the prefix before the cursor's line.
std::string_view line_above(const FilterContext& ctx) {
  std::string_view before = ctx.prefix.substr(0, ctx.prefix.size() - ctx.line_before.size());
  while (!before.empty()) {
    before.remove_suffix(1); // its newline
    const auto start = before.rfind('\n') + 1;
    const std::string_view line = before.substr(start);
    if (!trim(line).empty()) return line;
    before = before.substr(0, start);
  }
  return {};
}

// The indentation of the nearest line above that is less indented than `width`: the header of
// the block the cursor's line is in (npos when there is none).
std::size_t header_above(const FilterContext& ctx, std::size_t width) {
  std::string_view before = ctx.prefix.substr(0, ctx.prefix.size() - ctx.line_before.size());
  for (std::size_t lines = 0; !before.empty() && lines < 200; ++lines) {
    before.remove_suffix(1);
    const auto start = before.rfind('\n') + 1;
    const std::string_view line = before.substr(start);
    if (!trim(line).empty() && indent_width(line) < width) return indent_width(line);
    before = before.substr(0, start);
  }
  return npos;
}

struct Scan {
  std::size_t cut = npos; // where the suggestion ends, when a complete line said so
  std::size_t safe = 0;   // what stays whatever follows
};

// Reads the lines of `text` (the last one only when `whole`: it may still grow).
Scan scan(std::string_view text, const FilterContext& ctx, bool whole) {
  Scan out;
  const LanguageFacts& facts = *ctx.facts;
  if (!trim(ctx.line_after).empty()) return {npos, text.size()}; // one line: its own rules
  const std::string_view cursor_line = ctx.line_before;
  const bool blank_cursor_line = trim(cursor_line).empty();
  bool header = false;
  std::size_t base = indent_width(cursor_line);
  if (!blank_cursor_line) {
    header = code_scan::ends_header(trim(cursor_line), facts);
  } else {
    const std::string_view above = line_above(ctx);
    if (!above.empty() && code_scan::ends_header(trim(above), facts) && base <= indent_width(above)) {
      header = true;
      base = indent_width(above);
    }
  }
  const std::size_t outer = header ? npos : header_above(ctx, base);

  code_scan::Scanner scanner(facts);
  int depth = 0, keywords = 0;
  bool reopening = false; // a closing line continued by the next (Allman `}` then `else`)
  const auto lines = split_lines(text);
  const std::size_t complete = whole ? lines.size() : lines.size() - 1;
  for (std::size_t i = 0; i < complete; ++i) {
    const std::string_view line = lines[i];
    const std::string_view t = trim(line);
    const bool in_string = scanner.inside(); // a docstring's or comment's line ends no block
    const auto d = scanner.line(line);
    depth += d.change;
    // Keyword blocks are counted where indentation does not tell (Makefiles, Objective-C's @end):
    // `x = if a` … `end` opens with no keyword at the line's start.
    if (!in_string && !facts.indentation) keywords += code_scan::keyword_depth_change(t, facts);
    if (reopening && depth >= 0) reopening = false;
    bool by_bracket = !reopening && (depth < 0 || keywords < 0);
    if (by_bracket && depth < 0 && code_scan::starts_closing(t, facts)) {
      // `}` with `else {` / `catch (e)` on the next line at its indentation: the statement goes on.
      std::size_t j = i + 1;
      while (j < lines.size() && trim(lines[j]).empty())
        ++j;
      if (j == lines.size() || (j == complete && !whole)) {
        if (!whole) {
          out.safe = cut_before(text, line);
          return out; // undecided until the next line is there
        }
      } else if (code_scan::is_continuation_line(trim(lines[j]), facts) &&
                 indent_width(lines[j]) == indent_width(line) && code_scan::is_closing_line(t, facts)) {
        reopening = true;
        by_bracket = false;
        keywords = std::max(keywords, 0);
      }
    }
    bool by_indent = false;
    if (facts.indentation && !t.empty() && !in_string && (i > 0 || blank_cursor_line)) {
      const std::size_t indent = line_indent(cursor_line, line, i == 0);
      const bool continues = code_scan::is_continuation_line(t, facts);
      // A closing bracket of the suggestion's own block, however indented, is not the end.
      const bool closes_own = facts.brackets &&
                              std::string_view(")]}").find(t[0]) != std::string_view::npos &&
                              depth - d.change + d.lowest >= 0;
      if ((header ? indent <= base : indent < base) && !closes_own) {
        if (continues && (header ? indent == base : indent == outer)) {
          header = true; // the statement goes on with a block of its own
          base = indent;
        } else {
          by_indent = true;
        }
      }
    }
    if (!by_bracket && !by_indent) continue;
    // A line that starts by closing is the document's when its next line starts with it, at
    // the same indentation (`}` of `};`, `}, [a, b]` of `}, [a, b]);`).
    const bool own_line = i > 0 || blank_cursor_line;
    const std::size_t indent = line_indent(cursor_line, line, i == 0);
    const bool present = own_line && code_scan::starts_closing(t, facts) && !ctx.next_lines.empty() &&
                         indent_width(ctx.next_lines[0]) == indent && trim(ctx.next_lines[0]).starts_with(t);
    if (present)
      out.cut = cut_before(text, line);
    else if (by_bracket || (own_line && code_scan::is_closing_line(t, facts)))
      out.cut = cut_after(text, line);
    else
      out.cut = cut_before(text, line);
    out.safe = cut_before(text, line); // the cut is there or after the line
    return out;
  }
  out.safe = whole ? text.size() : cut_before(text, lines.back());
  return out;
}

void apply(std::string& text, const FilterContext& ctx) {
  if (const auto s = scan(text, ctx, true); s.cut != npos) text.resize(s.cut);
}

// Both look again only when a line was completed.
std::size_t keeps(std::string_view text, std::size_t seen, std::size_t kept, const FilterContext& ctx) {
  if (text.find('\n', seen) == npos) return kept;
  return std::max(kept, scan(text, ctx, false).safe);
}

std::size_t ends(std::string_view text, const FilterContext& ctx) {
  return scan(text, ctx, false).cut;
}

} // namespace

const Filter block_end{"block_end", apply, keeps, ends};

} // namespace fimlsp::fim::filters
