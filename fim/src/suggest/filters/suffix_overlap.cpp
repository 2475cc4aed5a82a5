// A tail of the suggestion that repeats the start of the text after the cursor goes. On the
// cursor's line: closing brackets, quotes, semicolons, commas and closing tags, compared without
// white space (`))` before `));`, `){` before `) {`, `</label>`); a closer that closes the
// suggestion's own opener or quote stays (`set(words)))` before `)))` loses two). Across lines:
// a last line of closers that starts the document's next line at the same indentation (`}`
// before `};`, `)` before `).json()`).
#include "code_scan.hpp"
#include "filter_text.hpp"
#include "fimlsp/fim/suggest/filter.hpp"
#include <array>

namespace fimlsp::fim::filters {

namespace {

using namespace filter_text;

// Full-width and CJK punctuation that closes or ends a phrase, compared as whole code points.
constexpr std::array<std::string_view, 18> kWidePunctuation{
    "」", "』", "）", "】", "》", "〉", "］", "｝", "〕", "”", "’", "»", "›", "。", "、", "，", "；", "："};

struct Token {
  std::size_t at;        // where it starts in its text
  std::string_view text; // a punctuation character, or a closing tag `</name>`
};

bool is_tag_name_byte(char c) {
  return is_word_byte(c) || c == '-' || c == ':' || c == '.';
}

bool is_ascii_punctuation(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && !is_word_byte(c) && !is_space(c) && u > 0x20 && u != 0x7F;
}

// The punctuation code point that starts at s[i], or "".
std::string_view punctuation_at(std::string_view s, std::size_t i) {
  if (is_ascii_punctuation(s[i])) return s.substr(i, 1);
  for (auto p : kWidePunctuation)
    if (s.substr(i).starts_with(p)) return p;
  return {};
}

// A closing tag `</name>` that starts at s[i] (its length, or 0).
std::size_t closing_tag_at(std::string_view s, std::size_t i) {
  if (!s.substr(i).starts_with("</")) return 0;
  std::size_t j = i + 2;
  while (j < s.size() && is_tag_name_byte(s[j]))
    ++j;
  return j > i + 2 && j < s.size() && s[j] == '>' ? j + 1 - i : 0;
}

// The punctuation at the start of `s`, white space skipped.
std::vector<Token> leading_punctuation(std::string_view s) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < s.size() && out.size() < 32;) {
    if (is_space(s[i])) {
      ++i;
    } else if (const auto tag = closing_tag_at(s, i)) {
      out.push_back({i, s.substr(i, tag)});
      i += tag;
    } else if (const auto p = punctuation_at(s, i); !p.empty()) {
      out.push_back({i, p});
      i += p.size();
    } else {
      break;
    }
  }
  return out;
}

// The punctuation at the end of `s`, in order, white space skipped.
std::vector<Token> trailing_punctuation(std::string_view s) {
  std::vector<Token> out;
  for (std::size_t i = s.size(); i > 0 && out.size() < 32;) {
    std::size_t start = i - 1; // the code point that ends at i
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
      --start;
    if (is_space(s[start])) {
      i = start;
      continue;
    }
    if (s[start] == '>') {
      const auto open = s.substr(0, i).rfind("</");
      if (open != std::string_view::npos && closing_tag_at(s, open) == i - open) {
        out.push_back({open, s.substr(open, i - open)});
        i = open;
        continue;
      }
    }
    const auto p = punctuation_at(s, start);
    if (p.size() != i - start) break;
    out.push_back({start, p});
    i = start;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string_view::npos; p = s.find(what, p + what.size()))
    ++n;
  return n;
}

// Whether removing `tail` from after `kept` would take away a closer of the suggestion's own:
// a bracket it leaves open, a quote it leaves unpaired, a tag it leaves open.
bool closes_own(std::string_view kept, std::span<const Token> tail) {
  for (const Token& t : tail) {
    const char c = t.text[0];
    if (t.text.size() > 1) {
      const std::string_view name = t.text.substr(2, t.text.size() - 3);
      if (count(kept, "<" + std::string(name)) > count(kept, "</" + std::string(name))) return true;
    } else if (c == ')' || c == ']' || c == '}') {
      const char open = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (std::count(kept.begin(), kept.end(), open) > std::count(kept.begin(), kept.end(), c)) return true;
    } else if (c == '"' || c == '\'' || c == '`') {
      if (std::count(kept.begin(), kept.end(), c) % 2 == 1) return true;
    }
  }
  return false;
}

// The suggestion's tail of closers that the cursor's line starts with goes.
void same_line(std::string& text, const FilterContext& ctx) {
  const auto after = leading_punctuation(ctx.line_after);
  if (after.empty()) return;
  const auto tail = trailing_punctuation(text);
  for (std::size_t k = std::min(tail.size(), after.size()); k > 0; --k) {
    const std::span<const Token> cut(tail.data() + tail.size() - k, k);
    bool equal = true;
    for (std::size_t j = 0; j < k && equal; ++j)
      equal = cut[j].text == after[j].text;
    if (!equal) continue;
    const std::string_view kept = std::string_view(text).substr(0, cut[0].at);
    // A quote at the very start repeats the line only when nothing else was suggested.
    if (closes_own(kept, cut)) continue;
    return text.resize(trim_end(kept).size());
  }
}

// A last line of closers that starts the document's next line, at the same indentation, goes.
void next_line(std::string& text, const FilterContext& ctx) {
  if (ctx.next_lines.empty() || !trim(ctx.line_after).empty()) return;
  const std::string_view t = text;
  const auto nl = t.rfind('\n');
  if (nl == std::string_view::npos) return;
  const std::string_view last = t.substr(nl + 1);
  const std::string_view closers = trim(last);
  const std::string_view doc = ctx.next_lines[0];
  if (!code_scan::starts_closing(closers, *ctx.facts)) return;
  if (indent_width(last) != indent_width(doc) || !trim(doc).starts_with(closers)) return;
  if (opens_bracket(t.substr(0, nl)) && closes_own(t.substr(0, nl), trailing_punctuation(closers))) return;
  text.resize(trim_end(t.substr(0, nl)).size());
}

void apply(std::string& text, const FilterContext& ctx) {
  same_line(text, ctx);
  next_line(text, ctx);
}

// Only the last line can change: on the cursor's line (one-line suggestions), nothing is sure.
std::size_t keeps(std::string_view text, std::size_t, std::size_t kept, const FilterContext& ctx) {
  if (!trim(ctx.line_after).empty()) return 0;
  const auto nl = text.rfind('\n');
  return nl == std::string_view::npos ? kept : std::max(kept, trim_end(text.substr(0, nl)).size());
}

} // namespace

const Filter suffix_overlap{"suffix_overlap", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
