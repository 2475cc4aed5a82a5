// A tail of the suggestion that repeats the start of the text after the cursor goes. On the
// cursor's line: a tail starting with punctuation (brackets, quotes, semicolons, commas, closing
// tags, `).sum()`), compared without white space (`))` before `));`, `){` before `) {`); a closer
// of the suggestion's own opener or quote stays (`set(words)))` before `)))` loses two). Across lines:
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

bool is_ascii_punctuation(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && !is_word_byte(c);
}

// Whether a punctuation character starts at s[i].
bool punctuation_at(std::string_view s, std::size_t i) {
  return is_ascii_punctuation(s[i]) || std::any_of(kWidePunctuation.begin(), kWidePunctuation.end(),
                                                   [&](auto p) { return s.substr(i).starts_with(p); });
}

std::size_t count(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string_view::npos; p = s.find(what, p + what.size()))
    ++n;
  return n;
}

// Whether `overlap`, removed from after `kept`, holds a closer of the suggestion's own: one that
// closes a bracket `kept` leaves open (not one the overlap opened itself: the `)` of `sum()`), a
// quote `kept` leaves unpaired, a tag `kept` leaves open.
bool closes_own(std::string_view kept, std::string_view overlap) {
  constexpr std::string_view kOpen = "([{", kClose = ")]}";
  std::array<int, 3> outside{};
  std::vector<char> opened;
  for (char c : overlap) {
    if (const auto k = kOpen.find(c); k != std::string_view::npos) opened.push_back(c);
    if (const auto k = kClose.find(c); k != std::string_view::npos) {
      if (!opened.empty() && opened.back() == kOpen[k])
        opened.pop_back();
      else
        ++outside[k];
    }
  }
  for (std::size_t k = 0; k < 3; ++k)
    if (outside[k] > 0 &&
        std::count(kept.begin(), kept.end(), kOpen[k]) > std::count(kept.begin(), kept.end(), kClose[k]))
      return true;
  for (char q : std::string_view("\"'`"))
    if (overlap.find(q) != std::string_view::npos && std::count(kept.begin(), kept.end(), q) % 2 == 1)
      return true;
  for (auto at = overlap.find("</"); at != std::string_view::npos; at = overlap.find("</", at + 2)) {
    const auto close = overlap.find('>', at);
    if (close == std::string_view::npos) break;
    const std::string name(overlap.substr(at + 2, close - at - 2));
    if (!name.empty() && count(kept, "<" + name) > count(kept, "</" + name)) return true;
  }
  return false;
}

// The longest tail of the suggestion that, white space aside, is the start of the rest of the
// cursor's line and begins with punctuation (`;i++){` of `; i++) {`; never a bare word: `1` of
// `1;`) goes, unless it closes something of the suggestion's own.
void same_line(std::string& text, const FilterContext& ctx) {
  constexpr std::size_t kLongest = 256; // visible bytes compared, at most
  std::vector<std::size_t> tail, head;  // positions of visible bytes: the text's last, the line's first
  for (std::size_t i = text.size(); i > 0 && tail.size() < kLongest; --i)
    if (!is_space(text[i - 1])) tail.push_back(i - 1);
  std::reverse(tail.begin(), tail.end());
  const std::string_view after = ctx.line_after;
  for (std::size_t i = 0; i < after.size() && head.size() < kLongest; ++i)
    if (!is_space(after[i])) head.push_back(i);
  if (head.empty() || !punctuation_at(after, head[0])) return;
  for (std::size_t k = std::min(tail.size(), head.size()); k > 0; --k) {
    const std::size_t from = tail.size() - k;
    bool equal = true;
    for (std::size_t j = 0; j < k && equal; ++j)
      equal = text[tail[from + j]] == after[head[j]];
    if (!equal) continue;
    const std::string_view kept = std::string_view(text).substr(0, tail[from]);
    if (closes_own(kept, std::string_view(text).substr(tail[from]))) continue;
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
  if (opens_bracket(t.substr(0, nl)) && closes_own(t.substr(0, nl), closers)) return;
  text.resize(trim_end(t.substr(0, nl)).size());
}

void apply(std::string& text, const FilterContext& ctx) {
  same_line(text, ctx);
  next_line(text, ctx);
}

// Only the last line can change: on the cursor's line (one-line suggestions), nothing is sure.
// A complete line of closers that starts the document's next line is not sure either: an earlier
// filter's cut (the block's end, a loop) may leave it last.
std::size_t keeps(std::string_view text, std::size_t, std::size_t kept, const FilterContext& ctx) {
  if (!trim(ctx.line_after).empty()) return 0;
  const auto nl = text.rfind('\n');
  if (nl == std::string_view::npos) return kept;
  const std::string_view complete = text.substr(0, nl);
  if (!ctx.next_lines.empty()) {
    const std::string_view doc = ctx.next_lines[0];
    const auto lines = split_lines(complete);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const std::string_view closers = trim(lines[i]);
      if (code_scan::starts_closing(closers, *ctx.facts) && indent_width(lines[i]) == indent_width(doc) &&
          trim(doc).starts_with(closers))
        return std::max(kept, trim_end(complete.substr(0, offset_in(complete, lines[i]))).size());
    }
  }
  return std::max(kept, trim_end(complete).size());
}

} // namespace

const Filter suffix_overlap{"suffix_overlap", apply, keeps, nullptr};

} // namespace fimlsp::fim::filters
